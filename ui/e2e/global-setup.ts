// Serves dist/ on a free port for the whole run; workers read the URL from
// the environment (they start after global setup).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // CHECKIN_UI_DIST: test another build (e.g. one made with --outDir while ui/dist is in use).
  const dist = process.env.CHECKIN_UI_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` (npm run test:browser does)');
  const { server, url } = await serveStatic(dist);
  process.env.CHECKIN_UI_URL = url;
  return () => new Promise<void>((ok) => server.close(() => ok()));
}
