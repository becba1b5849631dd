import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../shared/fake-backend';
import { lang } from '../shared/i18n';
import { Station, enrollCodeOf, type StationEnv } from './station';

const CCCD = '001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021';

function memoryStorage(): StationEnv['storage'] {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

const stations: Station[] = [];
async function started(init: ConstructorParameters<typeof FakeBackend>[0] = {}) {
  const fake = new FakeBackend({ manualSync: true, ...init });
  const painted: (() => void)[] = [];
  const storage = memoryStorage();
  const station = new Station(fake, { win: window, storage, afterPaint: (fn) => painted.push(fn) });
  stations.push(station);
  window.location.hash = '';
  await station.start();
  return { fake, station, painted, storage };
}
afterEach(() => {
  stations.splice(0).forEach((s) => s.stop());
  window.__checkinLatencies = undefined;
  lang.value = 'vi';
});

describe('Station', () => {
  it('loads the status once and then follows events', async () => {
    const { fake, station } = await started({ language: 'en' });
    expect(station.status.value?.queue.pending).toBe(3);
    expect(lang.value).toBe('en');
    expect(station.recent.value).toHaveLength(2);
    expect(station.route.value).toBe('gate');
    await fake.gate_manual({ person: { full_name: 'An', id_number: null, phone: '0912345678', birth_year: null }, direction: 'in' });
    expect(station.status.value?.queue.pending).toBe(4);
    fake.setOnline(false);
    expect(station.sync.value?.phase).toBe('offline');
    expect(fake.calls.filter(([c]) => c === 'station_status')).toHaveLength(1);
  });

  it('names the venue records are made for: the chosen one, else the only one of the enrollment', async () => {
    const { station } = await started();
    const s = station.status.value!;
    const one = s.venues[0];
    station.status.value = { ...s, venues: [one], settings: { ...s.settings, venue_id: null } };
    expect(station.venueName.value).toBe(one.name);
    const other = { ...one, id: '01-00001-OTHER', name: 'Chợ Đồng Xuân' };
    station.status.value = { ...s, venues: [one, other], settings: { ...s.settings, venue_id: null } };
    expect(station.venueName.value).toBeNull();
    station.status.value = { ...s, venues: [one, other], settings: { ...s.settings, venue_id: other.id } };
    expect(station.venueName.value).toBe('Chợ Đồng Xuân');
  });

  it('shows scan events, notes repeats, and records latency after paint', async () => {
    const { fake, station, painted } = await started();
    fake.pushScan(CCCD);
    expect(station.shown.value?.admission).toMatchObject({ status: 'recorded', verdict: { level: 'green' } });
    expect(station.recent.value[0]).toMatchObject({ person: { name: 'NGUYỄN VĂN A' } });
    const seq = station.shown.value?.seq;
    fake.pushScan(CCCD);
    expect(station.shown.value?.seq).toBe(seq);
    expect(station.repeat.value).not.toBeNull();
    expect(window.__checkinLatencies ?? []).toHaveLength(0);
    painted.forEach((fn) => fn());
    expect(window.__checkinLatencies).toHaveLength(2);
    expect(station.lastScan.value?.source).toBe('camera:0');
  });

  it('admits typed codes and camera scans in the chosen direction', async () => {
    const { fake, station } = await started();
    await station.setDirection('out');
    expect(fake.calls.at(-1)).toEqual(['gate_set_direction', { direction: 'out' }]);
    expect(fake.pushScan(CCCD)).toMatchObject({ direction: 'out' });
    station.direction.value = 'out';
    await station.admitCode(CCCD);
    expect(fake.calls.at(-1)).toEqual(['gate_admit', { code: CCCD, direction: 'out' }]);
    expect(station.shown.value?.admission).toMatchObject({ direction: 'out' });
  });

  it('saves the language and remembers it for the next start', async () => {
    const { fake, station, storage } = await started();
    await station.setLanguage('en');
    expect(lang.value).toBe('en');
    expect(fake.calls.at(-1)).toEqual(['settings_update', { patch: { language: 'en' } }]);
    expect(storage?.getItem('checkin.language')).toBe('en');
    lang.value = 'vi';
    const again = new Station(fake, { win: window, storage, afterPaint: () => undefined });
    expect(lang.value).toBe('en');
    again.stop();
  });

  it('kiosk mode needs a PIN, survives a restart and ends with the right PIN', async () => {
    const { station, storage, fake } = await started();
    expect(station.lockKiosk()).toBe(false);
    await fake.set_kiosk_pin({ old_pin: null, new_pin: '2468' });
    expect(station.lockKiosk()).toBe(true);
    expect(station.route.value).toBe('kiosk');
    station.navigate('settings');
    expect(station.route.value).toBe('kiosk');
    expect(storage?.getItem('checkin.kioskLocked')).toBe('1');
    expect(await station.unlockKiosk('1111')).toBe(false);
    expect(station.kioskLocked.value).toBe(true);
    expect(await station.unlockKiosk('2468')).toBe(true);
    station.navigate('settings');
    expect(station.route.value).toBe('settings');
  });

  it('a status that cannot be read opens the status screen with the error', async () => {
    const { station } = await started({ failFirst: { station_status: { code: 'store_newer_schema', message: 'newer' } } });
    expect(station.startError.value?.code).toBe('store_newer_schema');
    expect(station.route.value).toBe('sync');
    await station.refreshStatus();
    expect(station.startError.value).toBeNull();
  });

  it('reads an enrollment code from a scan when the backend sends it', () => {
    expect(enrollCodeOf({ status: 'not_checkin', kind: 'enroll', problem: null, detail: null, text: null, at: '' })).toBeNull();
    const withText = { status: 'not_checkin', kind: 'enroll', problem: null, detail: null, at: '', text: 'CKE1:abc' } as const;
    expect(enrollCodeOf(withText)).toBe('CKE1:abc');
  });
});
