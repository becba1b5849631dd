// The JSON the dashboard API answers (docs/dashboard.md; the report shapes
// are the server's structs in crates/server/src/reports/). Dates are local
// dates in Asia/Ho_Chi_Minh, "YYYY-MM-DD".

export type Level = 'province' | 'district' | 'commune';

/** An administrative unit as the dashboard API names it. */
export interface Unit {
  code: string;
  name: string;
  level: Level;
  parent: string | null;
}

/** viewer reads reports; tracer also traces contacts; admin also manages users. */
export type Role = 'viewer' | 'tracer' | 'admin';

export interface User {
  login: string;
  role: Role | string;
  area: Unit;
}

/** `POST /login` and `GET /me`. */
export interface Session {
  user: User;
  csrf: string;
}

/** `GET /areas`: the user's area first, then every unit inside it. */
export interface Areas {
  area: Unit;
  units: Unit[];
}

export interface UnitName {
  code: string;
  name: string;
}

export interface QrRow {
  code: string;
  name: string;
  venues: number;
  scans: number;
  venues_change: number;
  scans_change: number;
  low: boolean;
}

export interface QrPoints {
  unit: UnitName;
  as_of: string;
  compare: string;
  rows: QrRow[];
  total: { venues: number; scans: number; venues_change: number; scans_change: number };
  low_rule: string;
  leaders: string[];
  laggards: string[];
}

export interface SilentPoint {
  venue_id: string;
  venue_name: string;
  commune_code: string;
  commune_name: string;
}

export interface SilentPoints {
  unit: UnitName;
  /** "YYYY-Www" */
  week: string;
  from: string;
  to: string;
  /** QR points registered by the end of the week. */
  venues: number;
  reported_zero: SilentPoint[];
  sent_no_data: SilentPoint[];
  scans: { this_week: number; previous_week: number; change: number };
}

export interface EVsPaperRow {
  venue_id: string;
  venue_name: string;
  commune_code: string;
  total: number;
  electronic: number;
  paper: number;
}

export interface EVsPaper {
  unit: UnitName;
  from: string;
  to: string;
  rows: EVsPaperRow[];
  total: { total: number; electronic: number; paper: number };
}

/** coverage: one row per child unit, ranked by share (reports/coverage.rs). */
export interface CoverageRow {
  /** 1 for the highest share (ties share a rank); null without a population (listed last). */
  rank: number | null;
  code: string;
  name: string;
  population: number | null;
  /** Distinct people living here who had declared by `as_of`. */
  declared: number;
  /** Percent of the population, to one decimal; null without a population. */
  share: number | null;
}

export interface Coverage {
  unit: UnitName;
  as_of: string;
  rows: CoverageRow[];
  total: { population: number | null; declared: number; share: number | null };
}

/** The counts a reported figure is reconciled with (server-db `Reconciled`). */
export interface Reconciled {
  /** People the commune or agency reported as having declared, as of `date`. */
  reported: number;
  /** First declared here by the date, and the server had it by then. */
  system: number;
  /** Declared by the date on paper typed in after it. */
  paper_late: number;
  /** Declared by the date on a device that synced after it. */
  synced_late: number;
  /** Declared here by the date but counted where they first declared. */
  other_units: number;
  /** Reached the server by the date but dated after it. */
  outside_period: number;
}

/** reconciliation: one reported figure (its latest on or before `as_of`) against the system. */
export interface ReconciliationRow extends Reconciled {
  commune_code: string;
  commune_name: string;
  /** Empty for the commune's own figure. */
  agency: string;
  /** The figure's date. */
  date: string;
  /** reported − system. */
  difference: number;
  /** paper_late + synced_late + other_units + outside_period. */
  explained: number;
  /** difference − explained. */
  unexplained: number;
}

export interface Reconciliation {
  unit: UnitName;
  as_of: string;
  rows: ReconciliationRow[];
  /** The sums (its commune fields name the unit, its date is `as_of`). */
  total: ReconciliationRow;
}

/** roster: one agency's imported staff and who of them declared in the period. */
export interface RosterRow {
  commune_code: string;
  commune_name: string;
  agency: string;
  staff: number;
  declared: number;
  /** Percent of the staff, to one decimal. */
  share: number;
  /** Names of the staff who did not declare, in roster order. */
  not_declared: string[];
}

export interface Roster {
  unit: UnitName;
  from: string;
  to: string;
  rows: RosterRow[];
  total: { staff: number; declared: number; share: number | null };
}

export type ReportName = 'qr-points' | 'silent-points' | 'e-vs-paper' | 'coverage' | 'reconciliation' | 'roster';

export const REPORTS: readonly ReportName[] = ['qr-points', 'silent-points', 'e-vs-paper', 'coverage', 'reconciliation', 'roster'];

/** A report's answer by name. */
export interface ReportData {
  'qr-points': QrPoints;
  'silent-points': SilentPoints;
  'e-vs-paper': EVsPaper;
  coverage: Coverage;
  reconciliation: Reconciliation;
  roster: Roster;
}

// ---- contact tracing and its audit log (tracer and admin only) ----

/** Tracers and admins may trace contacts and read the audit log. */
export function canTrace(role: string | undefined): boolean {
  return role === 'tracer' || role === 'admin';
}

/** A lookup's window as the server read it (UTC instants, RFC 3339). */
export interface TraceWindow {
  from: string;
  to: string;
}

/** Someone present at a venue: entry (null when only the exit is in reach) to exit. */
export interface Presence {
  name: string | null;
  id_number: string | null;
  phone: string | null;
  /** RFC 3339 in Vietnam's offset. */
  entered_at: string | null;
  left_at: string;
  /** No exit recorded: the entry plus `stay_minutes`. */
  left_estimated: boolean;
  source: string | null;
}

/** `POST /trace/venue`. */
export interface VenueTrace {
  venue: { id: string; name: string; commune_code: string };
  window: TraceWindow;
  stay_minutes: number;
  people: Presence[];
  audit_id: number;
}

/** One place a person went. */
export interface PlaceVisit {
  at: string;
  venue_id: string | null;
  venue_name: string | null;
  commune_code: string | null;
  /** "in", "out", or null for a health declaration. */
  direction: string | null;
  source: string | null;
}

/** `POST /trace/person`. */
export interface PersonTrace {
  window: TraceWindow;
  visits: PlaceVisit[];
  audit_id: number;
}

/** One answered lookup, as the audit log keeps it. */
export interface AuditEntry {
  id: number;
  /** UTC, RFC 3339. */
  at: string;
  login: string;
  area_code: string;
  /** "trace_venue" or "trace_person"; an admin's change to an account: "user_add", "user_disable", "user_enable", "user_password", "user_role". */
  action: string;
  reason: string;
  /** What was asked, as JSON text: {venue_id | person, from, to}. */
  query: string;
  results: number;
}

/** A QR point as `GET /venues` lists it. */
export interface VenueView {
  id: string;
  name: string;
  category: string;
  commune_code: string;
  commune_name: string;
  registered_on: string;
}

/** `GET /venues`: the first 200 matches and how many matched. */
export interface VenueList {
  venues: VenueView[];
  total: number;
}

/** `GET /audit`. */
export interface AuditLog {
  entries: AuditEntry[];
}

// ---- accounts (admin only) ----

/** An account as `GET /users` lists it. */
export interface UserAccount {
  login: string;
  role: Role | string;
  area: Unit;
  /** UTC, RFC 3339. */
  created_at: string;
  /** Set while the account is disabled (UTC, RFC 3339). */
  disabled_at: string | null;
}

/** `GET /users`: every account of the admin's area, by login. */
export interface UserList {
  users: UserAccount[];
}

/** Only admins manage accounts. */
export function canManageUsers(role: string | undefined): boolean {
  return role === 'admin';
}

/** Every page of the dashboard: the reports, the weekly report, tracing and its log, accounts. */
export type PageName = ReportName | 'weekly' | 'trace' | 'audit' | 'users';

export const PAGES: readonly PageName[] = [...REPORTS, 'weekly', 'trace', 'audit', 'users'];

/** The pages only tracers and admins see. */
export const TRACING_PAGES: readonly PageName[] = ['trace', 'audit'];

/** The pages only admins see. */
export const ADMIN_PAGES: readonly PageName[] = ['users'];

/** The pages a role sees in the menu, in order. */
export function pagesFor(role: string | undefined): PageName[] {
  return PAGES.filter((p) => (canTrace(role) || !TRACING_PAGES.includes(p)) && (canManageUsers(role) || !ADMIN_PAGES.includes(p)));
}
