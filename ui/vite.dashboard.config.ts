import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The officials' dashboard: a second build of src/dashboard/ into
// dist-dashboard/ (index.html at its root, relative asset paths), served by
// `checkin-server serve --dashboard-dir ui/dist-dashboard` at /dashboard/.
// `npm run dev:dashboard` serves it on :5174 and sends /api to a server on
// CHECKIN_SERVER (default http://127.0.0.1:8080).
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('src/dashboard'),
  base: './',
  clearScreen: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2021',
    outDir: here('dist-dashboard'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5174,
    proxy: { '/api': process.env.CHECKIN_SERVER ?? 'http://127.0.0.1:8080' },
  },
});
