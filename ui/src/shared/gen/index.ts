// PROVISIONAL: hand-written stand-in for the types ts-rs generates from the
// Rust crates (checkin-core, checkin-store, checkin-station, src-tauri).
// The lead replaces this folder with generated files (one per type, plus
// this barrel); import types only from 'shared/gen' so nothing else changes.

// ---- checkin-core ----
export type Level = "green" | "amber" | "red";
export type Direction = "in" | "out";
export type Source = "qr" | "kiosk" | "paper" | "manual" | "self";
export type PayloadKind = "cccd" | "pass" | "venue" | "enroll" | "dcc" | "url" | "text";
export type Gender = "male" | "female" | "other";
export type Symptom = "fever" | "cough" | "shortness_of_breath" | "pneumonia" | "sore_throat" | "fatigue";
export type Exposure = "confirmed_or_suspected_case" | "person_from_affected_area" | "person_with_symptoms";
/** Why a pass was refused at the gate. */
export type PassProblem = "malformed" | "unsupported_version" | "unknown_key" | "bad_signature" | "expired" | "not_yet_valid";
export type Reason =
  | { reason: "symptom"; detail: Symptom }
  | { reason: "exposure"; detail: Exposure }
  | { reason: "not_recognised" }
  | { reason: "invalid_code"; detail: string }
  | { reason: "no_declaration" }
  /** The pass or declaration is from an earlier day (date YYYY-MM-DD). */
  | { reason: "declaration_not_today"; detail: string }
  | { reason: "pass_invalid"; detail: PassProblem }
  /** The person is under quarantine (until date YYYY-MM-DD). */
  | { reason: "in_quarantine"; detail: string };
export type Verdict = { level: Level; reasons?: Array<Reason> };
/** A birth date "YYYY-MM-DD" or only a year. */
export type Birth = string | number;
export type Address = { province_code: string; district_code: string; commune_code: string; street: string };
export type Symptoms = { fever: boolean; cough: boolean; shortness_of_breath: boolean; pneumonia: boolean; sore_throat: boolean; fatigue: boolean };
export type Exposures = { confirmed_or_suspected_case: boolean; person_from_affected_area: boolean; person_with_symptoms: boolean };
export type Declaration = {
  full_name: string;
  id_number: string | null;
  birth: Birth;
  gender: Gender;
  /** ISO 3166-1 alpha-2, e.g. "VN". */
  nationality: string;
  phone: string;
  email: string | null;
  address: Address;
  places_visited: Array<string>;
  symptoms: Symptoms;
  exposures: Exposures;
  consent: boolean;
};
export type Problem =
  | { problem: "missing" }
  | { problem: "too_long"; max: number }
  | { problem: "format"; expected: string }
  | { problem: "out_of_range"; detail: string }
  | { problem: "consent_required" };
/** One invalid field, by its JSON key (dotted for nested: "address.commune_code"). */
export type FieldError = { field: string; problem: Problem };
export type VenueCategory = "school" | "hospital" | "clinic" | "hotel" | "quarantine_facility" | "transport" | "station_port" | "workplace" | "market" | "restaurant" | "other";
export type Venue = { id: string; name: string; category: VenueCategory; commune_code: string; address: string };

// ---- checkin-store ----
export type QueueStatus = { pending: number; synced: number; rejected: number; in_flight: number; conflict: number };
export type RecordState = "pending" | "sent" | "acknowledged" | "rejected" | "conflict";

// ---- checkin-station ----
/** What the gate shows of a person: never the full ID number. */
export type PersonView = { name: string; id_hint: string | null; birth_year: number | null };
export type PassView = { name: string; declared_on: string; expires_at: string; level: Level; issuer: string };
/** The answer to one scan, typed code or manual entry at the gate. */
export type Admission =
  | { status: "recorded"; checkin_id: string; verdict: Verdict; person: PersonView | null; kind: PayloadKind; direction: Direction; at: string; pass: PassView | null }
  /** Same code again within the hold time: one scan; nothing new stored. */
  | { status: "repeat"; kind: PayloadKind; at: string }
  /** A code that names no person (URL, text, venue poster, enrollment code, damaged ID card): not stored. */
  | { status: "not_checkin"; kind: PayloadKind; problem: string | null; at: string }
  /** A pass that failed verification: red, not stored. */
  | { status: "pass_refused"; problem: PassProblem; verdict: Verdict; at: string };
/** Pushed on "station://scan" for every camera scan. Times are Unix epoch milliseconds. */
export type ScanEvent = { admission: Admission; frame_at_ms: number; decided_at_ms: number; source: string };
export type Scope = { type: "venue"; venue_id: string } | { type: "commune"; commune_code: string };
export type Enrollment = { server_url: string; scope: Scope; province_code: string; label: string | null };
export type SyncPhase = "not_enrolled" | "idle" | "syncing" | "offline" | "error";
/** Pushed on "station://sync". */
export type SyncState = {
  phase: SyncPhase;
  /** The last contact with the server succeeded. */
  online: boolean;
  last_success_at: string | null;
  last_attempt_at: string | null;
  /** Progress of the current pass: records settled so far of `total`. */
  sent: number;
  total: number;
  /** What went wrong, for people (already in the UI language when possible). */
  message: string | null;
  /** Stable error code when phase is "error" or "offline". */
  error_code: string | null;
  next_try_at: string | null;
};
export type Language = "vi" | "en";
export type Settings = {
  language: Language;
  /** "" (none), "camera:N", "replay:/path/to/folder", or "webview" (getUserMedia frames). */
  camera: string;
  hold_seconds: number;
  kiosk_pin_set: boolean;
  /** The venue this station records for (one of StationStatus.venues). */
  venue_id: string | null;
};
export type SettingsPatch = { language?: Language; camera?: string; hold_seconds?: number; venue_id?: string | null };
/** Pushed on "station://status" whenever the queue or enrollment changes. */
export type StationStatus = {
  device_id: string;
  data_dir: string;
  queue: QueueStatus;
  enrollment: Enrollment | null;
  venues: Array<Venue>;
  /** "server" once a sync config arrived, else "default". */
  policy_from: "server" | "default";
  sync: SyncState;
  settings: Settings;
  /** People under quarantine here who have not sent today's update. */
  quarantine_due: number;
};
export type CameraInfo = { source: string; name: string };
export type CameraState = { state: "stopped" | "starting" | "running" | "error"; source: string; message: string | null; fps: number };
export type Unit = { code: string; name: string; kind: string };
export type IssuedPass = { text: string; svg: string; name: string; declared_on: string; expires_at: string; level: Level };
export type SameDayRecord = { record_id: string; kind: "checkin" | "declaration" | "health_update"; at: string; source: Source; name: string };
export type Declared = {
  record_id: string;
  verdict: Verdict;
  pass: IssuedPass | null;
  /** Paper entry at a venue also records the visit. */
  checkin_id: string | null;
  /** Records of the same person on the same day, made before this one. */
  same_day: Array<SameDayRecord>;
};
/** Typed by staff for people without a code (manual entry, paper logbooks). */
export type TypedPerson = { full_name: string; id_number: string | null; phone: string | null; birth_year: number | null };
/** A paper declaration: the form plus the date and time written on the paper (RFC 3339). */
export type PaperDeclaration = { declaration: Declaration; written_at: string; direction: Direction | null };
/** A paper logbook line: who, when (RFC 3339, as written), in or out. */
export type PaperVisit = { person: TypedPerson; written_at: string; direction: Direction };
export type QuarantineKind = "home" | "facility";
export type HealthUpdateView = { at: string; temperature_c: number | null; symptoms: Symptoms; note: string };
export type QuarantineCase = {
  id: string;
  person: PersonView;
  kind: QuarantineKind;
  place: string;
  start_date: string;
  end_date: string;
  updated_today: boolean;
  last_update: HealthUpdateView | null;
};
/** Identify the person by a scanned/typed code (ID card or pass) or by typed details. */
export type QuarantineRegistration = { code: string | null; person: TypedPerson | null; kind: QuarantineKind; place: string; start_date: string; end_date: string };
export type HealthUpdateInput = { case_id: string; temperature_c: number | null; symptoms: Symptoms; note: string };
export type RejectedRecord = {
  seq: number;
  record_id: string;
  kind: "checkin" | "declaration" | "health_update" | "quarantine";
  state: "rejected" | "conflict";
  reason: string;
  /** One line for people: who, where, when. */
  summary: string;
  venue_id: string | null;
  at: string;
};
export type EnrollInput = {
  /** The scanned or pasted enrollment code: "CKE1:<token>@<url>" or "CKE1:<token>". */
  code: string;
  /** Needed when the code carries no server address. */
  server_url: string | null;
  label: string | null;
  /** Re-enroll although records of the current enrollment are pending. */
  force: boolean;
};
/** Every command error: branch on `code`; `message` is for display only. */
export type CommandError = { code: string; message: string; fields?: Array<FieldError> };
