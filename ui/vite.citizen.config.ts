import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The citizen's phone page: a third build, of src/citizen/ into dist-citizen/,
// served by `checkin-server serve --citizen-dir ui/dist-citizen` at /c/ (every
// venue link /c/<code> gets index.html). Absolute base: the page's address
// ends with the venue's code, so relative asset paths would not resolve.
// The service worker is built after this by vite.citizen-sw.config.ts.
// `npm run dev:citizen` serves it on :5175 and sends /api to a server on
// CHECKIN_SERVER (default http://127.0.0.1:8080).
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('src/citizen'),
  base: '/c/',
  clearScreen: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2021',
    outDir: here('dist-citizen'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5175,
    proxy: { '/api': process.env.CHECKIN_SERVER ?? 'http://127.0.0.1:8080' },
  },
});
