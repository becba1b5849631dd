import { afterEach, describe, expect, it } from 'vitest';
import type { Declaration, StationStatus, SyncState } from './gen';
import { FakeBackend } from './fake-backend';
import { noExposures, noSymptoms } from './declaration';

const NOW = new Date('2021-11-24T09:00:00+07:00');
const fakes: FakeBackend[] = [];
function fake(init: ConstructorParameters<typeof FakeBackend>[0] = {}) {
  let now = NOW.getTime();
  const f = new FakeBackend({ now: () => new Date(now), manualSync: true, ...init });
  fakes.push(f);
  return { f, advance: (ms: number) => (now += ms) };
}
afterEach(() => fakes.splice(0).forEach((f) => f.dispose()));

const decl = (over: Partial<Declaration> = {}): Declaration => ({
  full_name: 'Nguyễn Thị Lan',
  id_number: '001190000123',
  birth: '1990-08-15',
  gender: 'female',
  nationality: 'VN',
  phone: '0912345678',
  email: null,
  address: { province_code: '01', district_code: '001', commune_code: '00004', street: '' },
  places_visited: [],
  symptoms: noSymptoms(),
  exposures: noExposures(),
  consent: true,
  ...over,
});

const CCCD = (id: string, name: string) => `${id}|012345678|${name}|15081998|Nam|Hà Nội|25052021`;

describe('fake backend', () => {
  it('has real administrative units', async () => {
    const { f } = fake();
    const provinces = await f.units({ parent: null });
    expect(provinces).toHaveLength(63);
    expect(provinces[0]).toEqual({ code: '01', name: 'Thành phố Hà Nội', kind: 'Thành phố Trung ương' });
    expect((await f.units({ parent: '01' })).find((u) => u.code === '001')?.name).toBe('Quận Ba Đình');
    const baDinh = await f.units({ parent: '001' });
    expect(baDinh.slice(0, 2).map((u) => [u.code, u.name])).toEqual([
      ['00001', 'Phường Phúc Xá'],
      ['00004', 'Phường Trúc Bạch'],
    ]);
    const q1 = await f.units({ parent: '760' });
    expect(q1.slice(0, 2).map((u) => [u.code, u.name])).toEqual([
      ['26734', 'Phường Tân Định'],
      ['26737', 'Phường Đa Kao'],
    ]);
    expect(await f.units({ parent: '99' })).toEqual([]);
  });

  it('validates declarations like the Rust rules and issues a signed pass', async () => {
    const { f } = fake();
    await expect(f.kiosk_declare({ declaration: decl({ phone: 'abc', consent: false }) })).rejects.toMatchObject({
      code: 'invalid_declaration',
      fields: [
        { field: 'phone', problem: { problem: 'format' } },
        { field: 'consent', problem: { problem: 'consent_required' } },
      ],
    });
    const d = await f.kiosk_declare({ declaration: decl() });
    expect(d.verdict).toEqual({ level: 'green' });
    expect(d.pass?.text).toMatch(/^CKP1:/);
    expect(d.pass?.svg).toMatch(/^<svg /);
    expect(d.pass?.declared_on).toBe('2021-11-24');
    const red = await f.kiosk_declare({ declaration: decl({ id_number: null, phone: '0987000111', symptoms: { ...noSymptoms(), fever: true } }) });
    expect(red.verdict).toEqual({ level: 'red', reasons: [{ reason: 'symptom', detail: 'fever' }] });
  });

  it('verifies passes at the gate: valid, tampered, expired; repeats within the hold time', async () => {
    const { f, advance } = fake({ holdSeconds: 10 });
    const { pass } = await f.kiosk_declare({ declaration: decl() });
    const text = pass!.text;
    const ok = await f.gate_admit({ code: text, direction: 'in' });
    expect(ok).toMatchObject({ status: 'recorded', kind: 'pass', verdict: { level: 'green' }, pass: { name: 'Nguyễn Thị Lan' } });
    expect(await f.gate_admit({ code: text, direction: 'in' })).toMatchObject({ status: 'repeat' });
    advance(11_000);
    expect(await f.gate_admit({ code: text, direction: 'in' })).toMatchObject({ status: 'recorded' });
    const tampered = text.replace(/^CKP1:(.)/, (_m, c: string) => `CKP1:${c === 'e' ? 'f' : 'e'}`);
    expect(await f.gate_admit({ code: tampered, direction: 'in' })).toMatchObject({ status: 'pass_refused', problem: 'bad_signature' });
    expect(await f.gate_admit({ code: 'CKP1:garbage', direction: 'in' })).toMatchObject({ status: 'pass_refused', problem: 'malformed' });
    advance(2 * 86_400_000);
    expect(await f.gate_admit({ code: text, direction: 'in' })).toMatchObject({
      status: 'recorded',
      verdict: { level: 'amber', reasons: [{ reason: 'declaration_not_today', detail: '2021-11-24' }] },
    });
    advance(20 * 86_400_000);
    expect(await f.gate_admit({ code: text, direction: 'in' })).toMatchObject({ status: 'pass_refused', problem: 'expired' });
  });

  it('decides ID cards by the declarations it holds; other codes are not check-ins', async () => {
    const { f, advance } = fake();
    const adm = async (code: string) => f.gate_admit({ code, direction: 'in' });
    expect(await adm(CCCD('001098012345', 'NGUYỄN VĂN A'))).toMatchObject({ status: 'recorded', verdict: { level: 'green' }, person: { id_hint: '…2345', birth_year: 1998 } });
    expect(await adm(CCCD('033123009876', 'Trần Thị Bích'))).toMatchObject({ verdict: { level: 'red' } });
    expect(await adm(CCCD('012345678912', 'Lê Văn Dũng'))).toMatchObject({ verdict: { level: 'amber', reasons: [{ reason: 'no_declaration' }] } });
    expect(await adm(CCCD('001200004321', 'Lê Văn Cường'))).toMatchObject({ verdict: { level: 'red', reasons: [{ reason: 'in_quarantine' }] } });
    expect(await adm('CKV1:01-00004-K7M2Q9')).toMatchObject({ status: 'not_checkin', kind: 'venue', problem: 'names_no_person' });
    expect(await adm('CKE1:abc@https://x.vn')).toMatchObject({ status: 'not_checkin', kind: 'enroll', problem: 'enrollment_code' });
    expect(await adm('https://example.com')).toMatchObject({ status: 'not_checkin', kind: 'url' });
    // Vaccine passports are check-ins with the station's verdict (the fake
    // stands for a station that synced its trust list).
    expect(await adm('HC1:DEMO-VALID-VACCINATION')).toMatchObject({ status: 'recorded', kind: 'dcc', verdict: { level: 'green' }, person: { name: 'Nguyễn Văn An' } });
    expect(await adm('HC1:NCFOXN')).toMatchObject({
      status: 'recorded',
      kind: 'dcc',
      person: null,
      verdict: { level: 'red', reasons: [{ reason: 'certificate_invalid', detail: 'unknown_key' }] },
    });
    expect(await adm('001098012345|NGUYEN|15081998|Nam|Ha Noi')).toMatchObject({ status: 'not_checkin', kind: 'text', problem: 'damaged_id_card' });
    // Leaving needs no health check.
    expect(await adm(CCCD('001301009999', 'Hoàng Văn Em'))).toMatchObject({ verdict: { level: 'red' } });
    advance(11_000);
    expect(await f.gate_admit({ code: CCCD('001301009999', 'Hoàng Văn Em'), direction: 'out' })).toMatchObject({ verdict: { level: 'green' } });
    await expect(adm('  ')).rejects.toMatchObject({ code: 'empty_code' });
  });

  it('moves the queue: records add pending, sync settles them with progress events', async () => {
    const { f } = fake();
    const syncs: SyncState[] = [];
    const statuses: StationStatus[] = [];
    f.on('station://sync', (s) => syncs.push(s));
    f.on('station://status', (s) => statuses.push(s));
    const before = (await f.station_status()).queue.pending;
    await f.gate_admit({ code: CCCD('001098012345', 'NGUYỄN VĂN A'), direction: 'in' });
    expect(statuses.at(-1)?.queue.pending).toBe(before + 1);
    await f.sync_now();
    await Promise.resolve();
    expect(syncs.at(-1)).toMatchObject({ phase: 'syncing', sent: 0, total: before + 1 });
    while (f.stepSync()) {
      /* one batch per step */
    }
    expect(syncs.map((s) => s.sent)).toEqual([0, 1, 2, 3, 4]);
    expect(syncs.at(-1)).toMatchObject({ phase: 'idle', online: true, last_success_at: '2021-11-24T09:00:00+07:00' });
    expect(statuses.at(-1)?.queue).toMatchObject({ pending: 0, synced: 1284 + before + 1, in_flight: 0 });
  });

  it('offline sync and unenrolled stations say so', async () => {
    const { f } = fake();
    f.setOnline(false);
    const syncs: SyncState[] = [];
    f.on('station://sync', (s) => syncs.push(s));
    await f.sync_now();
    await Promise.resolve();
    expect(syncs.at(-1)).toMatchObject({ phase: 'offline', online: false, error_code: 'server_unreachable' });
    const { f: g } = fake({ enrolled: false });
    await expect(g.sync_now()).rejects.toMatchObject({ code: 'not_enrolled' });
    expect((await g.station_status()).sync.phase).toBe('not_enrolled');
  });

  it('a revoked device is refused, keeps its records, and enrolls again with the same server', async () => {
    const { f } = fake({ revoked: true });
    const syncs: SyncState[] = [];
    f.on('station://sync', (s) => syncs.push(s));
    expect((await f.station_status()).sync).toMatchObject({ phase: 'error', online: true, error_code: 'device_revoked' });
    await f.sync_now();
    await Promise.resolve();
    expect(syncs.at(-1)).toMatchObject({ phase: 'error', error_code: 'device_revoked' });
    expect(f.queueStatus()).toMatchObject({ pending: 3, synced: 1284, rejected: 2 });
    const input = { code: 'CKE1:N3wT0ken8Hx2@https://checkin.other.vn', server_url: null, label: null, force: false };
    await expect(f.enroll({ input })).rejects.toMatchObject({ code: 'pending_records' });
    await f.enroll({ input: { ...input, code: 'CKE1:N3wT0ken8Hx2@https://checkin.soyte.hanoi.gov.vn/' } });
    expect(syncs.at(-1)).toMatchObject({ phase: 'idle', error_code: null });
    await f.sync_now();
    while (f.stepSync()) {
      /* one batch per step */
    }
    expect(f.queueStatus()).toMatchObject({ pending: 0, synced: 1287 });
  });

  it('re-queues and fixes rejected records', async () => {
    const { f } = fake();
    expect((await f.rejected_list()).map((r) => r.seq)).toEqual([41, 57]);
    await f.rejected_requeue({ seq: 57 });
    await expect(f.rejected_fix_venue({ seq: 41, venue_id: 'XX' })).rejects.toMatchObject({ code: 'venue_outside_scope' });
    await f.rejected_fix_venue({ seq: 41, venue_id: '01-00001-P3X8D2' });
    expect(await f.rejected_list()).toEqual([]);
    expect(f.queueStatus()).toMatchObject({ pending: 5, rejected: 0, conflict: 0 });
    await expect(f.rejected_requeue({ seq: 41 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('follows quarantine: due count, updates, registration, find by code', async () => {
    const { f } = fake();
    expect((await f.station_status()).quarantine_due).toBe(2);
    const c = await f.quarantine_update({ input: { case_id: 'q-0002', temperature_c: 38.2, symptoms: noSymptoms(), note: '' } });
    expect(c).toMatchObject({ updated_today: true, last_update: { temperature_c: 38.2, date: '2021-11-24', verdict: { level: 'red' } } });
    expect((await f.station_status()).quarantine_due).toBe(1);
    await expect(f.quarantine_register({ input: { code: null, person: null, kind: 'home', place: '', start_date: '2021-11-24', end_date: '2021-11-20' } })).rejects.toMatchObject({
      code: 'invalid_quarantine',
      fields: [{ field: 'place' }, { field: 'end_date' }],
    });
    await expect(f.quarantine_register({ input: { code: null, person: null, kind: 'home', place: 'Nhà', start_date: '2021-11-24', end_date: '2022-02-24' } })).rejects.toMatchObject({
      code: 'invalid_quarantine',
      fields: [{ field: 'end_date', problem: { problem: 'out_of_range' } }],
    });
    await expect(f.quarantine_register({ input: { code: null, person: null, kind: 'home', place: 'Nhà', start_date: '2021-11-24', end_date: '2021-12-01' } })).rejects.toMatchObject({ code: 'person_missing' });
    await expect(
      f.quarantine_register({ input: { code: null, person: { full_name: 'An', id_number: null, phone: null, birth_year: null }, kind: 'home', place: 'Nhà', start_date: '2021-11-24', end_date: '2021-12-01' } }),
    ).rejects.toMatchObject({ code: 'invalid_person', fields: [{ field: 'id_number', problem: { problem: 'missing' } }] });
    const n = await f.quarantine_register({
      input: { code: CCCD('012345678912', 'Lê Văn Dũng'), person: null, kind: 'facility', place: 'KTX', start_date: '2021-11-24', end_date: '2021-12-08' },
    });
    expect(n).toMatchObject({ person: { name: 'Lê Văn Dũng' }, active: true, updated_today: false });
    expect((await f.quarantine_find({ code: CCCD('012345678912', 'Lê Văn Dũng') }))?.id).toBe(n.id);
    expect(await f.quarantine_find({ code: 'nothing' })).toBeNull();
  });

  it('enrolls, sets the PIN, unlocks, saves settings, fails on demand', async () => {
    const { f } = fake({ enrolled: false });
    await expect(f.enroll({ input: { code: 'CKE1:Q7m2K9xPz4Tt8Lw3', server_url: null, label: null, force: false } })).rejects.toMatchObject({ code: 'server_url_missing' });
    await expect(f.enroll({ input: { code: 'hello', server_url: null, label: null, force: false } })).rejects.toMatchObject({ code: 'invalid_enrollment_code' });
    await expect(f.enroll({ input: { code: 'CKE1:expired123@https://a.vn', server_url: null, label: null, force: false } })).rejects.toMatchObject({ code: 'token_expired' });
    const s = await f.enroll({ input: { code: 'CKE1:Q7m2K9xPz4Tt8Lw3@https://a.vn', server_url: null, label: 'Cổng', force: false } });
    expect(s.enrollment).toMatchObject({ server_url: 'https://a.vn', label: 'Cổng' });
    await expect(f.enroll({ input: { code: 'CKE1:Q7m2K9xPz4Tt8Lw3@https://a.vn', server_url: null, label: null, force: false } })).rejects.toMatchObject({ code: 'pending_records' });

    expect(await f.kiosk_unlock({ pin: '' })).toBe(false);
    await expect(f.set_kiosk_pin({ old_pin: null, new_pin: '12' })).rejects.toMatchObject({ code: 'invalid_pin' });
    await f.set_kiosk_pin({ old_pin: null, new_pin: '2468' });
    await expect(f.set_kiosk_pin({ old_pin: '1111', new_pin: '1357' })).rejects.toMatchObject({ code: 'wrong_pin' });
    expect(await f.kiosk_unlock({ pin: '1111' })).toBe(false);
    expect(await f.kiosk_unlock({ pin: '2468' })).toBe(true);
    expect((await f.station_status()).settings.kiosk_pin_set).toBe(true);

    expect(await f.settings_update({ patch: { language: 'en', hold_seconds: 30 } })).toMatchObject({ language: 'en', hold_seconds: 30 });
    await expect(f.settings_update({ patch: { hold_seconds: 61 } })).rejects.toMatchObject({ code: 'invalid_hold' });
    f.failNext('station_status', { code: 'disk_full', message: 'No space left on device' });
    await expect(f.station_status()).rejects.toEqual({ code: 'disk_full', message: 'No space left on device' });
    expect((await f.station_status()).settings.language).toBe('en');
  });

  it('finds records of the same person on the same day (paper entry)', async () => {
    const { f } = fake();
    const person = { full_name: 'NGUYỄN VĂN A', id_number: '001098012345', phone: null, birth_year: null };
    expect(await f.same_day({ person, date: '2021-11-24' })).toHaveLength(1);
    expect(await f.same_day({ person, date: '2021-11-23' })).toEqual([]);
    // Just after midnight the seeded "earlier today" records are still today's.
    const early = fake({ now: () => new Date('2021-11-24T00:20:00+07:00') }).f;
    expect(await early.same_day({ person, date: '2021-11-24' })).toHaveLength(1);
    const d = await f.paper_declare({ input: { declaration: decl({ id_number: '001098012345' }), written_at: '2021-11-24T07:30:00+07:00', direction: 'in' } });
    expect(d.same_day).toHaveLength(1);
    expect(d.checkin_id).not.toBeNull();
    expect(d.pass).toBeNull();
    await expect(f.paper_visit({ input: { person, written_at: '2031-01-01T00:00:00+07:00', direction: 'in' } })).rejects.toMatchObject({ code: 'time_in_future' });
    await expect(f.gate_manual({ person: { ...person, full_name: ' ' }, direction: 'in' })).rejects.toMatchObject({
      code: 'invalid_person',
      fields: [{ field: 'full_name' }],
    });
  });
});
