//! Enrollment: an enrollment code (scanned, pasted or typed) and the server
//! address become this station's credential, scope and sync config.

use crate::{EnrollInput, Enrollment, Result, ScopeView, StationError};
use checkin_core::EnrollCode;
use checkin_store::Store;
use checkin_sync::client::{self, SyncError, SCOPE_KEY, SERVER_URL_KEY};
use checkin_sync::protocol::{Scope, SyncConfig};

/// Store setting: the label given at enrollment.
const LABEL_KEY: &str = "sync.label";

/// This station's enrollment, if it has one.
pub fn enrollment(store: &Store) -> Result<Option<Enrollment>> {
    let (Some(url), Some(scope)) = (store.setting(SERVER_URL_KEY)?, store.setting(SCOPE_KEY)?)
    else {
        return Ok(None);
    };
    #[derive(serde::Deserialize)]
    struct Stored {
        scope: Scope,
        province_code: String,
    }
    let stored: Stored = serde_json::from_str(&scope)
        .map_err(|e| StationError::Internal(format!("stored enrollment is unreadable: {e}")))?;
    Ok(Some(Enrollment {
        server_url: url,
        scope: match stored.scope {
            Scope::Venue { venue_id } => ScopeView::Venue {
                venue_id: venue_id.to_string(),
            },
            Scope::Commune { commune_code } => ScopeView::Commune { commune_code },
        },
        province_code: stored.province_code,
        label: store.setting(LABEL_KEY)?,
    }))
}

/// The server an enrollment code names, or the one given beside it.
pub fn server_of(code: &EnrollCode, server_url: Option<&str>) -> Result<String> {
    match (&code.server_url, server_url.map(str::trim).filter(|s| !s.is_empty())) {
        (_, Some(given)) => Ok(given.trim_end_matches('/').to_string()),
        (Some(in_code), None) => Ok(in_code.clone()),
        (None, None) => Err(StationError::bad(
            "server_url_missing",
            "this enrollment code does not name the server: give its address (e.g. https://checkin.soyte.vn)",
        )),
    }
}

/// Enrolls the station with the code in `input`; `public_key` is the
/// station's pass key. Refused while records of the current enrollment are
/// pending (unless forced): re-enrolling into another province before they
/// are sent could store a delivered-but-unacknowledged record twice.
/// Except when the enrolled server itself refuses the current credential
/// (the device was revoked, or its credential replaced) and the code is for
/// that same server: then waiting cannot help, the device keeps its id, and
/// its queued records go out under the new credential. The venues, policy,
/// pass keys and administrative units are fetched after; failing that does
/// not undo the enrollment (the next sync fetches them).
pub async fn enroll(
    store: &mut Store,
    input: &EnrollInput,
    public_key: String,
) -> Result<Enrollment> {
    let code = EnrollCode::parse(&input.code)
        .map_err(|e| StationError::bad("invalid_enrollment_code", e.to_string()))?;
    let server = server_of(&code, input.server_url.as_deref())?;
    let pending = store.status()?.pending;
    let before = enrollment(store)?;
    if pending > 0 && !input.force {
        if let Ok((url, credential)) = client::enrolled(store, None) {
            if !refused_by(store, &url, &credential, &server).await {
                return Err(StationError::PendingRecords { pending });
            }
            tracing::info!(
                pending,
                "the server refuses this device's credential; enrolling again with the queued records kept"
            );
        }
    }
    let label = input
        .label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    let resp = client::enroll(store, &server, &code.token, label.clone(), Some(public_key)).await?;
    store.set_settings(&[(LABEL_KEY, label.as_deref())])?;
    if pending > 0 && before.is_some_and(|b| b.province_code != resp.province_code) {
        // The token is spent and the old credential is dead: keep the new
        // enrollment. The server refuses records outside the new scope, and
        // they are listed as rejected, never lost.
        tracing::warn!(
            pending,
            province = %resp.province_code,
            "enrolled into another province with records of the old one queued"
        );
    }
    if let Err(e) = refresh(store, &resp.credential).await {
        tracing::warn!(error = %e, "enrolled, but the sync config or units were not fetched");
    }
    enrollment(store)?.ok_or_else(|| StationError::Internal("enrollment not stored".into()))
}

/// True when `server` is the enrolled one and it refuses `credential` as
/// revoked or unknown. Asks for the sync config (a 304 when the credential
/// is fine); any other answer, or none, is not a refusal.
async fn refused_by(store: &Store, url: &str, credential: &str, server: &str) -> bool {
    let (Ok(enrolled), Ok(named)) = (client::Client::new(url), client::Client::new(server)) else {
        return false;
    };
    if !enrolled.base_url().eq_ignore_ascii_case(named.base_url()) {
        return false;
    }
    let etag = store.setting(client::CONFIG_ETAG_KEY).ok().flatten();
    match enrolled
        .get_json::<SyncConfig>("/api/v1/sync/config", credential, etag.as_deref())
        .await
    {
        Err(e) => crate::credential_refused(&e),
        Ok(_) => false,
    }
}

/// Fetches the sync config and the administrative units when they changed.
pub async fn refresh(store: &mut Store, credential: &str) -> Result<(), SyncError> {
    let (url, _) = client::enrolled(store, None)?;
    let c = client::Client::new(&url)?;
    client::refresh_config(store, &c, credential).await?;
    client::refresh_units(store, &c, credential).await?;
    client::refresh_trust_list(store, &c, credential).await?;
    Ok(())
}
