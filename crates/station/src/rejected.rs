//! Records the server refused: listed with their reasons, re-queued as they
//! are once the cause is dealt with, or re-issued for another venue.

use crate::{RefusedState, RejectedRecord, Result, Station, StationError};
use checkin_core::{Record, VenueId};
use checkin_store::{ListFilter, RecordState};

impl Station {
    /// The refused records, newest first.
    pub fn rejected(&self) -> Result<Vec<RejectedRecord>> {
        let items = self.store.list(ListFilter {
            rejected_only: true,
            ..ListFilter::default()
        })?;
        Ok(items
            .into_iter()
            .map(|item| RejectedRecord {
                seq: item.seq,
                record_id: item.record.id().to_string(),
                kind: item.record.kind(),
                state: match item.state {
                    RecordState::Conflict => RefusedState::Conflict,
                    _ => RefusedState::Rejected,
                },
                reason: item.reason.unwrap_or_default(),
                summary: summary(&item.record),
                venue_id: item.record.venue_id().map(ToString::to_string),
                at: item.record.device_time(),
            })
            .collect())
    }

    /// Puts a refused record back in the queue unchanged.
    pub fn requeue(&mut self, seq: u64) -> Result<()> {
        if self.store.requeue(seq)? {
            Ok(())
        } else {
            Err(StationError::NotFound {
                what: "refused record",
            })
        }
    }

    /// Re-issues a refused record for another venue of this station (the
    /// usual fix for `venue_outside_scope`): a corrected copy with a new id
    /// is queued and the refused one removed, in one transaction.
    pub fn fix_venue(&mut self, seq: u64, venue: &str) -> Result<()> {
        let venue: VenueId = venue
            .parse()
            .map_err(|e| StationError::bad("invalid_venue", format!("venue {venue:?}: {e}")))?;
        let venues = self.venues();
        if !venues.is_empty() && !venues.iter().any(|v| v.id == venue) {
            return Err(StationError::bad(
                "venue_outside_scope",
                format!("venue {venue} is not one this station is enrolled for"),
            ));
        }
        let done = self.store.reissue(seq, |r| match r {
            Record::Checkin(c) => c.venue_id = venue.clone(),
            Record::Declaration(d) => d.venue_id = Some(venue.clone()),
            Record::Quarantine(q) => q.venue_id = Some(venue.clone()),
            Record::HealthUpdate(h) => h.venue_id = Some(venue.clone()),
        })?;
        done.map(drop).ok_or(StationError::NotFound {
            what: "refused record",
        })
    }
}

/// One line about a record: what, who, where.
fn summary(record: &Record) -> String {
    match record {
        Record::Checkin(c) => format!(
            "check-in {} {} at {}",
            c.direction,
            c.subject.full_name().unwrap_or("(code)"),
            c.venue_id
        ),
        Record::Declaration(d) => format!("declaration ({}) {}", d.source, d.declaration.full_name),
        Record::Quarantine(q) => format!(
            "quarantine {} {}–{}",
            q.subject.full_name().unwrap_or("?"),
            q.start_date,
            q.end_date
        ),
        Record::HealthUpdate(h) => format!("health update {}", h.date),
    }
}
