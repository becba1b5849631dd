//! The device's sync client: enrollment, and draining the store's outbox
//! to the server in bounded batches.
//!
//! Crash safety comes from the order of steps, not from the network: a
//! batch is marked `sent` before it leaves, the server stores each record id
//! once, and the answers are applied in one store transaction. A crash or a
//! lost answer anywhere means the same bytes are sent again and come back as
//! duplicates. Rejected and conflicting records are set aside by the store,
//! so one bad record never blocks the queue.

use crate::protocol::{
    ApiError, EnrollRequest, EnrollResponse, RecordStatus, SyncConfig, SyncResponse,
    DEVICE_TIME_HEADER, MAX_BATCH_RECORDS,
};
use checkin_store::{OutboxItem, Outcome, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use rand::Rng;
use std::io::{Read, Write};
use std::time::Duration;
use thiserror::Error;

/// Store setting: the server's base URL.
pub const SERVER_URL_KEY: &str = "sync.server_url";
/// Store setting: the device credential (a secret; never logged).
pub const CREDENTIAL_KEY: &str = "sync.credential";
/// Store setting: the device's scope and province as JSON.
pub const SCOPE_KEY: &str = "sync.scope";
/// Store setting: the last sync config (JSON) and its ETag.
pub const CONFIG_KEY: &str = "sync.config";
/// Store setting: ETag of [`CONFIG_KEY`].
pub const CONFIG_ETAG_KEY: &str = "sync.config_etag";

/// Why enrollment or sync stopped.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this station is not enrolled: run `checkin enroll --server URL --token TOKEN`")]
    NotEnrolled,
    #[error("bad server URL {0:?}: use http://HOST:PORT or https://HOST")]
    BadUrl(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot reach the server: {0}")]
    Network(String),
    #[error("server answered {status}{}: {message}", retry_after.map(|s| format!(" (retry after {s}s)")).unwrap_or_default())]
    Unavailable {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    #[error("server refused the request ({status} {code}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("server answer makes no sense: {0}")]
    Protocol(String),
    #[error("gave up after {attempts} attempts; last error: {last}")]
    GaveUp { attempts: u32, last: Box<SyncError> },
}

impl SyncError {
    /// True when trying again later, unchanged, may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Unavailable { .. } | Self::Protocol(_) => true,
            Self::GaveUp { last, .. } => last.is_transient(),
            Self::Store(e) => e.is_transient(),
            _ => false,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Body compression for sync requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Zstd,
    Gzip,
    Identity,
}

/// How the client batches and retries.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Records per batch (the server takes at most 1000).
    pub batch_records: usize,
    /// Bytes of record JSON per batch, before compression.
    pub batch_bytes: usize,
    /// Tries per batch before `sync` gives up for this run.
    pub max_attempts: u32,
    /// First retry delay; doubles each attempt, with jitter.
    pub base_delay: Duration,
    /// Longest delay between tries (also caps `Retry-After`).
    pub max_delay: Duration,
    pub encoding: Encoding,
    /// Added to the device clock in the header (simulating a wrong clock in tests).
    pub clock_offset: chrono::Duration,
    /// Batches on the wire at once (1 = strictly one after another).
    pub pipeline: usize,
    /// zstd level: higher is fewer bytes on slow links, more CPU.
    pub zstd_level: i32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch_records: 500,
            batch_bytes: 512 * 1024,
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            encoding: Encoding::Zstd,
            clock_offset: chrono::Duration::zero(),
            pipeline: 2,
            zstd_level: 9,
        }
    }
}

/// What one `sync` run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    pub batches: u32,
    pub sent: u64,
    pub accepted: u64,
    pub duplicate: u64,
    pub conflict: u64,
    pub rejected: u64,
    pub retries: u32,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

/// The delay before retry number `attempt` (0-based): exponential from
/// `base`, capped at `max`, with "equal jitter" (half fixed, half random,
/// `jitter` in [0, 1)) so a fleet that lost the link together does not come
/// back together; never shorter than the server's `Retry-After`.
pub fn backoff_delay(
    attempt: u32,
    base: Duration,
    max: Duration,
    jitter: f64,
    retry_after: Option<u64>,
) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(20)).min(max);
    let d = exp.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0));
    match retry_after {
        Some(s) => d.max(Duration::from_secs(s).min(max)),
        None => d,
    }
}

/// An HTTP client for one server.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

fn network(e: reqwest::Error) -> SyncError {
    // reqwest's Display may include the URL; never a header, so no secret.
    SyncError::Network(e.to_string())
}

impl Client {
    /// A client for `base_url` (`http://host:port` or `https://host`).
    pub fn new(base_url: &str) -> Result<Self, SyncError> {
        let base = base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) || base.len() < 10 {
            return Err(SyncError::BadUrl(base_url.to_string()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            // A 512 KiB batch compresses to ~50 KB: minutes even on 2G.
            .timeout(Duration::from_secs(180))
            .user_agent(concat!("checkin-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(network)?;
        Ok(Self { http, base })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn error_of(resp: reqwest::Response) -> SyncError {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = resp.bytes().await.unwrap_or_default();
        let (code, message) = match serde_json::from_slice::<ApiError>(&body) {
            Ok(e) => (e.error, e.message),
            Err(_) => (
                "unknown".to_string(),
                String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            ),
        };
        // A body the server saw cut off is a network fault: send it again.
        if matches!(status, 408 | 429 | 500..=599) || code == "body_incomplete" {
            SyncError::Unavailable {
                status,
                message: format!("{code}: {message}"),
                retry_after,
            }
        } else {
            SyncError::Refused {
                status,
                code,
                message,
            }
        }
    }

    /// Exchanges an enrollment token for a device credential.
    pub async fn enroll(
        &self,
        token: &str,
        device_id: checkin_core::DeviceId,
        label: Option<String>,
        current_credential: Option<&str>,
    ) -> Result<EnrollResponse, SyncError> {
        let mut req = self.http.post(format!("{}/api/v1/enroll", self.base));
        // A device enrolled before proves it owns its id with its credential.
        if let Some(c) = current_credential {
            req = req.bearer_auth(c);
        }
        let resp = req
            .json(&EnrollRequest {
                token: token.trim().to_string(),
                device_id,
                label,
            })
            .send()
            .await
            .map_err(network)?;
        if !resp.status().is_success() {
            return Err(Self::error_of(resp).await);
        }
        resp.json().await.map_err(network)
    }

    /// Sends one batch and returns the server's answer (only conflicts and
    /// rejections listed: the client asks for `return=minimal`).
    pub async fn send_batch(
        &self,
        credential: &str,
        items: &[OutboxItem],
        device_time: DateTime<FixedOffset>,
        encoding: Encoding,
        report: &mut SyncReport,
    ) -> Result<SyncResponse, SyncError> {
        let body = encode_batch(items, encoding)?;
        report.bytes_sent += body.bytes.len() as u64;
        let (result, received) = self.send_encoded(credential, body, device_time).await;
        report.bytes_received += received;
        result
    }

    /// Sends a batch already encoded by [`encode_batch`]; returns the answer
    /// and the bytes of answer body received.
    pub async fn send_encoded(
        &self,
        credential: &str,
        body: EncodedBatch,
        device_time: DateTime<FixedOffset>,
    ) -> (Result<SyncResponse, SyncError>, u64) {
        let mut req = self
            .http
            .post(format!("{}/api/v1/sync", self.base))
            .bearer_auth(credential)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT_ENCODING, "zstd, gzip")
            .header("prefer", "return=minimal")
            .header(DEVICE_TIME_HEADER, device_time.to_rfc3339());
        if let Some(e) = body.encoding {
            req = req.header(reqwest::header::CONTENT_ENCODING, e);
        }
        let resp = match req.body(body.bytes).send().await {
            Ok(r) => r,
            Err(e) => return (Err(network(e)), 0),
        };
        if !resp.status().is_success() {
            return (Err(Self::error_of(resp).await), 0);
        }
        let encoding = resp
            .headers()
            .get(reqwest::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let raw = match resp.bytes().await {
            Ok(r) => r,
            Err(e) => return (Err(network(e)), 0),
        };
        let received = raw.len() as u64;
        let parsed = decode_answer(&encoding, &raw).and_then(|d| {
            serde_json::from_slice(&d)
                .map_err(|e| SyncError::Protocol(format!("sync answer is not JSON: {e}")))
        });
        (parsed, received)
    }

    /// Fetches the device's config unless it still matches `etag`
    /// (`Ok(None)` when unchanged).
    pub async fn config(
        &self,
        credential: &str,
        etag: Option<&str>,
    ) -> Result<Option<(SyncConfig, Option<String>)>, SyncError> {
        let mut req = self
            .http
            .get(format!("{}/api/v1/sync/config", self.base))
            .bearer_auth(credential);
        if let Some(e) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        let resp = req.send().await.map_err(network)?;
        if resp.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if !resp.status().is_success() {
            return Err(Self::error_of(resp).await);
        }
        let etag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let config = resp.json().await.map_err(network)?;
        Ok(Some((config, etag)))
    }
}

/// A batch body ready to send: the records' JSON, compressed.
#[derive(Debug, Clone)]
pub struct EncodedBatch {
    pub bytes: Vec<u8>,
    pub encoding: Option<&'static str>,
}

/// Builds `{"records":[…]}` from the stored bodies and compresses it.
pub fn encode_batch(items: &[OutboxItem], encoding: Encoding) -> Result<EncodedBatch, SyncError> {
    encode_batch_at(items, encoding, 9)
}

/// [`encode_batch`] at a chosen zstd level (1-19; gzip ignores it).
pub fn encode_batch_at(
    items: &[OutboxItem],
    encoding: Encoding,
    zstd_level: i32,
) -> Result<EncodedBatch, SyncError> {
    // The stored bodies go out byte for byte: a resend is identical.
    let mut json =
        String::with_capacity(items.iter().map(|i| i.body.len() + 1).sum::<usize>() + 16);
    json.push_str("{\"records\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&item.body);
    }
    json.push_str("]}");
    let (bytes, encoding) = match encoding {
        Encoding::Zstd => (
            zstd::bulk::compress(json.as_bytes(), zstd_level)
                .map_err(|e| SyncError::Protocol(format!("zstd: {e}")))?,
            Some("zstd"),
        ),
        Encoding::Gzip => {
            let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            g.write_all(json.as_bytes())
                .and_then(|_| g.flush())
                .map_err(|e| SyncError::Protocol(format!("gzip: {e}")))?;
            (
                g.finish()
                    .map_err(|e| SyncError::Protocol(format!("gzip: {e}")))?,
                Some("gzip"),
            )
        }
        Encoding::Identity => (json.into_bytes(), None),
    };
    Ok(EncodedBatch { bytes, encoding })
}

/// Answers are small; the bound only stops a broken or hostile server.
fn decode_answer(encoding: &str, raw: &[u8]) -> Result<Vec<u8>, SyncError> {
    const LIMIT: u64 = 16 * 1024 * 1024;
    let mut out = Vec::new();
    let bad = |e: std::io::Error| SyncError::Protocol(format!("bad {encoding} answer: {e}"));
    match encoding {
        "zstd" => {
            zstd::stream::read::Decoder::new(raw)
                .map_err(bad)?
                .take(LIMIT)
                .read_to_end(&mut out)
                .map_err(bad)?;
        }
        "gzip" => {
            flate2::read::GzDecoder::new(raw)
                .take(LIMIT)
                .read_to_end(&mut out)
                .map_err(bad)?;
        }
        _ => out = raw.to_vec(),
    }
    Ok(out)
}

/// Maps a (minimal) answer to one outcome per record of the batch. Refuses
/// answers that do not fit the batch, so a confused server cannot make the
/// device drop or mislabel records.
pub fn outcomes_for(
    items: &[OutboxItem],
    resp: &SyncResponse,
) -> Result<Vec<(checkin_core::RecordId, Outcome)>, SyncError> {
    let total = resp.accepted as usize
        + resp.duplicate as usize
        + resp.conflict as usize
        + resp.rejected as usize;
    if total != items.len() {
        return Err(SyncError::Protocol(format!(
            "answer counts {total} records, batch had {}",
            items.len()
        )));
    }
    let mut out: Vec<_> = items
        .iter()
        .map(|i| (i.record_id, Outcome::Acknowledged))
        .collect();
    let mut listed = 0usize;
    for r in &resp.results {
        let i = r.index as usize;
        let item = items.get(i).ok_or_else(|| {
            SyncError::Protocol(format!("answer names record {i} of {}", items.len()))
        })?;
        if r.id.is_some_and(|id| id != item.record_id) {
            return Err(SyncError::Protocol(format!(
                "answer for record {i} names another id"
            )));
        }
        let reason = r.reason.clone().unwrap_or_default();
        match r.status {
            RecordStatus::Accepted | RecordStatus::Duplicate => {}
            RecordStatus::Conflict => {
                out[i].1 = Outcome::Conflict(reason);
                listed += 1;
            }
            RecordStatus::Rejected => {
                out[i].1 = Outcome::Rejected(reason);
                listed += 1;
            }
        }
    }
    if listed != resp.conflict as usize + resp.rejected as usize {
        return Err(SyncError::Protocol(
            "answer lists a different number of refused records than it counts".into(),
        ));
    }
    Ok(out)
}

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
/// server URL, credential and scope in the store's settings.
pub async fn enroll(
    store: &mut Store,
    server: &str,
    token: &str,
    label: Option<String>,
) -> Result<EnrollResponse, SyncError> {
    let client = Client::new(server)?;
    let current = store.setting(CREDENTIAL_KEY)?;
    let resp = client
        .enroll(token, store.device_id(), label, current.as_deref())
        .await?;
    store.set_setting(SERVER_URL_KEY, client.base_url())?;
    store.set_setting(CREDENTIAL_KEY, &resp.credential)?;
    let scope = serde_json::json!({"scope": resp.scope, "province_code": resp.province_code});
    store.set_setting(SCOPE_KEY, &scope.to_string())?;
    Ok(resp)
}

/// Refreshes the stored sync config when the server's copy changed.
/// Returns true when it changed.
pub async fn refresh_config(
    store: &mut Store,
    client: &Client,
    credential: &str,
) -> Result<bool, SyncError> {
    let etag = store.setting(CONFIG_ETAG_KEY)?;
    match client.config(credential, etag.as_deref()).await? {
        None => Ok(false),
        Some((config, etag)) => {
            let json =
                serde_json::to_string(&config).map_err(|e| SyncError::Protocol(e.to_string()))?;
            store.set_setting(CONFIG_KEY, &json)?;
            if let Some(e) = etag {
                store.set_setting(CONFIG_ETAG_KEY, &e)?;
            }
            Ok(true)
        }
    }
}

/// A batch that failed, with the error.
struct Failed {
    items: Vec<OutboxItem>,
    error: SyncError,
}

/// Sends everything pending until the queue is empty. Up to
/// `opts.pipeline` batches are on the wire at once, so the device's store
/// work overlaps the server's. After a failure, the batches already in
/// flight are settled, then the run backs off and starts again from the
/// oldest unsettled record; after `max_attempts` failed rounds in a row it
/// stops with the error, every unsettled record still queued.
pub async fn sync(
    store: &mut Store,
    server_override: Option<&str>,
    opts: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    let (url, credential) = enrolled(store, server_override)?;
    let client = Client::new(&url)?;
    let mut report = SyncReport::default();
    let mut batch_records = opts.batch_records.clamp(1, MAX_BATCH_RECORDS);
    let mut failures = 0u32;
    loop {
        let settled = report.batches;
        let Err(failed) = round(
            store,
            &client,
            &credential,
            opts,
            batch_records,
            &mut report,
        )
        .await
        else {
            return Ok(report);
        };
        // Tries count per stuck batch: a round that settled batches before
        // failing starts the count again.
        if report.batches > settled {
            failures = 0;
        }
        match failed.error {
            // Too large for the server: halve the batch; a single record
            // the server will never take is set aside, not retried.
            SyncError::Refused { status: 413, .. } if failed.items.len() > 1 => {
                batch_records = (failed.items.len() / 2).max(1);
            }
            SyncError::Refused {
                status: 413,
                message,
                ..
            } => {
                if let Some(item) = failed.items.first() {
                    store.apply_outcomes(&[(
                        item.record_id,
                        Outcome::Rejected(format!("record_too_large: {message}")),
                    )])?;
                    report.rejected += 1;
                }
            }
            e if e.is_transient() && failures + 1 < opts.max_attempts => {
                let jitter = rand::thread_rng().gen::<f64>();
                let d = backoff_delay(
                    failures,
                    opts.base_delay,
                    opts.max_delay,
                    jitter,
                    e.retry_after(),
                );
                tracing::info!(attempt = failures, delay_ms = d.as_millis() as u64, error = %e, "sync retry");
                report.retries += 1;
                failures += 1;
                tokio::time::sleep(d).await;
            }
            e if e.is_transient() => {
                return Err(SyncError::GaveUp {
                    attempts: failures + 1,
                    last: Box::new(e),
                })
            }
            e => return Err(e),
        }
    }
}

/// Request bytes per second (body over round trip) above which the link is
/// treated as fast and batches are compressed at a cheaper zstd level.
const FAST_LINK_BYTES_PER_SEC: f64 = 200_000.0;

type InFlight = (
    Vec<OutboxItem>,
    tokio::task::JoinHandle<((Result<SyncResponse, SyncError>, u64), f64)>,
);

/// One pass over the queue; `Ok` when it is empty.
async fn round(
    store: &mut Store,
    client: &Client,
    credential: &str,
    opts: &SyncOptions,
    batch_records: usize,
    report: &mut SyncReport,
) -> Result<(), Failed> {
    let fail = |items: &[OutboxItem], error: SyncError| Failed {
        items: items.to_vec(),
        error,
    };
    let mut inflight: std::collections::VecDeque<InFlight> = std::collections::VecDeque::new();
    let mut last_seq = 0u64;
    let mut first_failure: Option<Failed> = None;
    let mut fast_link = false;
    loop {
        while first_failure.is_none() && inflight.len() < opts.pipeline.max(1) {
            let items = store
                .pending_batch_after(last_seq, batch_records, opts.batch_bytes)
                .map_err(|e| fail(&[], e.into()))?;
            let Some(last) = items.last() else { break };
            last_seq = last.seq;
            let first_seq = items[0].seq;
            store
                .mark_sent_range(first_seq, last_seq)
                .map_err(|e| fail(&items, e.into()))?;
            // On a fast link the CPU is the bottleneck, on 2G the bytes are.
            let level = if fast_link { 3 } else { opts.zstd_level };
            let body =
                encode_batch_at(&items, opts.encoding, level).map_err(|e| fail(&items, e))?;
            report.bytes_sent += body.bytes.len() as u64;
            let now = chrono::Local::now().fixed_offset() + opts.clock_offset;
            let (c, cred) = (client.clone(), credential.to_string());
            let size = body.bytes.len();
            let handle = tokio::spawn(async move {
                let t = std::time::Instant::now();
                let r = c.send_encoded(&cred, body, now).await;
                (r, size as f64 / t.elapsed().as_secs_f64().max(1e-6))
            });
            // Let the request reach the socket before this task goes back
            // to (blocking) store work on a single-threaded runtime.
            tokio::task::yield_now().await;
            inflight.push_back((items, handle));
        }
        let Some((items, handle)) = inflight.pop_front() else {
            break;
        };
        let ((result, received), speed) = match handle.await {
            Ok(r) => r,
            Err(e) => (
                (
                    Err(SyncError::Protocol(format!("send task failed: {e}"))),
                    0,
                ),
                0.0,
            ),
        };
        report.bytes_received += received;
        fast_link = speed > FAST_LINK_BYTES_PER_SEC;
        let outcome = result.and_then(|resp| {
            let outcomes = outcomes_for(&items, &resp)?;
            let exceptions: Vec<_> = outcomes
                .into_iter()
                .filter(|(_, o)| *o != Outcome::Acknowledged)
                .collect();
            let (first, last) = (items[0].seq, items[items.len() - 1].seq);
            store.settle_range(first, last, &exceptions)?;
            Ok(resp)
        });
        match outcome {
            Ok(resp) => {
                report.batches += 1;
                report.sent += items.len() as u64;
                report.accepted += resp.accepted as u64;
                report.duplicate += resp.duplicate as u64;
                report.conflict += resp.conflict as u64;
                report.rejected += resp.rejected as u64;
            }
            Err(error) => {
                if first_failure.is_none() {
                    first_failure = Some(Failed { items, error });
                }
            }
        }
    }
    match first_failure {
        None => Ok(()),
        Some(f) => Err(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RecordResult;
    use checkin_core::{RecordId, RecordKind};

    #[test]
    fn backoff_table() {
        let b = Duration::from_millis(500);
        let m = Duration::from_secs(60);
        let ms = |d: Duration| d.as_millis();
        // (attempt, jitter, retry_after) -> delay
        let cases = [
            (0, 0.0, None, 250),
            (0, 1.0, None, 500),
            (1, 0.0, None, 500),
            (3, 1.0, None, 4000),
            (10, 1.0, None, 60_000),
            (40, 0.5, None, 45_000),
            (0, 0.0, Some(5), 5000),
            (0, 0.0, Some(100_000), 60_000),
            (6, 1.0, Some(1), 32_000),
        ];
        for (attempt, jitter, ra, want) in cases {
            assert_eq!(
                ms(backoff_delay(attempt, b, m, jitter, ra)),
                want,
                "{attempt} {jitter} {ra:?}"
            );
        }
    }

    fn item(i: u64) -> OutboxItem {
        OutboxItem {
            seq: i,
            record_id: RecordId::new(),
            kind: RecordKind::Checkin,
            body: "{}".into(),
            attempts: 0,
        }
    }

    fn resp(a: u32, d: u32, c: u32, r: u32, results: Vec<RecordResult>) -> SyncResponse {
        SyncResponse {
            server_time: chrono::Utc::now(),
            accepted: a,
            duplicate: d,
            conflict: c,
            rejected: r,
            results,
        }
    }

    #[test]
    fn outcomes_map_minimal_answers_and_refuse_nonsense() {
        let items = vec![item(1), item(2), item(3)];
        let rejected = RecordResult {
            index: 1,
            id: Some(items[1].record_id),
            status: RecordStatus::Rejected,
            reason: Some("venue_outside_scope".into()),
        };
        let got = outcomes_for(&items, &resp(1, 1, 0, 1, vec![rejected.clone()])).unwrap();
        assert_eq!(got[0].1, Outcome::Acknowledged);
        assert_eq!(got[1].1, Outcome::Rejected("venue_outside_scope".into()));
        assert_eq!(got[2].1, Outcome::Acknowledged);

        // Counts that do not add up, an index past the batch, a wrong id,
        // a refused record counted but not listed: all refused.
        assert!(outcomes_for(&items, &resp(1, 0, 0, 1, vec![rejected.clone()])).is_err());
        let mut far = rejected.clone();
        far.index = 7;
        assert!(outcomes_for(&items, &resp(2, 0, 0, 1, vec![far])).is_err());
        let mut wrong = rejected.clone();
        wrong.id = Some(RecordId::new());
        assert!(outcomes_for(&items, &resp(2, 0, 0, 1, vec![wrong])).is_err());
        assert!(outcomes_for(&items, &resp(2, 0, 0, 1, vec![])).is_err());
    }
}
