//! Central endpoint: enrollment, idempotent batched ingest, sync config,
//! administrative units, health; plus the admin operations the `checkin-server` binary exposes.
//!
//! `router(state)` builds the whole HTTP surface so tests drive it with
//! `oneshot` and no socket; the binary only parses flags and serves it.
//! The surface comes in three parts, each with its own routes and its own
//! way of knowing who asks: `public` (no one), `device_api` (the
//! `Device` of a bearer credential) and [`dashboard`] (the
//! official of a session cookie).

pub mod accounts;
pub mod admin;
mod citizen;
pub mod citizen_pages;
pub mod csv_import;
pub mod dashboard;
mod device_api;
pub mod error;
mod http;
pub mod imports;
pub mod limits;
pub mod openapi;
pub mod passes;
pub mod policy;
mod public;
pub mod reports;
pub mod retention;
pub mod secrets;
mod serve;
pub mod trace;
pub mod trust_list;
mod units;
pub mod venue_links;
pub mod venues;

pub use error::{ApiError, ServerError};
pub use limits::{Limits, Load};
pub use serve::serve;
pub use units::UnitsCache;

use axum::Router;
use checkin_core::Policy;
use checkin_server_db::Database;
use checkin_server_db::Device;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A failure the server injects on purpose (fault tests only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Error500,
    Unavailable503,
    TooMany429,
    /// Store the batch, then answer 500 as if the answer were lost.
    Error500AfterCommit,
}

/// Seeded random fault injection for `/sync`, off unless configured.
#[derive(Debug)]
pub struct Faults {
    rng: Mutex<rand::rngs::StdRng>,
    rate: f64,
}

impl Faults {
    /// Injects a fault into a `rate` share of sync requests, drawn from `seed`.
    pub fn new(seed: u64, rate: f64) -> Self {
        Self {
            rng: Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)),
            rate: rate.clamp(0.0, 1.0),
        }
    }

    fn draw(&self) -> Option<Fault> {
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        if !rng.gen_bool(self.rate) {
            return None;
        }
        Some(match rng.gen_range(0..4) {
            0 => Fault::Error500,
            1 => Fault::Unavailable503,
            2 => Fault::TooMany429,
            _ => Fault::Error500AfterCommit,
        })
    }
}

/// Per-device token buckets: `rate` requests a second, bursts of `burst`.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `rate` requests per second with bursts of `burst`.
    pub fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate: rate.max(0.001),
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Some(seconds)` to wait when none is left.
    pub fn check(&self, key: &str) -> Option<u64> {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded memory: drop idle (full) buckets when the map grows.
        if b.len() > 100_000 {
            let (rate, burst) = (self.rate, self.burst);
            b.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = b.entry(key.to_string()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            None
        } else {
            Some(((1.0 - *tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }
}

/// The venue ids a device's scope covers, and when they were read.
type CachedScope = (Arc<HashSet<String>>, Instant);

/// The venues each device's scope covers, kept `ttl` so a stream of batches
/// does not read them every time. Only scopes are kept, never who a
/// credential belongs to: every request checks its credential in the store,
/// so a revocation or a re-enrollment counts from the very next request.
/// Entries are keyed by device and scope, so a device re-enrolled for
/// another scope never sees the old one; a venue added to a commune is seen
/// within `ttl` (or at once: a batch refused for a venue outside a cached
/// scope reads the scope again).
#[derive(Debug)]
pub struct AuthCache {
    ttl: std::time::Duration,
    entries: Mutex<HashMap<String, CachedScope>>,
}

impl AuthCache {
    /// A cache whose entries live `ttl` (zero disables it).
    pub fn new(ttl: std::time::Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Device id and scope in one key: a changed scope is another entry.
    fn key(device: &Device) -> String {
        use checkin_sync::protocol::Scope;
        match &device.scope {
            Scope::Venue { venue_id } => {
                format!("{} {} venue {venue_id}", device.id, device.province_code)
            }
            Scope::Commune { commune_code } => {
                format!(
                    "{} {} commune {commune_code}",
                    device.id, device.province_code
                )
            }
        }
    }

    fn get(&self, device: &Device) -> Option<Arc<HashSet<String>>> {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.get(&Self::key(device))
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    fn put(&self, device: &Device, venues: Arc<HashSet<String>>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if e.len() > 100_000 {
            let ttl = self.ttl;
            e.retain(|_, (_, at)| at.elapsed() < ttl);
        }
        e.insert(Self::key(device), (venues, Instant::now()));
    }
}

/// Everything the handlers share.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Arc<dyn Database>,
    pub limiter: Arc<RateLimiter>,
    pub faults: Option<Arc<Faults>>,
    pub auth_cache: Arc<AuthCache>,
    /// The verdict rules sent to every device in its sync config
    /// (`serve --policy FILE.json`).
    pub policy: Arc<Policy>,
    /// The `GET /api/v1/units` answer, kept until the next import.
    pub units: Arc<UnitsCache>,
    /// Timeouts and caps (connections, bodies, heavy requests).
    pub limits: Arc<Limits>,
    /// The slots for heavy requests, sized by `limits`; replace both together
    /// (see [`AppState::with_limits`]).
    pub load: Arc<Load>,
    /// How the officials' dashboard is served.
    pub dashboard: Arc<dashboard::DashboardConfig>,
    /// The time sessions and the login limit count by (tests move it).
    pub clock: Clock,
    /// The venue-link key, read from the store on first use.
    pub link_key: Arc<tokio::sync::OnceCell<venue_links::LinkKey>>,
    /// Check-ins from phones: one bucket per client address and one per
    /// venue.
    pub citizen_limiter: Arc<RateLimiter>,
    /// The server's pass-signing key, read from the store on first use.
    pub pass_signer: Arc<tokio::sync::OnceCell<checkin_core::pass::PassSigner>>,
    /// Days personal data is kept (`serve --retention-days`); phones are
    /// told so they keep their copy no longer.
    pub retention_days: u32,
    /// How the citizen's phone page is served.
    pub citizen_pages: Arc<citizen_pages::CitizenPages>,
    /// The vaccine-passport trust list for sync configs, reread after an import.
    pub trust_list: Arc<trust_list::TrustListCache>,
}

impl AppState {
    /// The venue-link key (the store's; made there by the first caller).
    pub async fn link_key(&self) -> Result<&venue_links::LinkKey, checkin_server_db::DbError> {
        self.link_key
            .get_or_try_init(|| venue_links::LinkKey::load(self.db.as_ref()))
            .await
    }

    /// The server's pass-signing key (the store's; made there by the first
    /// caller).
    pub async fn pass_signer(
        &self,
    ) -> Result<&checkin_core::pass::PassSigner, checkin_server_db::DbError> {
        self.pass_signer
            .get_or_try_init(|| passes::signer(self.db.as_ref()))
            .await
    }
}

/// A source of the current time.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(chrono::Utc::now))
    }

    /// A clock reading `f`.
    pub fn from_fn(f: impl Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

impl AppState {
    /// State with default limits (20 requests/s per device, bursts of 40),
    /// venue scopes cached for 10 s (credentials are checked on every
    /// request) and the default policy.
    pub fn new(db: Arc<dyn Database>) -> Self {
        Self {
            db,
            limiter: Arc::new(RateLimiter::new(20.0, 40.0)),
            faults: None,
            auth_cache: Arc::new(AuthCache::new(std::time::Duration::from_secs(10))),
            policy: Arc::new(Policy::default()),
            units: Arc::new(UnitsCache::new()),
            limits: Arc::new(Limits::default()),
            load: Arc::new(Load::new(&Limits::default())),
            dashboard: Arc::new(dashboard::DashboardConfig::default()),
            clock: Clock::system(),
            link_key: Arc::new(tokio::sync::OnceCell::new()),
            pass_signer: Arc::new(tokio::sync::OnceCell::new()),
            // Many phones may share one address behind a carrier's NAT, and
            // a busy market's door sees a few check-ins a second.
            citizen_limiter: Arc::new(RateLimiter::new(5.0, 50.0)),
            retention_days: retention::DEFAULT_RETENTION_DAYS,
            citizen_pages: Arc::new(citizen_pages::CitizenPages::default()),
            trust_list: Arc::new(trust_list::TrustListCache::new()),
        }
    }

    /// The same state with other limits (and heavy-request slots to match).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.load = Arc::new(Load::new(&limits));
        self.limits = Arc::new(limits);
        self
    }
}

/// Every API route, with the OpenAPI document built from the same list.
pub(crate) fn api_routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::with_openapi(openapi::base())
        .merge(public::routes())
        .merge(citizen::routes())
        .merge(device_api::routes())
        .merge(dashboard::routes())
}

/// The whole HTTP surface: the API, the dashboard's pages and the
/// citizen's phone page.
pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes().split_for_parts();
    api.merge(dashboard::pages(&state.dashboard))
        .merge(citizen_pages::pages(&state.citizen_pages))
        .fallback(http::not_found)
        .method_not_allowed_fallback(http::method_not_allowed)
        // Bodies are read with explicit limits in the handlers.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                axum::response::IntoResponse::into_response(ApiError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                ))
            },
        ))
        .with_state(state)
}
