//! A stand-in for `checkin-server` on loopback, for the station's tests of
//! revocation (the CLI's tests include this file too). It speaks the real
//! wire types: enrollment with one-use tokens, batches that are all
//! accepted, the sync config and units, and the error body
//! `{"error": code, "message": …}` of every refusal. `revoke` does what
//! `checkin-server admin device revoke` does: from the next request on, the
//! device's credential is answered 401 `device_revoked`; a new token
//! enrolls the same device id again.
#![allow(dead_code)]

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use checkin_core::{Policy, Venue, VenueCategory};
use checkin_sync::protocol::{
    ApiError, EnrollRequest, EnrollResponse, Scope, SyncConfig, SyncResponse, UnitsList,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// The venue every enrollment is scoped to.
pub const VENUE: &str = "01-00001-GATE";

#[derive(Default)]
struct Inner {
    tokens: HashSet<String>,
    /// Credential -> device id, for the credentials the stub takes.
    credentials: HashMap<String, String>,
    revoked: HashSet<String>,
    issued: u32,
    /// Requests per "METHOD /path".
    requests: HashMap<String, u32>,
    stored: HashSet<String>,
}

type Shared = Arc<Mutex<Inner>>;

/// A running stub; stops when dropped.
pub struct Stub {
    url: String,
    inner: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Stub {
    /// Serves on 127.0.0.1 (a free port) from a thread of its own, so
    /// blocking tests and async tests can both talk to it.
    pub fn start() -> Self {
        let inner = Shared::default();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = inner.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready_tx.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new()
                    .route("/api/v1/enroll", post(enroll))
                    .route("/api/v1/sync", post(sync))
                    .route("/api/v1/sync/config", get(config))
                    .route("/api/v1/units", get(units))
                    .with_state(state);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = ready_rx.recv().unwrap();
        Self {
            url: format!("http://{addr}"),
            inner,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new one-use enrollment code that names this server.
    pub fn code(&self) -> String {
        let mut inner = self.inner.lock().unwrap();
        inner.issued += 1;
        let token = format!("CKE1:TOKEN{:04}", inner.issued);
        inner.tokens.insert(token.clone());
        format!("{token}@{}", self.url)
    }

    /// Revokes every device enrolled so far.
    pub fn revoke(&self) {
        let mut inner = self.inner.lock().unwrap();
        let all: Vec<String> = inner.credentials.keys().cloned().collect();
        inner.revoked.extend(all);
    }

    /// How many requests `route` ("POST /api/v1/sync") has had.
    pub fn requests(&self, route: &str) -> u32 {
        self.inner
            .lock()
            .unwrap()
            .requests
            .get(route)
            .copied()
            .unwrap_or(0)
    }

    /// Distinct records stored.
    pub fn stored(&self) -> usize {
        self.inner.lock().unwrap().stored.len()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A refusal with the server's error body `{"error": code, "message": …}`.
struct Refusal(StatusCode, &'static str, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = ApiError {
            error: self.1.into(),
            message: self.2.into(),
        };
        (self.0, Json(body)).into_response()
    }
}

fn count(state: &Shared, route: &str) {
    *state
        .lock()
        .unwrap()
        .requests
        .entry(route.into())
        .or_default() += 1;
}

/// The device id behind the request's credential, or the server's refusal.
fn device(state: &Shared, headers: &HeaderMap) -> Result<String, Refusal> {
    let inner = state.lock().unwrap();
    let credential = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if inner.revoked.contains(credential) {
        return Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "device_revoked",
            "this device was revoked by an administrator; enroll it again with a new enrollment token",
        ));
    }
    inner.credentials.get(credential).cloned().ok_or(Refusal(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "missing or unknown device credential",
    ))
}

async fn enroll(State(state): State<Shared>, Json(req): Json<EnrollRequest>) -> Response {
    count(&state, "POST /api/v1/enroll");
    let mut inner = state.lock().unwrap();
    if !inner.tokens.remove(&req.token.trim().to_ascii_uppercase()) {
        return Refusal(
            StatusCode::UNAUTHORIZED,
            "token_invalid",
            "this enrollment token is not known to the server",
        )
        .into_response();
    }
    // A new enrollment replaces the device's credential, revoked or not.
    let id = req.device_id.to_string();
    inner.credentials.retain(|_, d| *d != id);
    inner.issued += 1;
    let credential = format!("credential-{}", inner.issued);
    inner.credentials.insert(credential.clone(), id);
    Json(EnrollResponse {
        device_id: req.device_id,
        credential,
        scope: Scope::Venue {
            venue_id: VENUE.parse().unwrap(),
        },
        province_code: "01".into(),
    })
    .into_response()
}

async fn sync(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    count(&state, "POST /api/v1/sync");
    if let Err(refused) = device(&state, &headers) {
        return refused.into_response();
    }
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    let json = checkin_sync::codec::inflate(encoding, &body, 64 << 20).unwrap();
    let batch: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let records = batch["records"].as_array().unwrap();
    let mut inner = state.lock().unwrap();
    for r in records {
        inner.stored.insert(r["id"].as_str().unwrap().to_string());
    }
    Json(SyncResponse {
        server_time: chrono::Utc::now(),
        accepted: records.len() as u32,
        duplicate: 0,
        conflict: 0,
        rejected: 0,
        results: Vec::new(),
    })
    .into_response()
}

async fn config(State(state): State<Shared>, headers: HeaderMap) -> Response {
    count(&state, "GET /api/v1/sync/config");
    let id = match device(&state, &headers) {
        Ok(id) => id,
        Err(refused) => return refused.into_response(),
    };
    Json(SyncConfig {
        device_id: id.parse().unwrap(),
        scope: Scope::Venue {
            venue_id: VENUE.parse().unwrap(),
        },
        province_code: "01".into(),
        venues: vec![Venue {
            id: VENUE.parse().unwrap(),
            name: "Cổng chính".into(),
            category: VenueCategory::Workplace,
            commune_code: "00001".into(),
            address: "Phúc Xá, Ba Đình, Hà Nội".into(),
        }],
        settings: BTreeMap::new(),
        public_keys: Vec::new(),
        policy: Policy::default(),
        trust_list: None,
    })
    .into_response()
}

async fn units(State(state): State<Shared>, headers: HeaderMap) -> Response {
    count(&state, "GET /api/v1/units");
    if let Err(refused) = device(&state, &headers) {
        return refused.into_response();
    }
    Json(UnitsList { units: Vec::new() }).into_response()
}
