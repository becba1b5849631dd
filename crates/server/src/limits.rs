//! What one client may cost the server: how long it may take to send, how
//! many connections it may hold, and how many heavy requests run at once.
//! docs/sync.md lists these figures for client writers.

use crate::error::ApiError;
use axum::http::StatusCode;
use checkin_core::DeviceId;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Timeouts and caps, with defaults sized for a 2-core server behind
/// commune health stations on slow links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A request's head must arrive within this once the connection is
    /// open or the previous answer is sent; an idle kept-alive connection
    /// is closed after it too (hyper's header read timeout covers both).
    pub header_timeout: Duration,
    /// A request body in which no bytes arrive for this long is cut off.
    pub body_stall: Duration,
    /// A whole request body must arrive within this (2 MB at 2G speeds
    /// takes about a minute).
    pub body_total: Duration,
    /// An answer the client does not read for this long closes the connection.
    pub write_stall: Duration,
    /// Open connections in total; past it the server stops accepting until
    /// one closes (never past the file-descriptor limit, see [`Limits::fit_to_fd_limit`]).
    pub max_connections: usize,
    /// Open connections from one IP address; more are closed at once. A
    /// commune's stations behind one NAT share an address, so it is generous.
    pub max_connections_per_ip: usize,
    /// Sync batches being read, inflated, parsed and stored at once. Each
    /// may hold its 2 MB body, its 8 MB inflated form and its parsed records
    /// (about 20 MB), so this sets the memory bound: 8 gave a 176 MB peak
    /// under the abuse bench with every slot busy. Fewer slowed the
    /// 200-device benchmark on PostgreSQL, whose pool stores batches in
    /// parallel.
    pub max_heavy: usize,
    /// Sync batches of one device at once (a station sends one at a time).
    pub max_heavy_per_device: usize,
    /// Large batches inflated, parsed and checked at once on the blocking
    /// pool. One fewer than the CPUs: ingest is bound by the store's one
    /// writer (SQLite) or its commits, and every batch waits while that
    /// writer shares its core with parsing.
    pub max_decoding: usize,
    /// How long a batch may wait for a free slot before it is refused with
    /// 503 and `Retry-After`. A waiting batch costs only its connection (its
    /// body is read once it has a slot); 2 s shed batches of the 200-device
    /// benchmark and doubled its time, as refused stations back off.
    pub heavy_queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_stall: Duration::from_secs(10),
            body_total: Duration::from_secs(60),
            write_stall: Duration::from_secs(20),
            max_connections: 1024,
            max_connections_per_ip: 256,
            max_heavy: 8,
            max_heavy_per_device: 2,
            max_decoding: std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1))
                .max(1),
            heavy_queue_wait: Duration::from_secs(10),
        }
    }
}

/// Descriptors kept free for the database, logs and accept itself.
const FD_RESERVE: u64 = 64;

impl Limits {
    /// Raises the process's open-file limit to its hard limit and lowers
    /// `max_connections` to what fits under it, so the server refuses
    /// connections by its own cap rather than by failing `accept`.
    pub fn fit_to_fd_limit(&mut self) {
        let limit = match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the open-file limit");
                return;
            }
        };
        let room = limit.saturating_sub(FD_RESERVE).max(16);
        if (self.max_connections as u64) > room {
            tracing::warn!(
                open_file_limit = limit,
                max_connections = room,
                "the open-file limit caps connections below the configured maximum"
            );
            self.max_connections = room as usize;
        }
        self.max_connections_per_ip = self.max_connections_per_ip.min(self.max_connections);
    }
}

/// Connections per IP address, counted while they are open.
#[derive(Debug, Default)]
pub(crate) struct PerIp {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection of an address; counted down when dropped.
pub(crate) struct IpSlot {
    ip: IpAddr,
    owner: Arc<PerIp>,
}

impl PerIp {
    /// A slot for a new connection from `ip`, unless it has `max` open.
    pub(crate) fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<IpSlot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(IpSlot {
            ip,
            owner: self.clone(),
        })
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        let mut open = self.owner.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// The slots for heavy requests (sync batches): in total and per device.
#[derive(Debug)]
pub struct Load {
    total: Arc<Semaphore>,
    decoding: Arc<Semaphore>,
    per_device: Arc<Mutex<HashMap<DeviceId, usize>>>,
    max_per_device: usize,
    queue_wait: Duration,
}

/// A heavy request's slot; both counts go down when it is dropped.
#[derive(Debug)]
pub struct HeavySlot {
    _total: OwnedSemaphorePermit,
    _device: DeviceCount,
}

impl Load {
    /// Slots as `limits` says.
    pub fn new(limits: &Limits) -> Self {
        Self {
            total: Arc::new(Semaphore::new(limits.max_heavy.max(1))),
            decoding: Arc::new(Semaphore::new(limits.max_decoding.max(1))),
            per_device: Arc::new(Mutex::new(HashMap::new())),
            max_per_device: limits.max_heavy_per_device.max(1),
            queue_wait: limits.heavy_queue_wait,
        }
    }

    /// A slot for one batch of `device`: refused at once when the device
    /// has its share running, after a short wait when the server is full.
    /// The refusal is a 503 with `Retry-After`, which stations honour.
    pub async fn enter(&self, device: DeviceId) -> Result<HeavySlot, ApiError> {
        {
            let mut per = self.per_device.lock().unwrap_or_else(|p| p.into_inner());
            let n = per.entry(device).or_insert(0);
            if *n >= self.max_per_device {
                return Err(busy(
                    "device_busy",
                    "this device already has batches being stored; send one at a time",
                    1,
                ));
            }
            *n += 1;
        }
        // From here the device's count is held; the guard gives it back on
        // every path (a refusal, this future dropped mid-wait, or the slot
        // it ends up in being dropped).
        let device_guard = DeviceCount {
            device,
            per_device: self.per_device.clone(),
        };
        let permit =
            match tokio::time::timeout(self.queue_wait, self.total.clone().acquire_owned()).await {
                Ok(Ok(p)) => p,
                // The semaphore is never closed; treat it as full if it were.
                Ok(Err(_)) | Err(_) => {
                    return Err(busy(
                        "server_busy",
                        "the server is storing other batches; retry shortly",
                        2,
                    ))
                }
            };
        Ok(HeavySlot {
            _total: permit,
            _device: device_guard,
        })
    }

    /// Runs CPU-heavy work (inflating, parsing, hashing) on the blocking
    /// pool, so the async workers keep answering `/healthz` and light
    /// requests, and at most `max_decoding` at once. Only batches holding a
    /// [`HeavySlot`] come here, so the wait is short and bounded.
    pub async fn decode<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self
            .decoding
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal("the decoding semaphore is closed", e))?;
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::internal("blocking task failed", e))
    }
}

fn busy(code: &'static str, message: &'static str, retry_after: u64) -> ApiError {
    tracing::debug!(code, "heavy request shed");
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, message).retry_after(retry_after)
}

/// One heavy request of a device, counted while it is held.
#[derive(Debug)]
struct DeviceCount {
    device: DeviceId,
    per_device: Arc<Mutex<HashMap<DeviceId, usize>>>,
}

impl Drop for DeviceCount {
    fn drop(&mut self) {
        let mut per = self.per_device.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = per.get_mut(&self.device) {
            *n -= 1;
            if *n == 0 {
                per.remove(&self.device);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_device: usize) -> Limits {
        Limits {
            max_heavy: total,
            max_heavy_per_device: per_device,
            heavy_queue_wait: Duration::from_millis(0),
            ..Limits::default()
        }
    }

    #[tokio::test]
    async fn a_device_gets_its_share_and_no_more() {
        let load = Load::new(&limits(8, 2));
        let d = DeviceId::new();
        let a = load.enter(d).await.unwrap();
        let _b = load.enter(d).await.unwrap();
        let e = load.enter(d).await.unwrap_err();
        assert_eq!(e.code, "device_busy");
        assert_eq!(e.retry_after, Some(1));
        // Another device is not held back by this one.
        let _c = load.enter(DeviceId::new()).await.unwrap();
        drop(a);
        load.enter(d).await.unwrap();
    }

    #[tokio::test]
    async fn a_full_server_sheds_and_frees_the_devices_share() {
        let load = Load::new(&limits(1, 2));
        let (d1, d2) = (DeviceId::new(), DeviceId::new());
        let held = load.enter(d1).await.unwrap();
        let e = load.enter(d2).await.unwrap_err();
        assert_eq!(e.code, "server_busy");
        assert!(e.retry_after.is_some());
        // The refused request did not keep d2's count.
        assert!(load.per_device.lock().unwrap().get(&d2).is_none());
        drop(held);
        assert!(load.per_device.lock().unwrap().is_empty());
        load.enter(d2).await.unwrap();
    }

    #[test]
    fn per_ip_slots_are_given_back() {
        let per = Arc::new(PerIp::default());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let a = per.enter(ip, 2).unwrap();
        let _b = per.enter(ip, 2).unwrap();
        assert!(per.enter(ip, 2).is_none());
        drop(a);
        assert!(per.enter(ip, 2).is_some());
    }
}
