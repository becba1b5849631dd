//! `checkin status` and `checkin list`: what the station holds.

use crate::exit::open_store;
use anyhow::Result;
use checkin_core::Record;
use checkin_store::ListFilter;
use std::path::Path;

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Print `{"pending":..,"synced":..,"rejected":..,...}`.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only records not yet acknowledged by the server.
    #[arg(long, conflicts_with = "rejected")]
    pending: bool,
    /// Only records the server refused (kept for review).
    #[arg(long)]
    rejected: bool,
    /// At most this many records.
    #[arg(long)]
    limit: Option<u64>,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

pub fn status(data_dir: &Path, args: StatusArgs) -> Result<()> {
    let store = open_store(data_dir)?;
    let st = store.status()?;
    if args.json {
        println!("{}", serde_json::to_string(&st)?);
    } else {
        println!("pending   {} (in flight {})", st.pending, st.in_flight);
        println!("synced    {}", st.synced);
        println!("rejected  {} (conflicts {})", st.rejected, st.conflict);
        println!("device    {}", store.device_id());
        println!("database  {}", store.path().display());
        // The copy the gate verifies vaccine passports with offline.
        match checkin_sync::client::stored_trust_list(&store) {
            Ok(Some(t)) => {
                let days = (chrono::Utc::now() - t.imported_at).num_days().max(0);
                println!(
                    "trust list {} certificates, imported {} ({days} days ago)",
                    t.document.certificates.len(),
                    t.imported_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
            Ok(None) => println!("trust list none (vaccine passports cannot be verified)"),
            Err(e) => println!("trust list unreadable: {e}"),
        }
    }
    Ok(())
}

pub fn list(data_dir: &Path, args: ListArgs) -> Result<()> {
    let store = open_store(data_dir)?;
    let filter = ListFilter {
        pending_only: args.pending,
        rejected_only: args.rejected,
        limit: args.limit,
    };
    for item in store.list(filter)? {
        if args.json {
            println!("{}", serde_json::to_string(&item)?);
            continue;
        }
        let (time, what) = match &item.record {
            Record::Checkin(c) => (
                c.device_time,
                format!(
                    "checkin {} {} {} {}",
                    c.venue_id, c.direction, c.source, c.verdict.level
                ),
            ),
            Record::Declaration(d) => (
                d.device_time,
                format!(
                    "declaration {} {} {}",
                    d.source, d.declaration.full_name, d.verdict.level
                ),
            ),
            Record::Quarantine(q) => (
                q.device_time,
                format!(
                    "quarantine {} {}..{}",
                    q.subject.full_name().unwrap_or("?"),
                    q.start_date,
                    q.end_date
                ),
            ),
            Record::HealthUpdate(h) => (
                h.device_time,
                format!("health_update {} {}", h.date, h.verdict.level),
            ),
        };
        let reason = item
            .reason
            .as_deref()
            .map(|r| format!("  ({r})"))
            .unwrap_or_default();
        println!(
            "{:>6}  {}  {:<12}  {}  {}{}",
            item.seq,
            time.format("%Y-%m-%d %H:%M:%S%:z"),
            item.state.as_str(),
            item.record.id(),
            what,
            reason
        );
    }
    Ok(())
}
