import { defineConfig } from 'vite';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The phone page's service worker, built after the page (vite.citizen.config.ts)
// into the same dist-citizen/ as one classic script, sw.js. It is told the
// page's files (to keep them for offline use) and a version made from their
// contents: a new build of the page is a new sw.js, which browsers install.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('dist-citizen');

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full, `${prefix}${name}/`);
    return name === 'sw.js' || name.endsWith('.map') ? [] : [`${prefix}${name}`];
  });
}

const list = files(dist).sort();
const hash = createHash('sha256');
for (const f of list) hash.update(f).update(readFileSync(join(dist, f)));
// index.html is kept as the page every /c/<code> address opens.
const precache = list.map((f) => (f === 'index.html' ? '/c/' : `/c/${f}`));

export default defineConfig({
  clearScreen: false,
  publicDir: false,
  define: {
    __PRECACHE__: JSON.stringify(precache),
    __VERSION__: JSON.stringify(hash.digest('hex').slice(0, 12)),
  },
  build: {
    target: 'es2021',
    outDir: dist,
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: here('src/citizen/sw.ts'),
      formats: ['iife'],
      name: 'checkinCitizenWorker',
      fileName: () => 'sw.js',
    },
  },
});
