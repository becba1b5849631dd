//! Draining the outbox: bounded batches, two in flight, answers applied in
//! one store transaction, backoff with jitter that honours `Retry-After`.

use super::{enrolled, Client, EncodedBatch, Encoding, SyncError, SyncOptions, SyncReport};
use crate::codec;
use crate::protocol::{RecordStatus, SyncResponse, MAX_BATCH_RECORDS};
use checkin_store::{OutboxItem, Outcome, Store};
use rand::Rng;
use std::time::Duration;

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

/// Builds `{"records":[…]}` from the stored bodies and compresses it.
pub fn encode_batch(items: &[OutboxItem], encoding: Encoding) -> Result<EncodedBatch, SyncError> {
    encode_batch_at(items, encoding, 9)
}

/// [`encode_batch`] at a chosen zstd level (1-19; gzip: best above 6).
pub fn encode_batch_at(
    items: &[OutboxItem],
    encoding: Encoding,
    zstd_level: i32,
) -> Result<EncodedBatch, SyncError> {
    // The stored bodies go out byte for byte: a resend is identical.
    let json = codec::batch_json(items.iter().map(|i| i.body.as_str()));
    let bytes = codec::compress(json.as_bytes(), encoding, zstd_level)
        .map_err(|e| SyncError::Protocol(e.to_string()))?;
    Ok(EncodedBatch {
        bytes,
        encoding: encoding.header(),
    })
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
                opts.progress.report(report.sent);
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
