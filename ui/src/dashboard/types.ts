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

export type ReportName = 'qr-points' | 'silent-points' | 'e-vs-paper';

export const REPORTS: readonly ReportName[] = ['qr-points', 'silent-points', 'e-vs-paper'];

/** A report's answer by name. */
export interface ReportData {
  'qr-points': QrPoints;
  'silent-points': SilentPoints;
  'e-vs-paper': EVsPaper;
}
