//! Enrollment and the sync config a device keeps in its store.

use super::{
    Client, SyncError, CONFIG_ETAG_KEY, CONFIG_KEY, CREDENTIAL_KEY, SCOPE_KEY, SERVER_URL_KEY,
    TRUST_LIST_ETAG_KEY, TRUST_LIST_KEY, UNITS_ETAG_KEY,
};
use crate::protocol::{EnrollResponse, SyncConfig, TrustListAnswer, UnitsList};
use checkin_store::Store;

/// The server URL and credential the store holds.
pub fn enrolled(
    store: &Store,
    server_override: Option<&str>,
) -> Result<(String, String), SyncError> {
    let credential = store
        .setting(CREDENTIAL_KEY)?
        .ok_or(SyncError::NotEnrolled)?;
    let url = match server_override {
        Some(u) => u.to_string(),
        None => store
            .setting(SERVER_URL_KEY)?
            .ok_or(SyncError::NotEnrolled)?,
    };
    Ok((url, credential))
}

/// Enrolls this station: trades the token for a credential and stores the
/// server URL, credential and scope in the store's settings, in one
/// transaction (the config of an earlier enrollment is dropped with it).
/// `public_key` is the station's key for visitor passes (base64).
pub async fn enroll(
    store: &mut Store,
    server: &str,
    token: &str,
    label: Option<String>,
    public_key: Option<String>,
) -> Result<EnrollResponse, SyncError> {
    let client = Client::new(server)?;
    let current = store.setting(CREDENTIAL_KEY)?;
    let resp = client
        .enroll(
            token,
            store.device_id(),
            label,
            current.as_deref(),
            public_key,
        )
        .await?;
    let scope = serde_json::json!({"scope": resp.scope, "province_code": resp.province_code});
    store.set_settings(&[
        (SERVER_URL_KEY, Some(client.base_url())),
        (CREDENTIAL_KEY, Some(&resp.credential)),
        (SCOPE_KEY, Some(&scope.to_string())),
        (CONFIG_KEY, None),
        (CONFIG_ETAG_KEY, None),
    ])?;
    Ok(resp)
}

/// The sync config last received, if any.
pub fn stored_config(store: &Store) -> Result<Option<SyncConfig>, SyncError> {
    match store.setting(CONFIG_KEY)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| SyncError::Protocol(format!("stored sync config is unreadable: {e}"))),
    }
}

/// Refreshes the administrative units when the server's list changed.
/// Returns true when it changed.
pub async fn refresh_units(
    store: &mut Store,
    client: &Client,
    credential: &str,
) -> Result<bool, SyncError> {
    let etag = store.setting(UNITS_ETAG_KEY)?;
    match client
        .get_json::<UnitsList>("/api/v1/units", credential, etag.as_deref())
        .await?
    {
        None => Ok(false),
        // A server that has not imported its units yet sends none: keep
        // what the station has rather than empty its address pickers.
        Some((list, _)) if list.units.is_empty() => Ok(false),
        Some((list, etag)) => {
            store.replace_units(&list.units)?;
            match etag {
                Some(e) => store.set_setting(UNITS_ETAG_KEY, &e)?,
                None => store.clear_setting(UNITS_ETAG_KEY)?,
            }
            Ok(true)
        }
    }
}

/// Refreshes the stored sync config when the server's copy changed.
/// Returns true when it changed.
pub async fn refresh_config(
    store: &mut Store,
    client: &Client,
    credential: &str,
) -> Result<bool, SyncError> {
    let etag = store.setting(CONFIG_ETAG_KEY)?;
    match client
        .get_json::<SyncConfig>("/api/v1/sync/config", credential, etag.as_deref())
        .await?
    {
        None => Ok(false),
        Some((config, etag)) => {
            let json =
                serde_json::to_string(&config).map_err(|e| SyncError::Protocol(e.to_string()))?;
            store.set_settings(&[
                (CONFIG_KEY, Some(&json)),
                (CONFIG_ETAG_KEY, etag.as_deref()),
            ])?;
            Ok(true)
        }
    }
}

/// Downloads the vaccine-passport trust list when the stored sync config
/// names another one than the station holds. Returns true when it changed.
/// A station keeps its last copy when the server names none or the
/// download fails: gates go on verifying with it.
pub async fn refresh_trust_list(
    store: &mut Store,
    client: &Client,
    credential: &str,
) -> Result<bool, SyncError> {
    let Some(info) = stored_config(store)?.and_then(|c| c.trust_list) else {
        return Ok(false);
    };
    let held = store.setting(TRUST_LIST_ETAG_KEY)?;
    if held.as_deref() == Some(info.etag.as_str()) {
        return Ok(false);
    }
    match client
        .get_json::<TrustListAnswer>("/api/v1/sync/trust-list", credential, held.as_deref())
        .await?
    {
        None => Ok(false),
        Some((answer, etag)) => {
            let json =
                serde_json::to_string(&answer).map_err(|e| SyncError::Protocol(e.to_string()))?;
            store.set_settings(&[
                (TRUST_LIST_KEY, Some(&json)),
                (TRUST_LIST_ETAG_KEY, etag.as_deref()),
            ])?;
            Ok(true)
        }
    }
}

/// The trust list last downloaded, if any.
pub fn stored_trust_list(store: &Store) -> Result<Option<TrustListAnswer>, SyncError> {
    match store.setting(TRUST_LIST_KEY)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| SyncError::Protocol(format!("stored trust list is unreadable: {e}"))),
    }
}
