// An in-memory station for browser tests and `npm run dev`: the same commands
// and events as the app, with rules close to the Rust ones (declaration
// validation, verdicts, repeat hold time, passes with a fake signature so a
// tampered pass is refused), a queue whose counts move, sync progress events,
// rejected records, quarantine cases and real administrative units.
// Test hooks: pushScan, emit, setOnline, revoke, stepSync, failNext, issuePass.
import type {
  Admission,
  CameraInfo,
  CameraState,
  CommandError,
  Declaration,
  Declared,
  Direction,
  Enrollment,
  FieldError,
  HealthUpdateView,
  IssuedPass,
  Language,
  Level,
  PassProblem,
  PayloadKind,
  PersonView,
  QuarantineCase,
  QueueStatus,
  Reason,
  RejectedRecord,
  SameDayRecord,
  Settings,
  Source,
  StationStatus,
  Symptoms,
  SyncState,
  TypedPerson,
  Unit,
  Venue,
  Verdict,
  Exposures,
} from './gen';
import type { Backend, Commands, EventName, Events, LumaFrame, NoArgs } from './backend';
import { EXPOSURES, SYMPTOMS, noExposures, noSymptoms, normaliseIdNumber, normalisePhone, validateDeclaration } from './declaration';
import { addDays, daysBetween, localIsoDate, rfc3339 } from './format';
import { COMMUNES, DISTRICTS, PROVINCES } from './fake-units';

/** How a fake station starts (tests set it through `window.__CHECKIN_FAKE_INIT__`). */
export interface FakeInit {
  language?: Language;
  /** Enrolled with a venue scope (default true). */
  enrolled?: boolean;
  /** Kiosk PIN already set (default none). */
  pin?: string | null;
  /** The server answers (default true). */
  online?: boolean;
  /** An administrator revoked this device on the server (default false). */
  revoked?: boolean;
  /** settings.camera (default "camera:0"). */
  camera?: string;
  holdSeconds?: number;
  /** Sync passes advance only on `stepSync()` (default: on a timer). */
  manualSync?: boolean;
  syncStepMs?: number;
  /** Demo records, quarantine cases and rejected records (default true). */
  seed?: boolean;
  /** Business clock (dates of records); event timestamps use Date.now(). */
  now?: () => Date;
  /** The first call of each named command rejects with this error (e.g. station_status at start). */
  failFirst?: Partial<Record<keyof Commands, CommandError>>;
}

type Identity = string;

interface StoredDeclaration {
  key: Identity;
  name: string;
  date: string;
  verdict: Verdict;
  record_id: string;
}

interface StoredRecord {
  record_id: string;
  kind: SameDayRecord['kind'];
  at: string;
  source: Source;
  name: string;
  key: Identity | null;
}

interface PassPayload {
  v: 1;
  n: string;
  d: string;
  e: string;
  l: Level;
  k: Identity | null;
}

const FAKE_KEY = 'fake-ed25519-key-01';
const PASS_VALID_DAYS = 14;

/** Policy::default() of checkin-core. */
const RED_SYMPTOMS: ReadonlyArray<keyof Symptoms> = ['fever', 'shortness_of_breath', 'pneumonia'];
const RED_EXPOSURES: ReadonlyArray<keyof Exposures> = ['confirmed_or_suspected_case'];

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function b64urlEncode(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64urlDecode(s: string): string | null {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The fake signature over a pass payload. */
export function fakeSign(payload: string): string {
  return fnv1a(`${FAKE_KEY}|${payload}`) + fnv1a(`${payload}|${FAKE_KEY}`);
}

/** A QR-looking SVG (not a readable QR code: the real one is made by Rust). */
export function fakeQrSvg(text: string): string {
  const n = 29;
  const cells: boolean[] = [];
  let seed = parseInt(fnv1a(text), 16) || 1;
  for (let i = 0; i < n * n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    cells.push(((seed >>> 16) & 1) === 1);
  }
  const finder = (x0: number, y0: number) => {
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 7; x++) {
        const ring = x === 0 || y === 0 || x === 6 || y === 6;
        const core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        cells[(y0 + y) * n + x0 + x] = ring || core;
      }
    for (let i = -1; i <= 7; i++)
      for (const [x, y] of [
        [x0 + i, y0 - 1],
        [x0 + i, y0 + 7],
        [x0 - 1, y0 + i],
        [x0 + 7, y0 + i],
      ])
        if (x >= 0 && y >= 0 && x < n && y < n) cells[y * n + x] = false;
  };
  finder(0, 0);
  finder(n - 7, 0);
  finder(0, n - 7);
  let path = '';
  cells.forEach((on, i) => {
    if (on) path += `M${(i % n) + 4} ${Math.floor(i / n) + 4}h1v1h-1z`;
  });
  const size = n + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

interface Cccd {
  id: string;
  name: string;
  birth: string;
  gender: string;
}

function parseCccd(text: string): Cccd | 'damaged' | null {
  const parts = text.split('|');
  const looksLike = /^\d{12}\|/.test(text);
  if (parts.length < 7) return looksLike ? 'damaged' : null;
  const [id, , name, birth, gender] = parts;
  if (!/^\d{12}$/.test(id) || name.trim() === '' || !/^\d{8}$/.test(birth) || !/^(Nam|Nữ)$/.test(gender))
    return looksLike ? 'damaged' : null;
  return { id, name: name.trim(), birth, gender };
}

/** Vaccine-passport codes the fake station answers as a real one would
 * (the demo and the browser tests scan them). */
export const DEMO_CERTIFICATES: Record<string, { name: string; birth_year: number; verdict: Verdict }> = {
  'HC1:DEMO-VALID-VACCINATION': { name: 'Nguyễn Văn An', birth_year: 1990, verdict: { level: 'green' } },
  'HC1:DEMO-EXPIRED': {
    name: 'Trần Thị Bình',
    birth_year: 1985,
    verdict: { level: 'red', reasons: [{ reason: 'certificate_invalid', detail: 'expired' }] },
  },
  'HC1:DEMO-OLD-TEST': {
    name: 'Lê Hoa',
    birth_year: 1978,
    verdict: {
      level: 'red',
      reasons: [{ reason: 'certificate_rule', detail: { rule: 'test_too_old', sampled_at: '2021-10-01T08:00:00+07:00' } }],
    },
  },
};

function classify(raw: string): PayloadKind {
  const s = raw.trim();
  const up = s.slice(0, 5).toUpperCase();
  if (up === 'CKP1:') return 'pass';
  if (up === 'CKV1:') return 'venue';
  if (up === 'CKE1:') return 'enroll';
  if (s.startsWith('HC1:')) return 'dcc';
  if (/^https?:\/\/\S+$/i.test(s)) return 'url';
  if (s.includes('|') && parseCccd(s) !== null && parseCccd(s) !== 'damaged') return 'cccd';
  return 'text';
}

function keyOf(id: string | null, phone: string | null, name: string, birth: string | number | null): Identity | null {
  const n = id ? normaliseIdNumber(id) : null;
  if (n) return `id:${n}`;
  const p = phone ? normalisePhone(phone) : null;
  if (p) return `phone:${p}`;
  if (name.trim() && birth !== null) return `name:${name.trim().toLowerCase()}|${birth}`;
  return null;
}

function verdictOf(symptoms: Symptoms, exposures: Exposures): Verdict {
  let level: Level = 'green';
  const reasons: Reason[] = [];
  const raise = (l: Level) => {
    const order: Level[] = ['green', 'amber', 'red'];
    if (order.indexOf(l) > order.indexOf(level)) level = l;
  };
  for (const s of SYMPTOMS)
    if (symptoms[s]) {
      raise(RED_SYMPTOMS.includes(s) ? 'red' : 'amber');
      reasons.push({ reason: 'symptom', detail: s });
    }
  for (const e of EXPOSURES)
    if (exposures[e]) {
      raise(RED_EXPOSURES.includes(e) ? 'red' : 'amber');
      reasons.push({ reason: 'exposure', detail: e });
    }
  return reasons.length ? { level, reasons } : { level };
}

/** A health update as listed: fever by temperature (>= 37.5 °C) counts as the fever symptom. */
function healthUpdate(at: Date, temperature_c: number | null, symptoms: Symptoms, note: string): HealthUpdateView {
  const fever = temperature_c !== null && temperature_c >= 37.5;
  return {
    at: rfc3339(at),
    date: localIsoDate(at),
    temperature_c,
    symptoms,
    note,
    verdict: verdictOf({ ...symptoms, fever: symptoms.fever || fever }, noExposures()),
  };
}

/** `TypedPerson::validate`: a name, and an ID number, phone or birth year. */
function checkPerson(p: TypedPerson): void {
  const fields: FieldError[] = [];
  if (p.full_name.trim() === '') fields.push({ field: 'full_name', problem: { problem: 'missing' } });
  if (p.id_number && !normaliseIdNumber(p.id_number))
    fields.push({ field: 'id_number', problem: { problem: 'format', expected: 'an ID card or passport number of 6 to 20 letters and digits' } });
  if (p.phone && !normalisePhone(p.phone)) fields.push({ field: 'phone', problem: { problem: 'format', expected: 'a phone number of 8 to 15 digits' } });
  if (!p.id_number && !p.phone && p.birth_year === null) fields.push({ field: 'id_number', problem: { problem: 'missing' } });
  if (fields.length) throw err('invalid_person', `invalid person: ${fields.map((f) => f.field).join(', ')}`, fields);
}

function hint(id: string | null): string | null {
  if (!id) return null;
  return `…${id.slice(-4)}`;
}

function err(code: string, message: string, fields?: FieldError[]): CommandError {
  return fields ? { code, message, fields } : { code, message };
}

let uuidCounter = 0;
function uuid7(now: number): string {
  uuidCounter += 1;
  const hex = now.toString(16).padStart(12, '0').slice(-12);
  const rnd = (uuidCounter * 2654435761 + Math.floor(Math.random() * 0xffff)) >>> 0;
  const r = rnd.toString(16).padStart(8, '0');
  const c = uuidCounter.toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${c}`;
}

const VENUES: Venue[] = [
  {
    id: '01-00004-K7M2Q9',
    name: 'Trạm Y tế phường Trúc Bạch',
    category: 'clinic',
    commune_code: '00004',
    address: '2 Trúc Bạch, Ba Đình, Hà Nội',
  },
  {
    id: '01-00001-P3X8D2',
    name: 'Chợ Phúc Xá',
    category: 'market',
    commune_code: '00001',
    address: 'Phúc Xá, Ba Đình, Hà Nội',
  },
];

type Handler = (payload: never) => void;

/** The in-memory station. */
export class FakeBackend implements Backend {
  readonly kind = 'fake' as const;
  private readonly now: () => Date;
  private readonly listeners = new Map<EventName, Set<Handler>>();
  private readonly failures = new Map<string, CommandError>();
  private settings: Settings;
  private enrollment: Enrollment | null;
  private venues: Venue[];
  private queue: QueueStatus;
  private sync: SyncState;
  private camera: CameraState;
  private pin: string | null;
  /** The gate's entry/exit toggle, used for pushed camera scans. */
  private direction: Direction = 'in';
  private online: boolean;
  private revoked = false;
  private readonly manualSync: boolean;
  private readonly syncStepMs: number;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private syncBatch = 0;
  private declarations: StoredDeclaration[] = [];
  private records: StoredRecord[] = [];
  private recent: Admission[] = [];
  private lastSeen = new Map<string, number>();
  private rejected: RejectedRecord[] = [];
  private cases: (QuarantineCase & { key: Identity | null })[] = [];
  /** Times `ui_ready` was called (tests check it is called once). */
  uiReadyCalls = 0;
  /** Every command call, for tests: [name, args]. */
  readonly calls: [string, unknown][] = [];

  constructor(init: FakeInit = {}) {
    this.now = init.now ?? (() => new Date());
    const enrolled = init.enrolled ?? true;
    this.pin = init.pin ?? null;
    this.online = init.online ?? true;
    this.manualSync = init.manualSync ?? false;
    this.syncStepMs = init.syncStepMs ?? 300;
    this.venues = enrolled ? VENUES.map((v) => ({ ...v })) : [];
    this.enrollment = enrolled
      ? {
          server_url: 'https://checkin.soyte.hanoi.gov.vn',
          scope: { type: 'commune', commune_code: '00004' },
          province_code: '01',
          label: 'Cổng chính',
        }
      : null;
    this.settings = {
      language: init.language ?? 'vi',
      camera: init.camera ?? 'camera:0',
      hold_seconds: init.holdSeconds ?? 10,
      kiosk_pin_set: this.pin !== null,
      venue_id: enrolled ? VENUES[0].id : null,
    };
    this.queue = { pending: 0, synced: 0, rejected: 0, in_flight: 0, conflict: 0 };
    this.camera = { state: 'stopped', source: '', message: null, fps: 0 };
    this.sync = {
      phase: enrolled ? (this.online ? 'idle' : 'offline') : 'not_enrolled',
      online: enrolled && this.online,
      last_success_at: null,
      last_attempt_at: null,
      sent: 0,
      total: 0,
      message: null,
      error_code: enrolled && !this.online ? 'server_unreachable' : null,
      next_try_at: null,
    };
    if (init.seed ?? true) this.seed(enrolled);
    if (enrolled && init.revoked) this.revoke();
    for (const [name, e] of Object.entries(init.failFirst ?? {})) if (e) this.failures.set(name, e);
  }

  // ---------------------------------------------------------------- seeding

  private seed(enrolled: boolean): void {
    const now = this.now();
    const today = localIsoDate(now);
    // "Earlier today", also just after midnight: never before today's start
    // (a kiosk declaration seeded 95 minutes ago at 00:30 would be yesterday's).
    const startOfDay = new Date(now);
    startOfDay.setHours(0, 0, 0, 0);
    const at = (minutesAgo: number) => rfc3339(new Date(Math.max(now.getTime() - minutesAgo * 60_000, startOfDay.getTime())));
    const decl = (key: Identity, name: string, date: string, v: Verdict) =>
      this.declarations.push({ key, name, date, verdict: v, record_id: uuid7(now.getTime()) });
    decl('id:001098012345', 'NGUYỄN VĂN A', today, { level: 'green' });
    decl('id:033123009876', 'Trần Thị Bích', today, verdictOf({ ...noSymptoms(), fever: true }, noExposures()));
    decl('id:001090123456', 'NGUYEN VAN A', addDays(today, -1), { level: 'green' });
    for (const [name, key, mins] of [
      ['NGUYỄN VĂN A', 'id:001098012345', 95],
      ['Trần Thị Bích', 'id:033123009876', 80],
    ] as const)
      this.records.push({ record_id: uuid7(now.getTime()), kind: 'declaration', at: at(mins), source: 'kiosk', name, key });
    this.recent = [
      {
        status: 'recorded',
        checkin_id: uuid7(now.getTime()),
        verdict: { level: 'amber', reasons: [{ reason: 'no_declaration' }] },
        person: { name: 'Vũ Minh Khang', id_hint: '…1203', birth_year: 2001 },
        kind: 'cccd',
        direction: 'in',
        at: at(30),
        pass: null,
      },
      {
        status: 'recorded',
        checkin_id: uuid7(now.getTime()),
        verdict: { level: 'green' },
        person: { name: 'Đỗ Thị Hoa', id_hint: '…7788', birth_year: 1979 },
        kind: 'cccd',
        direction: 'in',
        at: at(42),
        pass: null,
      },
    ];
    this.queue.pending = 3;
    this.queue.synced = enrolled ? 1284 : 0;
    if (enrolled) {
      this.sync.last_success_at = at(25);
      this.sync.last_attempt_at = at(25);
    }
    this.rejected = [
      {
        seq: 41,
        record_id: '0193a4c2-7e1f-7c3a-9b2d-5f8e6a1c4d01',
        kind: 'checkin',
        state: 'rejected',
        reason: 'venue_outside_scope: this device may not write for venue 01-00007-ZZ4T2M',
        summary: `Lê Thị Mai — 01-00007-ZZ4T2M — ${today.split('-').reverse().join('/')} 07:12`,
        venue_id: '01-00007-ZZ4T2M',
        at: at(300),
      },
      {
        seq: 57,
        record_id: '0193a4c2-7e1f-7c3a-9b2d-5f8e6a1c4d02',
        kind: 'declaration',
        state: 'conflict',
        reason: 'conflict',
        summary: 'Phan Văn Tâm — tờ khai giấy',
        venue_id: null,
        at: at(200),
      },
    ];
    this.queue.rejected = 2;
    this.queue.conflict = 1;
    const start = addDays(today, -5);
    const update = (t: number, when = new Date(now.getTime() - 60 * 60_000)): HealthUpdateView =>
      healthUpdate(when, t, noSymptoms(), '');
    this.cases = [
      {
        id: 'q-0001',
        key: 'id:001200004321',
        person: { name: 'Lê Văn Cường', id_hint: '…4321', birth_year: 1988 },
        kind: 'home',
        place: 'Số 5 ngõ 12 Phúc Xá, Ba Đình',
        start_date: start,
        end_date: addDays(start, 14),
        active: true,
        updated_today: false,
        last_update: update(37.1, new Date(now.getTime() - 26 * 3_600_000)),
      },
      {
        id: 'q-0002',
        key: 'phone:0987654321',
        person: { name: 'Phạm Thị Dung', id_hint: null, birth_year: 1995 },
        kind: 'facility',
        place: 'Khu cách ly tập trung Trường Quân sự Thủ đô',
        start_date: addDays(today, -2),
        end_date: addDays(today, 12),
        active: true,
        updated_today: false,
        last_update: null,
      },
      {
        id: 'q-0003',
        key: 'id:001301009999',
        person: { name: 'Hoàng Văn Em', id_hint: '…9999', birth_year: 1970 },
        kind: 'home',
        place: '18 Trúc Bạch, Ba Đình',
        start_date: addDays(today, -9),
        end_date: addDays(today, 5),
        active: true,
        updated_today: true,
        last_update: update(36.7),
      },
    ];
  }

  // ---------------------------------------------------------------- test hooks

  /** Pushes an event to the UI (as the Rust side would). */
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const copy = structuredClone(payload);
    for (const h of this.listeners.get(event) ?? []) (h as (p: Events[E]) => void)(copy);
  }

  /** A camera scan of `code`: decides like gate_admit and pushes `station://scan`. */
  pushScan(code: string, opts: { direction?: Direction; frameAgoMs?: number; source?: string } = {}): Admission {
    const frameAt = Date.now() - (opts.frameAgoMs ?? 35);
    const admission = this.admit(code, opts.direction ?? this.direction, 'qr');
    this.emit('station://scan', {
      admission,
      frame_at_ms: frameAt,
      decided_at_ms: Date.now(),
      source: opts.source ?? (this.settings.camera || 'camera:0'),
    });
    return admission;
  }

  /** The server becomes reachable or not. */
  setOnline(online: boolean): void {
    this.online = online;
    if (this.enrollment && online && this.revoked) this.refused(this.nowText());
    else if (this.enrollment) {
      this.sync = {
        ...this.sync,
        online,
        phase: online ? 'idle' : 'offline',
        error_code: online ? null : 'server_unreachable',
        message: online ? null : 'connection refused',
      };
      this.emitSync();
    }
  }

  /**
   * An administrator revokes this device: every sync attempt is refused
   * (401 device_revoked) until it enrolls again; the records stay queued.
   */
  revoke(): void {
    this.revoked = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.queue.in_flight = 0;
    this.refused(this.sync.last_attempt_at ?? this.nowText());
  }

  private refused(at: string): void {
    this.sync = {
      ...this.sync,
      phase: 'error',
      online: true,
      last_attempt_at: at,
      error_code: 'device_revoked',
      message:
        'server refused the request (401 device_revoked): an administrator revoked this device; it must be enrolled again with a new enrollment code',
      next_try_at: null,
      sent: 0,
      total: 0,
    };
    this.emitSync();
  }

  /** The next call of `command` rejects with `error`. */
  failNext(command: keyof Commands, error: CommandError): void {
    this.failures.set(command, error);
  }

  /** Issues a pass as the kiosk would (tests make valid, expired or tampered passes from it). */
  issuePass(name: string, opts: { declaredOn?: string; level?: Level; key?: Identity | null } = {}): IssuedPass {
    const declared = opts.declaredOn ?? localIsoDate(this.now());
    const expires = `${addDays(declared, PASS_VALID_DAYS)}T23:59:59${rfc3339(this.now()).slice(19)}`;
    const payload: PassPayload = { v: 1, n: name, d: declared, e: expires, l: opts.level ?? 'green', k: opts.key ?? null };
    const body = b64urlEncode(JSON.stringify(payload));
    const text = `CKP1:${body}.${fakeSign(body)}`;
    return { text, svg: fakeQrSvg(text), name, declared_on: declared, expires_at: expires, level: payload.l };
  }

  /** Advances a manual sync pass by one batch; true while more remain. */
  stepSync(): boolean {
    return this.syncStep();
  }

  /** Current counts (tests). */
  queueStatus(): QueueStatus {
    return { ...this.queue };
  }

  // ---------------------------------------------------------------- plumbing

  on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(handler as Handler);
    return () => set.delete(handler as Handler);
  }

  private async call<R>(name: keyof Commands, args: unknown, body: () => R): Promise<R> {
    this.calls.push([name, args]);
    await Promise.resolve();
    const f = this.failures.get(name);
    if (f) {
      this.failures.delete(name);
      throw structuredClone(f);
    }
    return structuredClone(body());
  }

  private status(): StationStatus {
    return {
      device_id: '0193a4c2-7e1f-7c3a-9b2d-5f8e6a1c4d20',
      data_dir: '/home/tram/.local/share/checkin (giả lập)',
      queue: { ...this.queue },
      enrollment: this.enrollment,
      venues: this.venues,
      policy_from: this.enrollment ? 'server' : 'default',
      sync: { ...this.sync },
      settings: { ...this.settings },
      quarantine_due: this.cases.filter((c) => !c.updated_today).length,
      // Like a station that synced once: the server's list, imported 3 days ago.
      trust_list: this.enrollment
        ? { imported_at: new Date(this.now().getTime() - 3 * 86_400_000).toISOString(), updated_at: null, certificates: 2431 }
        : null,
    };
  }

  private emitStatus(): void {
    this.emit('station://status', this.status());
  }

  private emitSync(): void {
    this.emit('station://sync', { ...this.sync });
    this.emitStatus();
  }

  private today(): string {
    return localIsoDate(this.now());
  }

  private nowText(): string {
    return rfc3339(this.now());
  }

  private store(rec: Omit<StoredRecord, 'record_id'>): string {
    const record_id = uuid7(this.now().getTime());
    this.records.push({ ...rec, record_id });
    this.queue.pending += 1;
    return record_id;
  }

  private sameDay(key: Identity | null, date: string, except?: string): SameDayRecord[] {
    if (!key) return [];
    return this.records
      .filter((r) => r.key === key && r.at.slice(0, 10) === date && r.record_id !== except)
      .map((r) => ({ record_id: r.record_id, kind: r.kind, at: r.at, source: r.source, name: r.name }));
  }

  private latestDeclaration(key: Identity | null): StoredDeclaration | undefined {
    if (!key) return undefined;
    return this.declarations.filter((d) => d.key === key).sort((a, b) => b.date.localeCompare(a.date))[0];
  }

  private quarantined(key: Identity | null): QuarantineCase | undefined {
    const today = this.today();
    return key ? this.cases.find((c) => c.key === key && c.start_date <= today && today <= c.end_date) : undefined;
  }

  /** The verdict for a known person at the gate. */
  private personVerdict(key: Identity | null, fallback?: Level): Verdict {
    const q = this.quarantined(key);
    if (q) return { level: 'red', reasons: [{ reason: 'in_quarantine', detail: q.end_date }] };
    const d = this.latestDeclaration(key);
    if (d && d.date === this.today()) return d.verdict;
    if (fallback) return { level: fallback };
    if (d) return { level: 'amber', reasons: [{ reason: 'declaration_not_today', detail: d.date }] };
    return { level: 'amber', reasons: [{ reason: 'no_declaration' }] };
  }

  private verifyPass(text: string): { ok: PassPayload } | { problem: PassProblem } {
    const m = /^CKP1:([A-Za-z0-9_-]+)\.([0-9a-f]{16})$/i.exec(text.trim());
    if (!m) {
      if (/^CKP[2-9]:/i.test(text.trim())) return { problem: 'unsupported_version' };
      return { problem: 'malformed' };
    }
    if (fakeSign(m[1]) !== m[2].toLowerCase()) return { problem: 'bad_signature' };
    const json = b64urlDecode(m[1]);
    if (json === null) return { problem: 'malformed' };
    let p: PassPayload;
    try {
      p = JSON.parse(json) as PassPayload;
    } catch {
      return { problem: 'malformed' };
    }
    if (p.v !== 1) return { problem: 'unsupported_version' };
    const now = this.now().getTime();
    if (new Date(p.e).getTime() < now) return { problem: 'expired' };
    if (p.d > this.today()) return { problem: 'not_yet_valid' };
    return { ok: p };
  }

  private recordCheckin(
    person: PersonView | null,
    key: Identity | null,
    decided: Verdict,
    kind: PayloadKind,
    direction: Direction,
    source: Source,
    at: string,
    pass: Extract<Admission, { status: 'recorded' }>['pass'],
  ): Extract<Admission, { status: 'recorded' }> {
    // Leaving needs no health check (checkin-station): the exit is recorded green.
    const verdict: Verdict = direction === 'out' ? { level: 'green' } : decided;
    const checkin_id = this.store({ kind: 'checkin', at, source, name: person?.name ?? '', key });
    const a: Extract<Admission, { status: 'recorded' }> = {
      status: 'recorded',
      checkin_id,
      verdict,
      person,
      kind,
      direction,
      at,
      pass,
    };
    this.recent.unshift(a);
    this.recent.length = Math.min(this.recent.length, 50);
    this.emitStatus();
    return a;
  }

  /** gate_admit's decision, shared by typed codes and camera scans. */
  private admit(raw: string, direction: Direction, source: Source): Admission {
    const code = raw.replace(/^\uFEFF/, '').trim();
    const at = this.nowText();
    const kind = classify(code);
    const t = this.now().getTime();
    const seen = this.lastSeen.get(code);
    if (seen !== undefined && t - seen < this.settings.hold_seconds * 1000 && (kind === 'cccd' || kind === 'pass')) {
      return { status: 'repeat', kind, at };
    }
    if (kind === 'pass') {
      const v = this.verifyPass(code);
      if ('problem' in v) {
        return {
          status: 'pass_refused',
          problem: v.problem,
          verdict: { level: 'red', reasons: [{ reason: 'pass_invalid', detail: v.problem }] },
          at,
        };
      }
      this.lastSeen.set(code, t);
      const p = v.ok;
      let verdict: Verdict;
      if (p.d !== this.today()) verdict = { level: 'amber', reasons: [{ reason: 'declaration_not_today', detail: p.d }] };
      else verdict = this.personVerdict(p.k, p.l);
      return this.recordCheckin(
        { name: p.n, id_hint: p.k?.startsWith('id:') ? hint(p.k.slice(3)) : null, birth_year: null },
        p.k,
        verdict,
        'pass',
        direction,
        source,
        at,
        { name: p.n, declared_on: p.d, expires_at: p.e, level: p.l, issuer: 'Sở Y tế Hà Nội (giả lập)' },
      );
    }
    if (kind === 'dcc') {
      // No signature checks in the browser: the station verifies (crates/core
      // certificate.rs). Demo codes stand for its answers; any other code is
      // one whose signer is not in the list.
      if (!this.enrollment) {
        return this.recordCheckin(null, null, { level: 'amber', reasons: [{ reason: 'no_trust_list' }] }, 'dcc', direction, source, at, null);
      }
      const demo = DEMO_CERTIFICATES[code];
      return this.recordCheckin(
        demo ? { name: demo.name, id_hint: null, birth_year: demo.birth_year } : null,
        null,
        demo ? demo.verdict : { level: 'red', reasons: [{ reason: 'certificate_invalid', detail: 'unknown_key' }] },
        'dcc',
        direction,
        source,
        at,
        null,
      );
    }
    if (kind === 'cccd') {
      const c = parseCccd(code) as Cccd;
      this.lastSeen.set(code, t);
      const key = `id:${c.id}`;
      return this.recordCheckin(
        { name: c.name, id_hint: hint(c.id), birth_year: Number(c.birth.slice(4)) },
        key,
        this.personVerdict(key),
        'cccd',
        direction,
        source,
        at,
        null,
      );
    }
    const damaged = kind === 'text' && parseCccd(code) === 'damaged';
    return {
      status: 'not_checkin',
      kind,
      problem: damaged ? 'damaged_id_card' : kind === 'enroll' ? 'enrollment_code' : 'names_no_person',
      detail: damaged ? 'the code has fewer fields than an ID card' : null,
      // Like the station: the code itself only for an enrollment code.
      text: kind === 'enroll' ? code.trim() : null,
      at,
    };
  }

  private admitPerson(person: TypedPerson, direction: Direction, source: Source, at: string): Admission {
    const key = keyOf(person.id_number, person.phone, person.full_name, person.birth_year);
    return this.recordCheckin(
      { name: person.full_name, id_hint: hint(person.id_number), birth_year: person.birth_year },
      key,
      this.personVerdict(key),
      'text',
      direction,
      source,
      at,
      null,
    );
  }

  private declare(d: Declaration, source: Source, at: string, direction: Direction | null): Declared {
    const errors = validateDeclaration(d, this.today());
    if (errors.length) {
      throw err(
        'invalid_declaration',
        `invalid declaration: ${errors.map((e) => `${e.field} ${e.problem.problem}`).join('; ')}`,
        errors,
      );
    }
    const key = keyOf(d.id_number, d.phone, d.full_name, d.birth);
    const verdict = verdictOf(d.symptoms, d.exposures);
    const date = at.slice(0, 10);
    const same = this.sameDay(key, date);
    const record_id = this.store({ kind: 'declaration', at, source, name: d.full_name, key });
    if (key) this.declarations.push({ key, name: d.full_name, date, verdict, record_id });
    let checkin_id: string | null = null;
    if (direction) {
      const a = this.recordCheckin(
        { name: d.full_name, id_hint: hint(d.id_number), birth_year: typeof d.birth === 'number' ? d.birth : Number(d.birth.slice(0, 4)) },
        key,
        verdict,
        'text',
        direction,
        source,
        at,
        null,
      );
      checkin_id = a.checkin_id;
    }
    this.emitStatus();
    const pass = source === 'kiosk' ? this.issuePass(d.full_name, { declaredOn: date, level: verdict.level, key }) : null;
    return { record_id, verdict, pass, checkin_id, same_day: same };
  }

  private checkWrittenAt(at: string): void {
    const t = new Date(at).getTime();
    if (Number.isNaN(t) || t > this.now().getTime() + 5 * 60_000) {
      throw err('time_in_future', 'the time written on the paper is in the future');
    }
  }

  private personFromCode(code: string): { person: PersonView; key: Identity | null } | null {
    const kind = classify(code);
    if (kind === 'cccd') {
      const c = parseCccd(code.trim()) as Cccd;
      return { person: { name: c.name, id_hint: hint(c.id), birth_year: Number(c.birth.slice(4)) }, key: `id:${c.id}` };
    }
    if (kind === 'pass') {
      const v = this.verifyPass(code);
      if ('ok' in v) return { person: { name: v.ok.n, id_hint: null, birth_year: null }, key: v.ok.k };
    }
    return null;
  }

  private syncStep(): boolean {
    if (this.sync.phase !== 'syncing') return false;
    const left = this.sync.total - this.sync.sent;
    const k = Math.min(this.syncBatch, left, this.queue.pending);
    this.queue.pending -= k;
    this.queue.synced += k;
    this.queue.in_flight = 0;
    const sent = this.sync.sent + k;
    const done = sent >= this.sync.total || this.queue.pending === 0 || k === 0;
    this.sync = {
      ...this.sync,
      sent: done ? this.sync.total : sent,
      phase: done ? 'idle' : 'syncing',
      last_success_at: done ? this.nowText() : this.sync.last_success_at,
    };
    if (!done) this.queue.in_flight = Math.min(this.syncBatch, this.queue.pending);
    this.emitSync();
    if (!done && !this.manualSync) this.syncTimer = setTimeout(() => this.syncStep(), this.syncStepMs);
    return !done;
  }

  // ---------------------------------------------------------------- commands

  station_status(_args?: NoArgs) {
    return this.call('station_status', {}, () => this.status());
  }

  ui_ready(_args?: NoArgs) {
    return this.call('ui_ready', {}, () => {
      this.uiReadyCalls += 1;
    });
  }

  gate_admit(args: Commands['gate_admit'][0]) {
    return this.call('gate_admit', args, () => {
      if (args.code.trim() === '') throw err('empty_code', 'the code is empty');
      return this.admit(args.code, args.direction, 'qr');
    });
  }

  gate_manual(args: Commands['gate_manual'][0]) {
    return this.call('gate_manual', args, () => {
      if (!this.settings.venue_id) throw err('no_venue', 'no venue selected');
      checkPerson(args.person);
      return this.admitPerson(args.person, args.direction, 'manual', this.nowText());
    });
  }

  gate_set_direction(args: Commands['gate_set_direction'][0]) {
    return this.call('gate_set_direction', args, () => {
      this.direction = args.direction;
    });
  }

  gate_recent(args: Commands['gate_recent'][0]) {
    return this.call('gate_recent', args, () => this.recent.slice(0, Math.max(0, args.limit)));
  }

  camera_list(_args?: NoArgs) {
    return this.call('camera_list', {}, (): CameraInfo[] => [
      { source: 'camera:0', name: 'USB 2.0 Camera (giả lập)' },
      { source: 'replay:/var/lib/checkin/demo-frames', name: 'Demo frames (replay)' },
    ]);
  }

  camera_start(args: Commands['camera_start'][0]) {
    return this.call('camera_start', args, () => {
      if (args.source === 'camera:9') {
        this.camera = { state: 'error', source: args.source, message: 'Could not open device 9: No such file or directory', fps: 0 };
        throw err('camera_unavailable', this.camera.message ?? '');
      }
      this.camera = { state: 'starting', source: args.source, message: null, fps: 0 };
      const starting = { ...this.camera };
      setTimeout(() => {
        if (this.camera.source === args.source && this.camera.state === 'starting') {
          this.camera = { state: 'running', source: args.source, message: null, fps: 10 };
          this.emit('station://camera', this.camera);
        }
      }, 30);
      return starting;
    });
  }

  camera_stop(_args?: NoArgs) {
    return this.call('camera_stop', {}, () => {
      this.camera = { state: 'stopped', source: this.camera.source, message: null, fps: 0 };
      this.emit('station://camera', this.camera);
      return this.camera;
    });
  }

  /** Frames the page sent (tests check the webview camera path). */
  readonly frames = { count: 0, width: 0, height: 0 };

  camera_frame(frame: LumaFrame) {
    // The fake decodes nothing: it checks the frame like the app and counts it.
    if (this.camera.source !== 'webview' || this.camera.state === 'stopped')
      return Promise.reject(err('camera_not_started', 'start the webview camera first'));
    if (frame.luma.length !== frame.width * frame.height || frame.width > 960)
      return Promise.reject(err('invalid_frame', `frame of ${frame.luma.length} bytes for ${frame.width}x${frame.height}`));
    this.frames.count += 1;
    this.frames.width = frame.width;
    this.frames.height = frame.height;
    return Promise.resolve();
  }

  kiosk_declare(args: Commands['kiosk_declare'][0]) {
    return this.call('kiosk_declare', args, () => this.declare(args.declaration, 'kiosk', this.nowText(), null));
  }

  kiosk_unlock(args: Commands['kiosk_unlock'][0]) {
    return this.call('kiosk_unlock', args, () => this.pin !== null && args.pin === this.pin);
  }

  set_kiosk_pin(args: Commands['set_kiosk_pin'][0]) {
    return this.call('set_kiosk_pin', args, () => {
      if (this.pin !== null && args.old_pin !== this.pin) throw err('wrong_pin', 'the current PIN does not match');
      if (!/^\d{4,12}$/.test(args.new_pin.trim())) throw err('invalid_pin', 'the PIN must have 4 to 12 digits');
      this.pin = args.new_pin;
      this.settings = { ...this.settings, kiosk_pin_set: true };
      this.emitStatus();
    });
  }

  units(args: Commands['units'][0]) {
    return this.call('units', args, (): Unit[] => {
      const rows = args.parent === null ? PROVINCES : args.parent.length === 2 ? DISTRICTS[args.parent] : COMMUNES[args.parent];
      return (rows ?? []).map(([code, name, kind]) => ({ code, name, kind }));
    });
  }

  paper_declare(args: Commands['paper_declare'][0]) {
    return this.call('paper_declare', args, () => {
      this.checkWrittenAt(args.input.written_at);
      return this.declare(args.input.declaration, 'paper', args.input.written_at, args.input.direction);
    });
  }

  paper_visit(args: Commands['paper_visit'][0]) {
    return this.call('paper_visit', args, () => {
      this.checkWrittenAt(args.input.written_at);
      checkPerson(args.input.person);
      return this.admitPerson(args.input.person, args.input.direction, 'paper', args.input.written_at);
    });
  }

  same_day(args: Commands['same_day'][0]) {
    return this.call('same_day', args, () => {
      const p = args.person;
      return this.sameDay(keyOf(p.id_number, p.phone, p.full_name, p.birth_year), args.date);
    });
  }

  quarantine_list(_args?: NoArgs) {
    return this.call('quarantine_list', {}, () => this.cases.map(({ key: _k, ...c }) => c));
  }

  quarantine_register(args: Commands['quarantine_register'][0]) {
    return this.call('quarantine_register', args, () => {
      const i = args.input;
      const fields: FieldError[] = [];
      if (!i.place.trim()) fields.push({ field: 'place', problem: { problem: 'missing' } });
      if (i.end_date < i.start_date)
        fields.push({ field: 'end_date', problem: { problem: 'out_of_range', detail: 'is before the start date' } });
      else if (daysBetween(i.start_date, i.end_date) > 60)
        fields.push({ field: 'end_date', problem: { problem: 'out_of_range', detail: 'is more than 60 days after the start date' } });
      if (fields.length) throw err('invalid_quarantine', 'invalid quarantine registration', fields);
      let who: { person: PersonView; key: Identity | null } | null = null;
      if (i.code && i.code.trim()) {
        who = this.personFromCode(i.code);
        if (!who) throw err('invalid_code', 'not an ID card or pass code');
      } else if (i.person) {
        const p = i.person;
        checkPerson(p);
        who = {
          person: { name: p.full_name.trim(), id_hint: hint(p.id_number), birth_year: p.birth_year },
          key: keyOf(p.id_number, p.phone, p.full_name, p.birth_year),
        };
      } else throw err('person_missing', "scan the person's ID card or pass, or type their details");
      const key = who.key;
      if (key !== null && this.cases.some((c) => c.key === key && c.end_date >= i.start_date))
        throw err('already_in_quarantine', 'this person is already under quarantine here');
      const c = {
        id: `q-${String(this.cases.length + 1).padStart(4, '0')}`,
        key: who.key,
        person: who.person,
        kind: i.kind,
        place: i.place.trim(),
        start_date: i.start_date,
        end_date: i.end_date,
        active: i.start_date <= this.today() && this.today() <= i.end_date,
        updated_today: false,
        last_update: null as HealthUpdateView | null,
      };
      this.cases.push(c);
      this.store({ kind: 'health_update', at: this.nowText(), source: 'manual', name: c.person.name, key: c.key });
      this.emitStatus();
      const { key: _k, ...view } = c;
      return view;
    });
  }

  quarantine_find(args: Commands['quarantine_find'][0]) {
    return this.call('quarantine_find', args, () => {
      const who = this.personFromCode(args.code);
      const c = who?.key ? this.cases.find((x) => x.key === who.key) : undefined;
      if (!c) return null;
      const { key: _k, ...view } = c;
      return view;
    });
  }

  quarantine_update(args: Commands['quarantine_update'][0]) {
    return this.call('quarantine_update', args, () => {
      const i = args.input;
      const c = this.cases.find((x) => x.id === i.case_id);
      if (!c) throw err('not_found', `no quarantine case ${i.case_id}`);
      if (i.temperature_c !== null && (i.temperature_c < 34 || i.temperature_c > 43))
        throw err('invalid_quarantine', 'temperature out of range', [
          { field: 'temperature_c', problem: { problem: 'out_of_range', detail: 'must be between 34.0 and 43.0 °C' } },
        ]);
      c.updated_today = true;
      c.last_update = healthUpdate(this.now(), i.temperature_c, i.symptoms, i.note);
      this.store({ kind: 'health_update', at: this.nowText(), source: 'manual', name: c.person.name, key: c.key });
      this.emitStatus();
      const { key: _k, ...view } = c;
      return view;
    });
  }

  sync_now(_args?: NoArgs) {
    return this.call('sync_now', {}, () => {
      if (!this.enrollment) throw err('not_enrolled', 'this device is not enrolled');
      if (this.sync.phase === 'syncing') return;
      const at = this.nowText();
      if (this.online && this.revoked) {
        queueMicrotask(() => this.refused(at));
        return;
      }
      if (!this.online) {
        this.sync = {
          ...this.sync,
          phase: 'offline',
          online: false,
          last_attempt_at: at,
          error_code: 'server_unreachable',
          message: 'connection refused (giả lập)',
          next_try_at: rfc3339(new Date(this.now().getTime() + 60_000)),
          sent: 0,
          total: 0,
        };
        queueMicrotask(() => this.emitSync());
        return;
      }
      const total = this.queue.pending;
      this.syncBatch = Math.max(1, Math.ceil(total / 4));
      this.sync = {
        ...this.sync,
        phase: total ? 'syncing' : 'idle',
        online: true,
        last_attempt_at: at,
        last_success_at: total ? this.sync.last_success_at : at,
        error_code: null,
        message: null,
        next_try_at: null,
        sent: 0,
        total,
      };
      this.queue.in_flight = Math.min(this.syncBatch, total);
      queueMicrotask(() => {
        this.emitSync();
        if (total && !this.manualSync) this.syncTimer = setTimeout(() => this.syncStep(), this.syncStepMs);
      });
    });
  }

  rejected_list(_args?: NoArgs) {
    return this.call('rejected_list', {}, () => this.rejected);
  }

  private requeue(seq: number): RejectedRecord {
    const r = this.rejected.find((x) => x.seq === seq);
    if (!r) throw err('not_found', `no rejected record ${seq}`);
    this.rejected = this.rejected.filter((x) => x.seq !== seq);
    this.queue.rejected -= 1;
    if (r.state === 'conflict') this.queue.conflict -= 1;
    this.queue.pending += 1;
    return r;
  }

  rejected_requeue(args: Commands['rejected_requeue'][0]) {
    return this.call('rejected_requeue', args, () => {
      this.requeue(args.seq);
      this.emitStatus();
    });
  }

  rejected_fix_venue(args: Commands['rejected_fix_venue'][0]) {
    return this.call('rejected_fix_venue', args, () => {
      if (!this.venues.some((v) => v.id === args.venue_id)) throw err('venue_outside_scope', `venue ${args.venue_id} is not in scope`);
      this.requeue(args.seq);
      this.emitStatus();
    });
  }

  enroll(args: Commands['enroll'][0]) {
    return this.call('enroll', args, () => {
      const i = args.input;
      const m = /^CKE1:([^@\s]+)(?:@(\S+))?$/i.exec(i.code.trim());
      if (!m) throw err('invalid_enrollment_code', 'not an enrollment code (CKE1:<token>[@<url>])');
      const url = i.server_url?.trim() || m[2] || '';
      if (!url) throw err('server_url_missing', 'this enrollment code does not name the server: give its address');
      if (!/^https?:\/\/\S+$/i.test(url)) throw err('bad_server_url', `not a server address: ${url}`);
      if (!this.online) throw err('server_unreachable', `cannot reach ${url}`);
      if (/^expired/i.test(m[1])) throw err('token_expired', 'the enrollment token has expired');
      if (/^used/i.test(m[1])) throw err('token_used', 'the enrollment token was already used');
      if (m[1].length < 8) throw err('token_invalid', 'the enrollment token is not known to the server');
      // As the station decides: a revoked device enrolls again with the
      // same server although records are pending (they go out after).
      const refusedHere = this.revoked && this.enrollment?.server_url === url.replace(/\/+$/, '');
      if (this.enrollment && this.queue.pending > 0 && !i.force && !refusedHere)
        throw err('pending_records', `${this.queue.pending} records of the current enrollment are still pending`);
      this.revoked = false;
      this.enrollment = {
        server_url: url,
        scope: { type: 'venue', venue_id: VENUES[0].id },
        province_code: '01',
        label: i.label?.trim() || null,
      };
      this.venues = [VENUES[0]];
      this.settings = { ...this.settings, venue_id: VENUES[0].id };
      this.sync = { ...this.sync, phase: 'idle', online: true, error_code: null, message: null };
      this.emitSync();
      return this.status();
    });
  }

  settings_update(args: Commands['settings_update'][0]) {
    return this.call('settings_update', args, () => {
      const p = args.patch;
      if (p.hold_seconds !== undefined && !(p.hold_seconds >= 0 && p.hold_seconds <= 60))
        throw err('invalid_hold', 'the hold time must be between 0 and 60 seconds');
      if (p.camera !== undefined && !/^(|webview|camera(:\d+)?|replay:.+)$/.test(p.camera))
        throw err('invalid_camera', `camera ${p.camera}: use camera:N, replay:FOLDER, webview or nothing`);
      if (p.venue_id !== undefined && p.venue_id !== null && !this.venues.some((v) => v.id === p.venue_id))
        throw err('venue_outside_scope', `venue ${p.venue_id} is not one this station is enrolled for`);
      this.settings = { ...this.settings, ...p };
      this.emitStatus();
      return this.settings;
    });
  }

  /** Stops timers (tests). */
  dispose(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
  }
}

/** A fake station configured from `init` (or `window.__CHECKIN_FAKE_INIT__`). */
export function createFakeBackend(init?: FakeInit): FakeBackend {
  const fromWindow =
    typeof window !== 'undefined' ? (window as unknown as { __CHECKIN_FAKE_INIT__?: FakeInit }).__CHECKIN_FAKE_INIT__ : undefined;
  return new FakeBackend(init ?? fromWindow ?? {});
}

