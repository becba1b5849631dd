//! The administrative units devices download (`GET /api/v1/units`): about
//! 10,600 provinces, districts and communes, ~0.7 MB of JSON. Reading and
//! compressing them takes far longer than a lookup, and they change only when
//! an official imports a new list, so the answer is built once per import —
//! JSON, zstd and gzip bodies and the ETag — and kept in memory. Imports run
//! in another process (`admin import-units`), so each request reads the
//! store's units version (one tiny query) and rebuilds when it moved.

use crate::reports::UnitIndex;
use axum::body::Bytes;
use checkin_server_db::{Database, DbError};
use checkin_sync::codec::{self, Encoding};
use checkin_sync::protocol::UnitsList;
use std::sync::Arc;

/// zstd level of the cached body: built once per import, downloaded by
/// every device over slow links, so worth a high level.
const ZSTD_LEVEL: i32 = 19;

/// A JSON answer prepared once for many downloads: JSON, zstd and gzip
/// bodies and the ETag (units, the trust list).
#[derive(Debug)]
pub(crate) struct EncodedBody {
    /// Quoted strong ETag: a hash of the JSON.
    pub(crate) etag: String,
    json: Bytes,
    zstd: Bytes,
    gzip: Bytes,
}

impl EncodedBody {
    pub(crate) fn build(json: Vec<u8>) -> Result<Self, String> {
        let zstd = codec::compress(&json, Encoding::Zstd, ZSTD_LEVEL).map_err(|e| e.to_string())?;
        // Levels above 6 make gzip use its best compression.
        let gzip = codec::compress(&json, Encoding::Gzip, ZSTD_LEVEL).map_err(|e| e.to_string())?;
        Ok(Self {
            etag: crate::http::etag_of(&json),
            json: json.into(),
            zstd: zstd.into(),
            gzip: gzip.into(),
        })
    }

    /// The body in `encoding`.
    pub(crate) fn encoded(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Zstd => self.zstd.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.json.clone(),
        }
    }

    /// Sizes for the log: JSON, zstd, gzip.
    pub(crate) fn sizes(&self) -> (usize, usize, usize) {
        (self.json.len(), self.zstd.len(), self.gzip.len())
    }
}

/// The units answer as built for one units version.
#[derive(Debug)]
pub(crate) struct UnitsBody {
    version: i64,
    body: EncodedBody,
}

impl std::ops::Deref for UnitsBody {
    type Target = EncodedBody;
    fn deref(&self) -> &EncodedBody {
        &self.body
    }
}

impl UnitsBody {
    fn build(version: i64, list: &UnitsList) -> Result<Self, String> {
        let json = serde_json::to_vec(list).map_err(|e| e.to_string())?;
        Ok(Self {
            version,
            body: EncodedBody::build(json)?,
        })
    }
}

/// The units answer, kept until the next import.
#[derive(Debug, Default)]
pub struct UnitsCache {
    // A tokio mutex held while building: concurrent requests after an import
    // wait for one build instead of each making their own.
    current: tokio::sync::Mutex<Option<Arc<UnitsBody>>>,
    /// The units as reports and the dashboard's area checks read them.
    index: tokio::sync::Mutex<Option<(i64, Arc<UnitIndex>)>>,
}

impl UnitsCache {
    /// An empty cache; the first request builds the answer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The answer for the store's current units, built if the units changed
    /// since the cached one.
    pub(crate) async fn get(&self, db: &dyn Database) -> Result<Arc<UnitsBody>, DbError> {
        // The version is read before the units: an import landing in between
        // makes the next request build again, never keeps stale units.
        let version = db.units_version().await?;
        let mut current = self.current.lock().await;
        if let Some(body) = current.as_ref().filter(|b| b.version == version) {
            return Ok(body.clone());
        }
        let list = UnitsList {
            units: db.units().await?,
        };
        let started = std::time::Instant::now();
        let body = tokio::task::spawn_blocking(move || UnitsBody::build(version, &list))
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
            .map_err(|e| DbError::Task(format!("cannot build the units answer: {e}")))?;
        let (json_bytes, zstd_bytes, gzip_bytes) = body.sizes();
        tracing::info!(
            version,
            json_bytes,
            zstd_bytes,
            gzip_bytes,
            build_ms = started.elapsed().as_millis() as u64,
            "units answer built"
        );
        let body = Arc::new(body);
        *current = Some(body.clone());
        Ok(body)
    }

    /// The units for area checks and report names, rebuilt after an import.
    pub(crate) async fn index(&self, db: &dyn Database) -> Result<Arc<UnitIndex>, DbError> {
        let version = db.units_version().await?;
        let mut index = self.index.lock().await;
        if let Some((v, i)) = index.as_ref() {
            if *v == version {
                return Ok(i.clone());
            }
        }
        let built = Arc::new(UnitIndex::new(db.units().await?));
        *index = Some((version, built.clone()));
        Ok(built)
    }
}
