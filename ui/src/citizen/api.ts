// The server's public API as the phone page uses it. Every failure is one of
// two kinds, because the page treats them differently: `Unreachable` (no
// network, a timeout, the server down or busy: try again later, keep what is
// queued) and `Refused` (the server read the request and said no: retrying the
// same request cannot help).
import type { Declaration, Direction, Level } from '../shared/gen';

/** A venue as its poster's link names it (`GET /api/v1/public/venues/{code}`). */
export interface VenueCard {
  venue_id: string;
  name: string;
  address: string;
  category: string;
  commune_code: string;
  commune_name: string;
  /** Days the server keeps personal data after a visit. */
  retention_days: number;
}

/** One administrative unit of the address pickers. */
export interface PublicUnit {
  code: string;
  name: string;
  kind: string;
}

/** What the phone sends for one check-in (`POST /api/v1/public/checkins`). */
export interface CheckInRequest {
  code: string;
  declaration: Declaration;
  declaration_id: string;
  declared_at: string;
  checkin_id: string;
  direction: Direction;
  at: string;
}

export interface CheckInAnswer {
  venue_id: string;
  venue_name: string;
  declaration: 'accepted' | 'duplicate';
  checkin: 'accepted' | 'duplicate';
  level: Level;
  pass: string;
  pass_svg: string;
  pass_expires_at: string;
}

export class Unreachable extends Error {
  /** Seconds the server asked to wait (429, 503), if it said. */
  readonly retryAfter: number | null;
  constructor(message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'Unreachable';
    this.retryAfter = retryAfter;
  }
}

export class Refused extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'Refused';
    this.status = status;
    this.code = code;
  }
}

/** A slow link may take long; a dead one must not hang the queue. */
const TIMEOUT_MS = 20_000;

function retryAfter(r: Response): number | null {
  const s = Number(r.headers.get('retry-after'));
  return Number.isFinite(s) && s > 0 ? s : null;
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), credentials: 'omit' });
  } catch (e) {
    throw new Unreachable(e instanceof Error ? e.message : String(e));
  }
  if (r.ok) return r;
  // Too many requests, a timeout or the server's own trouble: the same
  // request may succeed later.
  if (r.status === 429 || r.status === 408 || r.status >= 500) throw new Unreachable(`HTTP ${r.status}`, retryAfter(r));
  const body = (await r.json().catch(() => null)) as { error?: string; message?: string } | null;
  throw new Refused(r.status, body?.error ?? `http_${r.status}`, body?.message ?? `HTTP ${r.status}`);
}

export async function fetchVenue(code: string): Promise<VenueCard> {
  const r = await call(`/api/v1/public/venues/${encodeURIComponent(code)}`);
  return (await r.json()) as VenueCard;
}

export async function fetchUnits(parent: string | null): Promise<PublicUnit[]> {
  const q = parent ? `?parent=${encodeURIComponent(parent)}` : '';
  const r = await call(`/api/v1/public/units${q}`);
  return (await r.json()) as PublicUnit[];
}

export async function postCheckIn(req: CheckInRequest): Promise<CheckInAnswer> {
  const r = await call('/api/v1/public/checkins', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  return (await r.json()) as CheckInAnswer;
}
