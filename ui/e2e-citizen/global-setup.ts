// The real server for the phone page's browser tests: a temp SQLite
// database, the units fixture, two venues, `serve --citizen-dir
// dist-citizen`, and each venue's poster link as `admin venue url` prints it.
// Workers read the URL and links from the environment.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN_DIR, SERVER, run, startServer, stopServer } from '../e2e-dashboard/server';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: build it with  CARGO_TARGET_DIR=${join(BIN_DIR, '..')} cargo build -p checkin-server`);
  const dist = process.env.CHECKIN_CITIZEN_DIST ?? here('../dist-citizen');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no index.html: run \`npm run build\` (npm run test:citizen does)`);

  const dir = mkdtempSync(join(tmpdir(), 'checkin-citizen-'));
  const db = `sqlite://${join(dir, 'server.db')}`;
  const admin = (args: string[]) => run(SERVER, ['admin', '--database', db, ...args]);
  admin(['import-units', here('../e2e-dashboard/fixtures/units.json')]);
  const market = admin(['venue', 'add', '--name', 'Chợ Trung Xuân', '--category', 'market', '--commune', '14995', '--address', 'Bản Na Hồ']).split('\n')[0].trim();
  const clinic = admin(['venue', 'add', '--name', 'Trạm Y tế xã Sơn Hà', '--category', 'clinic', '--commune', '15004', '--address', 'Bản Chanh']).split('\n')[0].trim();
  // Only the offline test checks in here: its report rows are that test's alone.
  const post = admin(['venue', 'add', '--name', 'Bưu điện văn hóa xã Sơn Lư', '--category', 'other', '--commune', '14998', '--address', 'Khu 1']).split('\n')[0].trim();

  const log: string[] = [];
  const { child, url } = await startServer(db, ['--citizen-dir', dist], log);
  const link = (id: string) => admin(['venue', 'url', id, '--base', url]).split('\n')[0].trim();

  process.env.CHECKIN_SERVER_URL = url;
  process.env.CHECKIN_SERVER_DB = db;
  process.env.CHECKIN_CITIZEN_LINKS = JSON.stringify({ market: link(market), clinic: link(clinic), post: link(post) });
  process.env.CHECKIN_CITIZEN_VENUES = JSON.stringify({ market, clinic, post });

  return async () => {
    await stopServer(child);
    if (!process.env.CHECKIN_KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  };
}
