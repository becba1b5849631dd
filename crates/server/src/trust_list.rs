//! The vaccine-passport trust list: imported by the operator, checked
//! certificate by certificate, and handed to stations so gates verify
//! certificates with the network cut. The sync config names the list (a
//! few bytes, pulled every minute); the list itself (megabytes for the EU
//! gateway's ~2,500 signers) is downloaded from its own endpoint, once per
//! import.

use crate::error::ServerError;
use crate::units::EncodedBody;
use checkin_core::dcc::{TrustList, TrustListDocument};
use checkin_server_db::{Database, DbError, StoredTrustList};
use checkin_sync::protocol::{TrustListAnswer, TrustListInfo};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Most certificates a list may hold: the EU gateway held about 2,500
/// document signers at its peak; 8,000 keeps the download within what a
/// station accepts (16 MB of JSON).
pub const MAX_CERTIFICATES: usize = 8_000;

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub certificates: usize,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Checks a trust-list JSON file (docs/dcc.md) and, when every certificate
/// is usable, replaces the server's list with it. Any unusable certificate
/// refuses the whole file, naming each one (`certificates[i]: why`), and
/// the stored list stays as it was.
pub async fn import(
    db: &dyn Database,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Imported, ServerError> {
    let doc: TrustListDocument = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            ServerError::Invalid(format!(
                "the trust list is not in its JSON form (docs/dcc.md): {e}"
            ))
        })?;
    if doc.certificates.len() > MAX_CERTIFICATES {
        return Err(ServerError::Invalid(format!(
            "the trust list holds {} certificates; at most {MAX_CERTIFICATES}",
            doc.certificates.len()
        )));
    }
    let list = TrustList::from_document(&doc).map_err(|errors| {
        const SHOWN: usize = 20;
        let mut lines: Vec<String> = errors.iter().take(SHOWN).map(ToString::to_string).collect();
        if errors.len() > SHOWN {
            lines.push(format!("… and {} more", errors.len() - SHOWN));
        }
        ServerError::Invalid(format!(
            "the trust list was not imported ({} unusable):\n{}",
            errors.len(),
            lines.join("\n")
        ))
    })?;
    // Stored as the list reads back: every entry with its key id, so no
    // station computes them.
    let document = serde_json::to_string(&list.to_document())
        .map_err(|e| ServerError::Invalid(format!("trust list: {e}")))?;
    db.put_trust_list(&StoredTrustList {
        document,
        certificates: list.len() as i64,
        updated_at: list.updated_at(),
        imported_at: now,
    })
    .await?;
    Ok(Imported {
        certificates: list.len(),
        updated_at: list.updated_at(),
    })
}

/// The stored list as devices download it, built again only after an
/// import (in another process: each request reads the import time, one
/// tiny query, like the units).
#[derive(Debug, Default)]
pub struct TrustListCache {
    current: tokio::sync::Mutex<Option<Arc<TrustListBody>>>,
}

/// The list as served for one import.
#[derive(Debug)]
pub(crate) struct TrustListBody {
    pub(crate) info: TrustListInfo,
    pub(crate) body: EncodedBody,
}

impl TrustListCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The list as served, `None` before any import.
    pub(crate) async fn get(
        &self,
        db: &dyn Database,
    ) -> Result<Option<Arc<TrustListBody>>, DbError> {
        let Some(imported_at) = db.trust_list_imported_at().await? else {
            return Ok(None);
        };
        let mut current = self.current.lock().await;
        if let Some(c) = current
            .as_ref()
            .filter(|c| c.info.imported_at == imported_at)
        {
            return Ok(Some(c.clone()));
        }
        let Some(stored) = db.trust_list().await? else {
            return Ok(None);
        };
        let built = tokio::task::spawn_blocking(move || build(stored))
            .await
            .map_err(|e| DbError::Task(e.to_string()))??;
        let built = Arc::new(built);
        *current = Some(built.clone());
        Ok(Some(built))
    }
}

fn build(stored: StoredTrustList) -> Result<TrustListBody, DbError> {
    let document: TrustListDocument = serde_json::from_str(&stored.document)
        .map_err(|e| DbError::Invalid(format!("stored trust list: {e}")))?;
    let answer = TrustListAnswer {
        imported_at: stored.imported_at,
        document,
    };
    let json = serde_json::to_vec(&answer).map_err(|e| DbError::Invalid(e.to_string()))?;
    let body = EncodedBody::build(json)
        .map_err(|e| DbError::Task(format!("cannot build the trust list answer: {e}")))?;
    Ok(TrustListBody {
        info: TrustListInfo {
            imported_at: stored.imported_at,
            updated_at: stored.updated_at,
            certificates: u32::try_from(stored.certificates).unwrap_or(u32::MAX),
            etag: body.etag.clone(),
        },
        body,
    })
}
