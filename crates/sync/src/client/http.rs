//! HTTP with one server: enrollment, batches, sync config, units.

use super::{SyncError, SyncReport};
use crate::codec::{self, Encoding};
use crate::protocol::{ApiError, EnrollRequest, EnrollResponse, SyncResponse, DEVICE_TIME_HEADER};
use checkin_store::OutboxItem;
use chrono::{DateTime, FixedOffset};
use std::time::Duration;

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
        public_key: Option<String>,
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
                public_key,
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
        let body = super::encode_batch(items, encoding)?;
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

    /// GETs a JSON document unless it still matches `etag` (`Ok(None)`
    /// when unchanged); returns it with its new ETag.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        credential: &str,
        etag: Option<&str>,
    ) -> Result<Option<(T, Option<String>)>, SyncError> {
        let mut req = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(credential)
            .header(reqwest::header::ACCEPT_ENCODING, "zstd, gzip");
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
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header(reqwest::header::ETAG);
        let encoding = header(reqwest::header::CONTENT_ENCODING).unwrap_or_default();
        let raw = resp.bytes().await.map_err(network)?;
        let body = decode_answer(&encoding, &raw)?;
        let doc = serde_json::from_slice(&body).map_err(|e| {
            SyncError::Protocol(format!("{path} answer is not the expected JSON: {e}"))
        })?;
        Ok(Some((doc, etag)))
    }
}

/// A batch body ready to send: the records' JSON, compressed.
#[derive(Debug, Clone)]
pub struct EncodedBatch {
    pub bytes: Vec<u8>,
    pub encoding: Option<&'static str>,
}

/// Answers are small; the bound only stops a broken or hostile server.
fn decode_answer(encoding: &str, raw: &[u8]) -> Result<Vec<u8>, SyncError> {
    codec::inflate(encoding, raw, 16 * 1024 * 1024)
        .map_err(|e| SyncError::Protocol(format!("bad answer: {e}")))
}
