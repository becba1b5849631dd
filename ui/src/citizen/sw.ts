/// <reference lib="webworker" />
// The phone page's service worker (served at /c/sw.js, scope /c/).
// - Keeps the page itself (HTML, script, style, icon) so it opens with no
//   link at all, from the cache first: on a slow link that is also the fast
//   path. A new build changes this file (its list of files), which makes the
//   browser install the new worker; old caches go when it takes over.
// - Keeps the address lists the form last fetched, for filling the form in
//   offline (network first, then the copy).
// - Sends queued check-ins when Background Sync wakes it (the page may be
//   closed), and tells open pages.
// Workbox would do the caching too, but would cost more bytes than this page.
import { openCitizenDb } from './db';
import { SYNC_TAG, flushOutbox } from './outbox';

declare const self: ServiceWorkerGlobalScope;
/** Filled in by the build (vite.citizen.config.ts): the page's files. */
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

const SHELL = `checkin-citizen-${__VERSION__}`;
const UNITS = 'checkin-citizen-units';
const PAGE = '/c/';

self.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(__PRECACHE__))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('checkin-citizen-') && k !== SHELL && k !== UNITS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function fromShell(req: Request, key: string | Request): Promise<Response> {
  const hit = await caches.match(key, { cacheName: SHELL });
  return hit ?? fetch(req);
}

async function networkFirst(req: Request): Promise<Response> {
  const cache = await caches.open(UNITS);
  try {
    const r = await fetch(req);
    if (r.ok) await cache.put(req, r.clone());
    return r;
  } catch (e) {
    const hit = await cache.match(req);
    if (hit) return hit;
    throw e;
  }
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && url.pathname.startsWith('/c/')) {
    // Every venue's link opens the same page; it reads the code from the address.
    e.respondWith(fromShell(req, PAGE));
  } else if (__PRECACHE__.includes(url.pathname)) {
    e.respondWith(fromShell(req, req));
  } else if (url.pathname === '/api/v1/public/units') {
    e.respondWith(networkFirst(req));
  }
});

async function sendQueue(): Promise<void> {
  const db = await openCitizenDb();
  try {
    const r = await flushOutbox(db);
    const pages = await self.clients.matchAll({ type: 'window' });
    for (const p of pages) p.postMessage({ type: 'outbox' });
    // Rejecting tells the browser to try this sync again later.
    if (r.stopped && r.left > 0) throw r.stopped;
  } finally {
    db.close();
  }
}

self.addEventListener('sync', (e: Event) => {
  const ev = e as ExtendableEvent & { tag: string };
  if (ev.tag === SYNC_TAG) ev.waitUntil(sendQueue());
});
