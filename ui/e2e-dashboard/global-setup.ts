// The real server for the dashboard's browser tests: a temp directory, the
// built binaries (checkin-server, and the station CLI checkin that seeds
// visits the way stations send them), the units fixture, the venues, the
// accounts, `serve --dashboard-dir dist-dashboard`, then visits and health
// declarations recorded and synced through the CLI, and the populations,
// rosters and reported figures the declaration reports compare them with.
// Workers read the URL and facts from the environment.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays } from '../src/shared/format';
import { BIN_DIR, SERVER, STATION, run, startServer, stopServer } from './server';
import { COMMUNE_STATIONS, DECLARANTS, PASSWORD, POPULATION, REPORTED, ROSTER, USERS, VENUES, cccd, days, type CommuneStation } from './seed';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** "2021-08-09T09:00:00+07:00" for a local date and time in Vietnam. */
function vietnamTime(date: string, hms: string): string {
  return `${date}T${hms}+07:00`;
}

/** Now as RFC 3339 in Vietnam's offset, to the second. */
function vietnamNow(now: Date): string {
  const shifted = new Date(now.getTime() + 7 * 3_600_000).toISOString();
  return `${shifted.slice(0, 19)}+07:00`;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const bin of [SERVER, STATION])
    if (!existsSync(bin))
      throw new Error(`${bin} is missing: build it with  CARGO_TARGET_DIR=${join(BIN_DIR, '..')} cargo build -p checkin-server -p checkin-cli`);
  const dist = process.env.CHECKIN_DASHBOARD_DIST ?? here('../dist-dashboard');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no index.html: run \`npm run build\` (npm run test:dashboard does)`);

  const dir = mkdtempSync(join(tmpdir(), 'checkin-dashboard-'));
  const db = `sqlite://${join(dir, 'server.db')}`;
  const admin = (args: string[], input?: string) => run(SERVER, ['admin', '--database', db, ...args], input);
  const d = days();

  admin(['import-units', here('fixtures/units.json')]);
  const csv = join(dir, 'venues.csv');
  writeFileSync(
    csv,
    'name,category,commune_code,address,registered_on\n' +
      VENUES.map((v) => `${v.name},${v.category},${v.commune},,${addDays(d.today, -v.registeredDaysAgo)}`).join('\n') +
      '\n',
  );
  const ids = admin(['import-venues', csv]).trim().split('\n');
  if (ids.length !== VENUES.length) throw new Error(`import-venues printed ${ids.length} ids for ${VENUES.length} venues`);
  for (const u of Object.values(USERS)) admin(['user', 'add', '--login', u.login, '--role', u.role, '--unit', u.unit], `${PASSWORD}\n`);

  const log: string[] = [];
  const { child, url } = await startServer(db, ['--dashboard-dir', dist, '--insecure-cookies'], log);

  // Every visit is another person, numbered in this order (seed.ts personsAt replays it).
  let person = 0;
  const venueIds: Record<string, string> = {};
  VENUES.forEach((v, i) => {
    venueIds[v.key] = ids[i];
    if (!v.device) return;
    const station = ['--data-dir', join(dir, `station-${v.key}`)];
    const token = admin(['enrollment-token', '--venue', ids[i], '--no-qr']).trim();
    run(STATION, [...station, 'enroll', '--server', url, '--token', token, '--label', v.name]);
    for (const visit of v.today) {
      const at = visit.source === 'paper' ? ['--at', vietnamNow(new Date())] : [];
      run(STATION, [...station, 'record', '--venue', ids[i], '--code', cccd(person++), '--source', visit.source, '--direction', visit.direction, ...at]);
    }
    for (let k = 0; k < v.lastWeek; k++) {
      const at = vietnamTime(d.lastWeekMonday, `09:${String(10 + k).padStart(2, '0')}:00`);
      run(STATION, [...station, 'record', '--venue', ids[i], '--code', cccd(person++), '--source', 'qr', '--at', at]);
    }
    // An empty sync too: the device has contacted the server this week.
    run(STATION, [...station, 'sync']);
  });

  // Health declarations on commune stations, then what the declaration
  // reports compare them with: populations, agencies' rosters, the figures
  // communes and agencies reported.
  const communeStation = (key: CommuneStation) => ['--data-dir', join(dir, `commune-${key}`)];
  for (const [key, commune] of Object.entries(COMMUNE_STATIONS) as [CommuneStation, string][]) {
    const token = admin(['enrollment-token', '--commune', commune, '--no-qr']).trim();
    run(STATION, [...communeStation(key), 'enroll', '--server', url, '--token', token, '--label', `Xã ${commune}`]);
  }
  for (const p of DECLARANTS) {
    for (const dcl of p.declarations) {
      // Earlier days as written on the form (the station kept it until today's sync); today on the station's clock.
      const at = dcl.daysAgo > 0 ? ['--at', vietnamTime(addDays(d.today, -dcl.daysAgo), '08:00:00')] : dcl.source === 'kiosk' ? [] : ['--at', vietnamNow(new Date())];
      const id = p.id ? ['--id-number', p.id] : [];
      run(STATION, [
        ...communeStation(dcl.at),
        'declare',
        '--source', dcl.source,
        ...at,
        '--full-name', p.name,
        ...id,
        '--birth', p.birth,
        '--gender', p.gender,
        '--phone', p.phone,
        '--province', '38',
        '--district', p.home.district,
        '--commune', p.home.commune,
        '--consent',
      ]);
    }
  }
  for (const key of Object.keys(COMMUNE_STATIONS) as CommuneStation[]) run(STATION, [...communeStation(key), 'sync']);
  const file = (name: string, header: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
    return path;
  };
  admin(['import-population', file('population.csv', 'unit_code,population', Object.entries(POPULATION).map(([u, n]) => `${u},${n}`))]);
  admin(['import-roster', file('roster.csv', 'agency,commune_code,full_name,id_number,phone', ROSTER.map((m) => `${m.agency},${m.commune},${m.name},${m.id},${m.phone}`))]);
  admin(['import-reported', file('reported.csv', 'unit_code,agency,date,reported', REPORTED.map((r) => `${r.unit},${r.agency},${addDays(d.today, -r.daysAgo)},${r.reported}`))]);

  process.env.CHECKIN_DASHBOARD_URL = `${url}/dashboard/`;
  process.env.CHECKIN_SERVER_URL = url;
  process.env.CHECKIN_DASHBOARD_FACTS = JSON.stringify({ venueIds, days: d });

  return async () => {
    await stopServer(child);
    if (!process.env.CHECKIN_KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  };
}
