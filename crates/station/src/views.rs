//! What the station's use cases return: plain values that the CLI prints as
//! JSON and the app's UI renders (TypeScript types generated with ts-rs).

use checkin_core::{
    AdminUnit, Direction, FieldError, Level, PassProblem, PayloadKind, QuarantineKind, Source,
    Symptoms, TypedPerson, Venue, Verdict,
};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

/// What the gate shows of a person: never the full ID number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct PersonView {
    pub name: String,
    /// The last four characters of the ID number, e.g. "•••2345".
    pub id_hint: Option<String>,
    pub birth_year: Option<i32>,
}

/// A verified visitor pass, as the gate shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct PassView {
    pub name: String,
    pub declared_on: NaiveDate,
    pub expires_at: DateTime<FixedOffset>,
    pub level: Level,
    /// The issuing key's id (hex).
    pub issuer: String,
}

/// The answer to one scan, typed code or manual entry at the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Admission {
    /// Stored as a check-in (before this value was returned).
    Recorded {
        checkin_id: String,
        verdict: Verdict,
        person: Option<PersonView>,
        kind: PayloadKind,
        direction: Direction,
        at: DateTime<FixedOffset>,
        pass: Option<PassView>,
    },
    /// The same code again within the hold time: one scan, nothing new stored.
    Repeat {
        kind: PayloadKind,
        at: DateTime<FixedOffset>,
    },
    /// A code that names no person: not stored. `problem` is
    /// `names_no_person`, `enrollment_code`, `damaged_id_card` or
    /// `damaged_card` (a health-insurance card or personal QR code).
    NotCheckin {
        kind: PayloadKind,
        problem: Option<String>,
        /// What is wrong with a damaged code, in words (e.g. which field of
        /// a health-insurance card does not read).
        detail: Option<String>,
        /// The code itself, only for an enrollment code (so the settings
        /// screen can enroll with what the camera read); never kept.
        text: Option<String>,
        at: DateTime<FixedOffset>,
    },
    /// A visitor pass that failed verification: red, not stored.
    PassRefused {
        problem: PassProblem,
        verdict: Verdict,
        at: DateTime<FixedOffset>,
    },
}

impl Admission {
    /// The verdict shown, where there is one.
    pub fn verdict(&self) -> Option<&Verdict> {
        match self {
            Self::Recorded { verdict, .. } | Self::PassRefused { verdict, .. } => Some(verdict),
            _ => None,
        }
    }

    /// The stored check-in's id, when one was stored.
    pub fn checkin_id(&self) -> Option<&str> {
        match self {
            Self::Recorded { checkin_id, .. } => Some(checkin_id),
            _ => None,
        }
    }
}

/// A camera scan on its way to the screen. Times are Unix epoch milliseconds
/// so the page can measure frame-to-verdict latency on the same clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ScanEvent {
    pub admission: Admission,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub frame_at_ms: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub decided_at_ms: i64,
    pub source: String,
}

/// What a device may write for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "Scope"))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScopeView {
    Venue { venue_id: String },
    Commune { commune_code: String },
}

/// This station's enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Enrollment {
    pub server_url: String,
    pub scope: ScopeView,
    pub province_code: String,
    pub label: Option<String>,
}

/// Where sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    NotEnrolled,
    Idle,
    Syncing,
    Offline,
    Error,
}

/// Sync progress and health, pushed to the screen as it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SyncState {
    pub phase: SyncPhase,
    /// The last contact with the server succeeded.
    pub online: bool,
    pub last_success_at: Option<DateTime<FixedOffset>>,
    pub last_attempt_at: Option<DateTime<FixedOffset>>,
    /// Records settled in the current pass, of `total` pending at its start.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sent: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// What went wrong, for people.
    pub message: Option<String>,
    /// Stable error code when phase is `error` or `offline`.
    pub error_code: Option<String>,
    pub next_try_at: Option<DateTime<FixedOffset>>,
}

impl SyncState {
    /// The state before the first pass.
    pub fn initial(enrolled: bool) -> Self {
        Self {
            phase: if enrolled {
                SyncPhase::Idle
            } else {
                SyncPhase::NotEnrolled
            },
            online: false,
            last_success_at: None,
            last_attempt_at: None,
            sent: 0,
            total: 0,
            message: None,
            error_code: None,
            next_try_at: None,
        }
    }
}

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Vi,
    En,
}

/// The station's own settings (kept in its store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Settings {
    pub language: Language,
    /// "" (none), "camera:N", "replay:/path/to/folder", or "webview"
    /// (frames from the page's getUserMedia).
    pub camera: String,
    pub hold_seconds: f64,
    pub kiosk_pin_set: bool,
    /// The venue this station records for.
    pub venue_id: Option<String>,
}

/// A change of settings; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub language: Option<Language>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub camera: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub hold_seconds: Option<f64>,
    /// `Some(None)` clears the venue.
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string | null"))]
    pub venue_id: Option<Option<String>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|x| x.as_deref()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

/// Where the verdict rules come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum PolicySource {
    /// The server's sync config.
    Server,
    /// The built-in default (never synced).
    Default,
}

/// Why the server refused a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum RefusedState {
    /// Refused (outside the scope, invalid).
    Rejected,
    /// The server holds another record under the same id.
    Conflict,
}

/// The whole station at a glance (pushed whenever the queue or settings change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StationStatus {
    pub device_id: String,
    pub data_dir: String,
    pub queue: checkin_store::QueueStatus,
    pub enrollment: Option<Enrollment>,
    /// Venues this station may record for.
    pub venues: Vec<Venue>,
    /// `server` once a sync config arrived, else `default`.
    pub policy_from: PolicySource,
    pub sync: SyncState,
    pub settings: Settings,
    /// People under quarantine here who have not sent today's update.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quarantine_due: u64,
    /// The vaccine-passport trust list this station verifies with, when it
    /// has downloaded one.
    pub trust_list: Option<TrustListStatus>,
}

/// The station's copy of the vaccine-passport trust list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct TrustListStatus {
    /// When the server imported it (its age is counted from here).
    pub imported_at: DateTime<Utc>,
    /// The list's own date, when it gives one.
    pub updated_at: Option<DateTime<Utc>>,
    pub certificates: u32,
}

/// A camera or other frame source the station can open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CameraInfo {
    /// What to pass to `camera_start`: "camera:N", "replay:DIR", "webview".
    pub source: String,
    pub name: String,
}

/// Whether the camera is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum CameraPhase {
    Stopped,
    Starting,
    Running,
    Error,
}

/// The camera task's state, pushed as it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CameraState {
    pub state: CameraPhase,
    pub source: String,
    pub message: Option<String>,
    pub fps: f64,
}

/// A signed visitor pass, ready to show and print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct IssuedPass {
    /// The text in the QR code (`CKP1:…`).
    pub text: String,
    /// The QR code as an SVG document.
    pub svg: String,
    pub name: String,
    pub declared_on: NaiveDate,
    pub expires_at: DateTime<FixedOffset>,
    pub level: Level,
}

/// Another record of the same person on the same day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SameDayRecord {
    pub record_id: String,
    pub kind: checkin_core::RecordKind,
    pub at: DateTime<FixedOffset>,
    pub source: Source,
    pub name: String,
}

/// A declaration stored by the kiosk or paper entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Declared {
    pub record_id: String,
    pub verdict: Verdict,
    pub pass: Option<IssuedPass>,
    /// Paper entry at a venue also records the visit.
    pub checkin_id: Option<String>,
    /// Records of the same person on the same day, made before this one.
    pub same_day: Vec<SameDayRecord>,
}

/// A paper declaration: the form and the date and time written on the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct PaperDeclaration {
    pub declaration: checkin_core::Declaration,
    pub written_at: DateTime<FixedOffset>,
    /// Also record the visit at the station's venue (in or out); none: only the form.
    #[serde(default)]
    pub direction: Option<Direction>,
}

/// A line of a paper logbook: who, when (as written), in or out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct PaperVisit {
    pub person: TypedPerson,
    pub written_at: DateTime<FixedOffset>,
    pub direction: Direction,
}

/// One update of a quarantined person, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct HealthUpdateView {
    pub at: DateTime<FixedOffset>,
    pub date: NaiveDate,
    pub temperature_c: Option<f64>,
    pub symptoms: Symptoms,
    pub note: String,
    pub verdict: Verdict,
}

/// A person followed under quarantine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "QuarantineCase"))]
pub struct QuarantineCaseView {
    pub id: String,
    pub person: PersonView,
    pub kind: QuarantineKind,
    pub place: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The quarantine covers today.
    pub active: bool,
    pub updated_today: bool,
    pub last_update: Option<HealthUpdateView>,
}

/// Put a person under quarantine: identified by a scanned or typed code (ID
/// card, or a pass issued here) or by typed details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct QuarantineRegistration {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub person: Option<TypedPerson>,
    pub kind: QuarantineKind,
    pub place: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// Today's update of a quarantined person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct HealthUpdateInput {
    pub case_id: String,
    pub temperature_c: Option<f64>,
    #[serde(default)]
    pub symptoms: Symptoms,
    #[serde(default)]
    pub note: String,
}

/// A record the server refused, kept on the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct RejectedRecord {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    pub record_id: String,
    pub kind: checkin_core::RecordKind,
    pub state: RefusedState,
    pub reason: String,
    /// One line for people: who, where, when.
    pub summary: String,
    pub venue_id: Option<String>,
    pub at: DateTime<FixedOffset>,
}

/// Enroll this station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct EnrollInput {
    /// The scanned or pasted code: `CKE1:<token>@<url>` or `CKE1:<token>`.
    pub code: String,
    /// Needed when the code carries no server address.
    #[serde(default)]
    pub server_url: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    /// Re-enroll although records of the current enrollment are pending.
    #[serde(default)]
    pub force: bool,
}

/// An administrative unit for the address pickers.
pub type Unit = AdminUnit;

/// An error as the UI receives it: branch on `code`, show `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CommandError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

impl From<&crate::StationError> for CommandError {
    fn from(e: &crate::StationError) -> Self {
        Self {
            code: e.code().to_string(),
            message: e.to_string(),
            fields: e.fields().map(<[FieldError]>::to_vec),
        }
    }
}
