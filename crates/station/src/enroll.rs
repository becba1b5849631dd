//! Enrollment: an enrollment code (scanned, pasted or typed) and the server
//! address become this station's credential, scope and sync config.

use crate::{EnrollInput, Enrollment, Result, ScopeView, StationError};
use checkin_core::EnrollCode;
use checkin_store::Store;
use checkin_sync::client::{self, SyncError, SCOPE_KEY, SERVER_URL_KEY};
use checkin_sync::protocol::Scope;

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
/// are sent could store a delivered-but-unacknowledged record twice. The
/// venues, policy, pass keys and administrative units are fetched after;
/// failing that does not undo the enrollment (the next sync fetches them).
pub async fn enroll(
    store: &mut Store,
    input: &EnrollInput,
    public_key: String,
) -> Result<Enrollment> {
    let code = EnrollCode::parse(&input.code)
        .map_err(|e| StationError::bad("invalid_enrollment_code", e.to_string()))?;
    let server = server_of(&code, input.server_url.as_deref())?;
    let pending = store.status()?.pending;
    if pending > 0 && client::enrolled(store, None).is_ok() && !input.force {
        return Err(StationError::PendingRecords { pending });
    }
    let label = input
        .label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    let resp = client::enroll(store, &server, &code.token, label.clone(), Some(public_key)).await?;
    store.set_settings(&[(LABEL_KEY, label.as_deref())])?;
    if let Err(e) = refresh(store, &resp.credential).await {
        tracing::warn!(error = %e, "enrolled, but the sync config or units were not fetched");
    }
    enrollment(store)?.ok_or_else(|| StationError::Internal("enrollment not stored".into()))
}

/// Fetches the sync config and the administrative units when they changed.
pub async fn refresh(store: &mut Store, credential: &str) -> Result<(), SyncError> {
    let (url, _) = client::enrolled(store, None)?;
    let c = client::Client::new(&url)?;
    client::refresh_config(store, &c, credential).await?;
    client::refresh_units(store, &c, credential).await?;
    Ok(())
}
