//! Records as devices send them, and as stored.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::calendar::local_date;
use checkin_core::{DeviceId, IsoWeek, Record, RecordId, RecordKind, ReportFacts, VenueId};
use checkin_sync::protocol::RecordStatus;
use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One record of a batch, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRecord {
    pub id: RecordId,
    pub kind: RecordKind,
    pub venue_id: Option<VenueId>,
    pub device_time: DateTime<FixedOffset>,
    /// Canonical JSON of the record (what the server re-serialised).
    pub body: String,
    /// Hex SHA-256 of `body`: equal hashes mean a resend, different a conflict.
    pub content_hash: String,
    /// What reports count it by.
    pub facts: ReportFacts,
}

impl IncomingRecord {
    /// A parsed record with the body it came as and that body's hash.
    pub fn of(record: &Record, body: String, content_hash: String) -> Self {
        Self {
            id: record.id(),
            kind: record.kind(),
            venue_id: record.venue_id().cloned(),
            device_time: record.device_time(),
            body,
            content_hash,
            facts: record.report_facts(),
        }
    }
}

/// A record's report columns as both stores keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FactColumns {
    /// The venue's commune, else the device's.
    pub commune_code: Option<String>,
    pub source: &'static str,
    pub direction: Option<&'static str>,
    pub level: Option<&'static str>,
    pub visit_time: DateTime<Utc>,
    /// The date of `visit_time` in Asia/Ho_Chi_Minh.
    pub local_date: NaiveDate,
    pub person_key: Option<String>,
    /// Where a declarant lives (declarations only).
    pub home_commune: Option<String>,
}

impl FactColumns {
    pub fn new(facts: &ReportFacts, commune_code: Option<String>) -> Self {
        Self {
            commune_code,
            source: facts.source.as_str(),
            direction: facts.direction.map(|d| match d {
                checkin_core::Direction::In => "in",
                checkin_core::Direction::Out => "out",
            }),
            level: facts.level.map(|l| l.as_str()),
            visit_time: stored_instant(&facts.visit_time),
            local_date: local_date(&facts.visit_time),
            person_key: facts.person_key.as_ref().map(ToString::to_string),
            home_commune: facts.home_commune.clone(),
        }
    }
}

/// Where a batch's records are: each venue's commune, and the device's
/// commune for records with no venue (a commune's device, or a venue
/// device's venue).
#[derive(Debug, Clone, Default)]
pub(crate) struct Communes {
    pub of_venue: HashMap<String, String>,
    pub of_device: Option<String>,
}

impl Communes {
    pub fn of(&self, venue: Option<&str>) -> Option<String> {
        venue
            .and_then(|v| self.of_venue.get(v))
            .or(self.of_device.as_ref())
            .cloned()
    }
}

/// Where the rows stored before schema 4 belong, for its backfill: each
/// venue's commune and each device's, by (province, id).
#[derive(Debug, Default)]
pub(crate) struct Places {
    pub venues: HashMap<(String, String), String>,
    pub devices: HashMap<(String, String), Option<String>>,
}

impl Places {
    /// A stored body's record and report columns; `None` when the body is
    /// not a record this server reads.
    pub fn facts_of(
        &self,
        province: &str,
        device: &str,
        body: &str,
    ) -> Option<(Record, FactColumns)> {
        let record: Record = serde_json::from_str(body).ok()?;
        let key = |id: &str| (province.to_string(), id.to_string());
        let commune = record
            .venue_id()
            .and_then(|v| self.venues.get(&key(v.as_str())).cloned())
            .or_else(|| self.devices.get(&key(device)).cloned().flatten());
        let f = FactColumns::new(&record.report_facts(), commune);
        Some((record, f))
    }
}

/// One row of `daily_counts`: empty text stands for "none".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CountKey {
    pub local_date: NaiveDate,
    pub commune_code: String,
    pub venue_id: String,
    pub kind: &'static str,
    pub source: &'static str,
    pub direction: &'static str,
}

/// The tables day counts are kept in: per venue, and per commune.
pub(crate) const COUNT_TABLES: [&str; 2] = ["daily_counts", "commune_counts"];

/// The ISO weeks (by their Monday) in which a batch's counts show a venue
/// storing a record of a kind: the rows `venue_weeks` needs.
pub(crate) fn venue_weeks(
    counts: &BTreeMap<CountKey, i64>,
) -> BTreeSet<(NaiveDate, &'static str, &str)> {
    counts
        .keys()
        .filter(|k| !k.venue_id.is_empty())
        .map(|k| {
            (
                IsoWeek::of(k.local_date).monday(),
                k.kind,
                k.venue_id.as_str(),
            )
        })
        .collect()
}

/// A batch's day counts per commune: the venue left out.
pub(crate) fn by_commune(counts: &BTreeMap<CountKey, i64>) -> BTreeMap<CountKey, i64> {
    let mut out = BTreeMap::new();
    for (k, n) in counts {
        let key = CountKey {
            venue_id: String::new(),
            ..k.clone()
        };
        *out.entry(key).or_default() += n;
    }
    out
}

/// Adds one stored record to the day counts of its batch.
pub(crate) fn tally(
    counts: &mut BTreeMap<CountKey, i64>,
    kind: RecordKind,
    venue: Option<&str>,
    f: &FactColumns,
) {
    let key = CountKey {
        local_date: f.local_date,
        commune_code: f.commune_code.clone().unwrap_or_default(),
        venue_id: venue.unwrap_or_default().to_string(),
        kind: kind.as_str(),
        source: f.source,
        direction: f.direction.unwrap_or_default(),
    };
    *counts.entry(key).or_default() += 1;
}

/// A person's declarations in one commune, as a batch adds them to
/// `declarants`: keyed by (identity key, commune).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclarantRow {
    pub home_commune: String,
    pub first_date: NaiveDate,
    pub received_date: NaiveDate,
    pub source: &'static str,
    pub last_date: NaiveDate,
}

pub(crate) type Declarants = BTreeMap<(String, String), DeclarantRow>;

/// Adds one stored declaration to its batch's declarants; other kinds and
/// declarations with no identity key or no commune count nothing.
pub(crate) fn note_declarant(
    out: &mut Declarants,
    kind: RecordKind,
    f: &FactColumns,
    received: NaiveDate,
) {
    let (RecordKind::Declaration, Some(person), Some(commune)) =
        (kind, f.person_key.as_ref(), f.commune_code.as_ref())
    else {
        return;
    };
    let row = DeclarantRow {
        home_commune: f.home_commune.clone().unwrap_or_default(),
        first_date: f.local_date,
        received_date: received,
        source: f.source,
        last_date: f.local_date,
    };
    out.entry((person.clone(), commune.clone()))
        .and_modify(|r| r.merge(&row))
        .or_insert(row);
}

/// Adds a batch's declarant row, keeping the earliest first declaration
/// and the latest last one. `?N` placeholders; PostgreSQL's are `$N`.
pub(crate) const UPSERT_DECLARANT: &str =
    "INSERT INTO declarants (province_code, person_key, commune_code, home_commune, first_date,
         received_date, source, last_date)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (province_code, person_key, commune_code) DO UPDATE SET
         home_commune = CASE WHEN excluded.first_date < declarants.first_date
             THEN excluded.home_commune ELSE declarants.home_commune END,
         received_date = CASE WHEN excluded.first_date < declarants.first_date
             THEN excluded.received_date ELSE declarants.received_date END,
         source = CASE WHEN excluded.first_date < declarants.first_date
             THEN excluded.source ELSE declarants.source END,
         first_date = CASE WHEN excluded.first_date < declarants.first_date
             THEN excluded.first_date ELSE declarants.first_date END,
         last_date = CASE WHEN excluded.last_date > declarants.last_date
             THEN excluded.last_date ELSE declarants.last_date END";

/// Marks a person's earliest row (ties by commune code) as the one the
/// system counts them on; writes only rows whose mark changes.
pub(crate) const MARK_FIRST: &str = "UPDATE declarants SET is_first = 1 - is_first
     WHERE province_code = ?1 AND person_key = ?2
       AND is_first <> CASE WHEN commune_code = (
             SELECT d.commune_code FROM declarants d
             WHERE d.province_code = ?1 AND d.person_key = ?2
             ORDER BY d.first_date, d.commune_code LIMIT 1) THEN 1 ELSE 0 END";

/// A `declarant_days` row: declarants of a commune counted by what
/// reconciliation compares with a figure's date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DayKey {
    pub commune_code: String,
    pub first_date: NaiveDate,
    pub received_date: NaiveDate,
    pub is_first: bool,
    pub paper: bool,
}

/// How a batch moves the `declarant_days` counts, in key order so that
/// concurrent batches take their row locks in the same order.
#[derive(Debug, Default)]
pub(crate) struct DayDeltas(BTreeMap<DayKey, i64>);

impl DayDeltas {
    /// Counts a declarant row (`sign` 1) or takes it back (`sign` -1).
    pub fn add(
        &mut self,
        commune_code: String,
        first_date: NaiveDate,
        received_date: NaiveDate,
        is_first: bool,
        source: &str,
        sign: i64,
    ) {
        let paper = source
            .parse::<checkin_core::Source>()
            .is_ok_and(|s| s.on_paper());
        let key = DayKey {
            commune_code,
            first_date,
            received_date,
            is_first,
            paper,
        };
        *self.0.entry(key).or_default() += sign;
    }

    /// The rows whose count changes, in key order.
    pub fn changes(&self) -> impl Iterator<Item = (&DayKey, i64)> {
        self.0
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(k, n)| (k, *n))
    }
}

/// A person's declarant rows, as [`DayDeltas`] counts them.
pub(crate) const PERSON_ROWS: &str =
    "SELECT commune_code, first_date, received_date, is_first, source FROM declarants
     WHERE province_code = ?1 AND person_key = ?2";

/// Moves one `declarant_days` count.
pub(crate) const ADD_DECLARANT_DAY: &str =
    "INSERT INTO declarant_days (province_code, commune_code, first_date, received_date,
         is_first, paper, n)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (province_code, commune_code, first_date, received_date, is_first, paper)
     DO UPDATE SET n = declarant_days.n + excluded.n";

/// The distinct people of a batch's declarants (keys are ordered by person).
pub(crate) fn people(declarants: &Declarants) -> impl Iterator<Item = &str> {
    let mut last: Option<&str> = None;
    declarants.keys().filter_map(move |(person, _)| {
        let p = person.as_str();
        (last != Some(p)).then(|| {
            last = Some(p);
            p
        })
    })
}

/// `?N` placeholders as PostgreSQL's `$N`.
pub(crate) fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl DeclarantRow {
    /// Keeps the earlier first declaration (its home, arrival and source)
    /// and the later last one; what the stores' upserts do too.
    pub fn merge(&mut self, other: &DeclarantRow) {
        if other.first_date < self.first_date {
            self.first_date = other.first_date;
            self.received_date = other.received_date;
            self.source = other.source;
            self.home_commune = other.home_commune.clone();
        }
        self.last_date = self.last_date.max(other.last_date);
    }
}

/// What the store did with one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// `Accepted`, `Duplicate`, `Conflict`, or `Rejected` when the database
    /// refused the record's data (the rest of the batch is stored).
    pub status: RecordStatus,
    /// Why it was rejected (`storage_rejected: …`): never personal data.
    pub reason: Option<String>,
}

impl From<RecordStatus> for Ingested {
    fn from(status: RecordStatus) -> Self {
        Self {
            status,
            reason: None,
        }
    }
}

impl Ingested {
    /// A record the database refused; `what` names the error class only.
    pub(crate) fn refused(what: &str) -> Self {
        Self {
            status: RecordStatus::Rejected,
            reason: Some(format!(
                "storage_rejected: the database cannot store this record ({what})"
            )),
        }
    }
}

/// A batch from one device, stored in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestBatch {
    pub device_id: DeviceId,
    pub province_code: String,
    pub received_at: DateTime<Utc>,
    /// Server clock minus device clock when the batch arrived, in milliseconds.
    pub clock_skew_ms: i64,
    pub records: Vec<IncomingRecord>,
}

/// A stored record, as read back by tests and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: RecordId,
    pub province_code: String,
    pub device_id: DeviceId,
    pub content_hash: String,
    /// The device's clock at the record, as a UTC instant to the microsecond.
    pub device_time: DateTime<Utc>,
    /// The date of the visit in Asia/Ho_Chi_Minh; `None` only for rows
    /// stored before schema 4 whose body could not be read.
    pub local_date: Option<NaiveDate>,
    /// When the visit happened (the paper's time, else the device clock).
    pub visit_time: Option<DateTime<Utc>>,
    pub commune_code: Option<String>,
    pub source: Option<String>,
    pub person_key: Option<String>,
    /// The stored body's length: 0 once the purge cleared it.
    pub body_bytes: usize,
    pub received_at: DateTime<Utc>,
    pub clock_skew_ms: i64,
}

/// Records as devices send them.
#[async_trait]
pub trait IngestStore: Send + Sync {
    /// Stores a batch in one transaction, each record at most once per
    /// device; returns per record, in order, `Accepted`, `Duplicate`,
    /// `Conflict`, or `Rejected` with a reason when the database refused
    /// that record's data. Other failures (connection, I/O, locks) fail the
    /// whole batch, which the device sends again.
    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError>;
    /// Reads every stored record id with its metadata (tests, audits).
    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError>;
}

/// A record's time as both stores keep it: the UTC instant, cut to the
/// microsecond (PostgreSQL's precision) so both read back the same.
pub(crate) fn stored_instant(t: &DateTime<FixedOffset>) -> DateTime<Utc> {
    t.with_timezone(&Utc).trunc_subsecs(6)
}
