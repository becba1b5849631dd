// Measures the phone page (see run.sh) and writes its section of
// docs/benchmarks.md. Usage: SERVER=…/checkin-server node bench.mjs ROOT
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const ROOT = process.argv[2];
const require = createRequire(join(ROOT, 'ui', 'package.json'));
const { chromium } = require('@playwright/test');
const SERVER = process.env.SERVER;
const RUNS = Number(process.env.RUNS ?? 7);
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function run(args) {
  const r = spawnSync(SERVER, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`checkin-server ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function startServer(db, dist) {
  const child = spawn(SERVER, ['serve', '--listen', '127.0.0.1:0', '--database', db, '--citizen-dir', dist], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  const url = await new Promise((ok, fail) => {
    let out = '';
    child.on('exit', (c) => fail(new Error(`server exited ${c}`)));
    child.stdout.setEncoding('utf8').on('data', (s) => {
      out += s;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1].replace(/\/$/, ''));
    });
  });
  return { child, url };
}

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

async function pick(page, id, text) {
  const input = page.locator(`#${id}`);
  await input.tap();
  await input.fill(text);
  await page.locator(`#${id}-list [role=option]`).first().waitFor();
  await input.press('Enter');
}

async function fill(page, i) {
  await page.locator('#c-name').fill(`Người đo ${i}`);
  await page.locator('#c-birth').fill('1990');
  await page.locator('[data-field=gender] .choice').nth(1).tap();
  await page.locator('#c-phone').fill(`09123${String(10000 + i).slice(-5)}`);
  await pick(page, 'c-addr-province', 'thanh hoa');
  await pick(page, 'c-addr-district', 'quan son');
  await pick(page, 'c-addr-commune', 'trung xuan');
  for (const x of ['confirmed_or_suspected_case', 'person_from_affected_area', 'person_with_symptoms'])
    await page.locator(`[data-field="exposures.${x}"] input[value=no]`).check();
  await page.locator('#c-consent').check();
}

/**
 * A counting proxy in front of the server: every response the phone gets,
 * the page's and its service worker's alike, passes through it, so the bytes
 * are what went over the wire (bodies as the server compressed them, plus
 * status line and headers).
 */
function countingProxy(upstream) {
  const counts = { page: 0, api: 0 };
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      const kind = req.url.startsWith('/api/') ? 'api' : 'page';
      counts[kind] += 12 + r.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0);
      res.writeHead(r.statusCode, r.rawHeaders);
      r.on('data', (chunk) => (counts[kind] += chunk.length));
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}`, counts })),
  );
}

/** One cold phone: bytes until its first check-in is on the server and the service worker has stored the page. */
async function coldBytes(browser, proxy, link, i) {
  proxy.counts.page = 0;
  proxy.counts.api = 0;
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(link);
  await page.locator('#declare-form').waitFor();
  await fill(page, i);
  await page.getByTestId('declare-submit').tap();
  await page.locator('[data-testid=done][data-state=sent]').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const out = { ...proxy.counts };
  await context.close();
  return out;
}

/** Opening a link on slow 3G with nothing cached, until the form shows. */
async function timeToForm(browser, link) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const t0 = performance.now();
  await page.goto(link, { waitUntil: 'commit' });
  await page.locator('#declare-form').waitFor({ timeout: 60_000 });
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

/** Offline check-in, then the link returns: until the server has answered for it. */
async function offlineDelivery(browser, link, i) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(link);
  await page.locator('#declare-form').waitFor();
  await fill(page, 100 + i);
  await page.getByTestId('declare-submit').tap();
  await page.locator('[data-testid=done][data-state=sent]').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.getByTestId('done-ok').tap();
  await page.getByTestId('checkin-in').tap();
  await page.locator('[data-testid=done][data-state=pending]').waitFor();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/public/checkins') && r.ok());
  const t0 = performance.now();
  await context.setOffline(false);
  await answered;
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

function writeSection(md) {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const head = '## Citizen phone page';
  const start = doc.indexOf(head);
  let next = start < 0 ? -1 : doc.indexOf('\n## ', start + head.length);
  const out = start < 0 ? `${doc.trimEnd()}\n\n${md}` : doc.slice(0, start) + md + (next < 0 ? '' : doc.slice(next + 1));
  writeFileSync(file, out.endsWith('\n') ? out : `${out}\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'checkin-citizen-bench-'));
const db = `sqlite://${join(dir, 'server.db')}`;
run(['admin', '--database', db, 'import-units', join(ROOT, 'ui/e2e-dashboard/fixtures/units.json')]);
const venue = run(['admin', '--database', db, 'venue', 'add', '--name', 'Chợ Trung Xuân', '--category', 'market', '--commune', '14995']).split('\n')[0].trim();
const { child, url } = await startServer(db, join(ROOT, 'ui/dist-citizen'));
const proxy = await countingProxy(url);
const link = run(['admin', '--database', db, 'venue', 'url', venue, '--base', proxy.url]).split('\n')[0].trim();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  const b = [];
  const form = [];
  const deliver = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(await coldBytes(browser, proxy, link, i));
    form.push(await timeToForm(browser, link));
    deliver.push(await offlineDelivery(browser, link, i));
  }
  const kb = (n) => (n / 1024).toFixed(1);
  const pageKb = median(b.map((x) => x.page));
  const apiKb = median(b.map((x) => x.api));
  const formMs = median(form);
  const deliverMs = median(deliver);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const md = `## Citizen phone page (issue 10)

\`bash bench/citizen/run.sh\` (RUNS=${RUNS}): the real server (release, SQLite) serving \`ui/dist-citizen\`,
Debian's Chromium with a phone viewport (390×844, touch), a new browser context (cold phone) per run.
Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB. Medians of ${RUNS} runs; goals from the issue.

| Figure | Measured (median) | Range | Goal |
|---|---|---|---|
| Page bytes on the wire before the first check-in (HTML, script, style, icon, manifest, service worker; compressed) | ${kb(pageKb)} KB | ${kb(Math.min(...b.map((x) => x.page)))}–${kb(Math.max(...b.map((x) => x.page)))} KB | ≤ 60 KB |
| API bytes for the same (venue, address lists, the check-in and its pass) | ${kb(apiKb)} KB | ${kb(Math.min(...b.map((x) => x.api)))}–${kb(Math.max(...b.map((x) => x.api)))} KB | (not in the goal) |
| Opening the link to the declaration form, slow 3G (400 kbit/s, 400 ms RTT), nothing cached | ${(formMs / 1000).toFixed(2)} s | ${(Math.min(...form) / 1000).toFixed(2)}–${(Math.max(...form) / 1000).toFixed(2)} s | ≤ 3 s |
| Offline check-in reaching the server after the link returns, page open | ${(deliverMs / 1000).toFixed(2)} s | ${(Math.min(...deliver) / 1000).toFixed(2)}–${(Math.max(...deliver) / 1000).toFixed(2)} s | ≤ 5 s |

Bytes are counted by a proxy between the phone and the server (bodies as the server sent them, gzip
or brotli, plus status lines and headers): every response until the server answered the first
check-in and the service worker had stored the page's files for offline use. The slow-3G time starts when the browser is told to open the link and ends when
the form is on screen; it includes the venue's lookup. The delivery time starts when the emulated link
comes back and ends when the server's answer to the queued check-in arrives.
`;
  writeSection(md);
  console.log(md);
} finally {
  await browser.close();
  proxy.server.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
