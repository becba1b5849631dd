// Test fixtures: `app` opens the station on the fake backend in the project's
// language, drives the fake (scan events, sync steps, failures) and saves
// screenshots to $UI_SHOTS_DIR or ui/test-output/screenshots/<project>/.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi as viMessages } from '../src/shared/i18n/vi';
import { en as enMessages } from '../src/shared/i18n/en';
import type { Messages } from '../src/shared/i18n/messages';
import type { MessageKey } from '../src/shared/i18n/vi';
import type { FakeInit } from '../src/shared/fake-backend';

export type Lang = 'vi' | 'en';

export interface Options {
  lang: Lang;
}

type Init = Omit<FakeInit, 'now'> & { kioskIdle?: { warnMs: number; resetMs: number } };

export const SHOTS_DIR = process.env.UI_SHOTS_DIR ?? fileURLToPath(new URL('../test-output/screenshots', import.meta.url));

/** Sample codes (fictional people, the CCCD layout of testdata/cccd). */
export const CODES = {
  /** Declared today, no symptoms: green. */
  green: '001098012345|012345678|NGUYEN VAN A|15081998|Nam|So 1 Dai Co Viet, Ha Noi|25052021',
  /** Declared today with fever: red. */
  red: '033123009876|0123456789|TRẦN THỊ BÍCH|15081990|Nữ|Hà Nội|15082016',
  /** Never declared: amber. */
  amber: '012345678912|123456789|LE VAN DUNG|01011990|Nam|123 Duong So 1, Quan 3|01012022',
  /** Declared yesterday: amber (not today). */
  yesterday: '001090123456|012345678|NGUYEN VAN A|01011990|Nam|Phuong Ben Nghe, Quan 1|15042021',
  /** In home quarantine: red. */
  quarantined: '001200004321||LE VAN CUONG|01011988|Nam|Phuc Xa, Ba Dinh|01012021',
  venue: 'CKV1:01-00004-K7M2Q9',
  url: 'https://example.com/khai-bao',
  damaged: '001098012345|NGUYEN VAN A|15081998|Nam|Ha Noi',
};

export class App {
  readonly page: Page;
  readonly lang: Lang;
  readonly m: Messages;
  private readonly project: string;

  constructor(page: Page, lang: Lang, project: string) {
    this.page = page;
    this.lang = lang;
    this.m = lang === 'vi' ? viMessages : enMessages;
    this.project = project;
  }

  /** A message in the test's language (plain strings only). */
  t(key: MessageKey, args?: unknown): string {
    const v = this.m[key] as string | ((a: unknown) => string);
    return typeof v === 'function' ? v(args) : v;
  }

  /** Opens the station at `route` on a fake configured by `init`. */
  async open(route: string, init: Init = {}): Promise<void> {
    const url = process.env.CHECKIN_UI_URL;
    if (!url) throw new Error('CHECKIN_UI_URL not set (global setup)');
    const errors: string[] = [];
    this.page.on('pageerror', (e) => errors.push(e.message));
    this.page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    (this as { errors?: string[] }).errors = errors;
    await this.page.addInitScript((i) => {
      (window as unknown as { __CHECKIN_FAKE_INIT__: unknown }).__CHECKIN_FAKE_INIT__ = i;
      // The language the station showed last time (the app remembers it locally).
      if (!localStorage.getItem('checkin.language')) localStorage.setItem('checkin.language', i.language);
    }, { language: this.lang, ...init });
    await this.page.goto(`${url}#/${route}`);
    await expect(this.page.locator('.app')).toHaveAttribute('data-lang', this.lang);
    await expect(this.page.locator('main.screen')).not.toContainText(this.t('app.loading'));
  }

  /** Runs `fn(fake)` in the page. */
  fake<R, A = undefined>(fn: (fake: any, arg: A) => R, arg?: A): Promise<R> {
    return this.page.evaluate(
      ([src, a]) => {
        const f = (window as unknown as { __checkinFake: unknown }).__checkinFake;
        // eslint-disable-next-line no-new-func
        return new Function('fake', 'arg', `return (${src})(fake, arg);`)(f, a);
      },
      [fn.toString(), arg] as const,
    ) as Promise<R>;
  }

  /**
   * A camera scan of `code` pushed by the fake as a station://scan event (in
   * the direction last set by gate_set_direction, unless one is given).
   */
  async scan(code: string, direction?: 'in' | 'out'): Promise<void> {
    await this.fake((f, a: { code: string; direction?: string }) => void f.pushScan(a.code, { direction: a.direction }), { code, direction });
  }

  /**
   * Types `code` + Enter the way a USB wedge scanner does: key events 4 ms
   * apart by their own timestamps (set through CDP, as a keyboard's hardware
   * timestamps would be), whatever the load of the test machine.
   */
  async wedge(code: string, gapMs = 4): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    let ts = Date.now() / 1000;
    for (const ch of [...code, 'Enter']) {
      ts += gapMs / 1000;
      const enter = ch === 'Enter';
      const base = enter
        ? { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }
        : { key: ch, text: ch, unmodifiedText: ch };
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp: ts, ...base });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: ts + 0.001, key: base.key });
    }
    await cdp.detach();
  }

  /** The benchmark hook's latencies (ms from frame to painted verdict). */
  latencies(): Promise<number[]> {
    return this.page.evaluate(() => (window as unknown as { __checkinLatencies?: number[] }).__checkinLatencies ?? []);
  }

  /** Saves a screenshot as <dir>/<project>/<name>.png. */
  async shot(name: string, fullPage = false): Promise<void> {
    if (process.env.UI_NO_SHOTS) return;
    const dir = join(SHOTS_DIR, this.project);
    mkdirSync(dir, { recursive: true });
    // Sticky bars would be painted mid-page in a full-page capture.
    const style = fullPage ? await this.page.addStyleTag({ content: '.topbar,.submit-bar{position:static!important}' }) : null;
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await this.page.screenshot({ path: join(dir, `${name}.png`), fullPage, animations: 'disabled' });
    await style?.evaluate((el) => (el as Element).remove());
  }

  /** No page errors so far (console errors included). */
  expectNoErrors(): void {
    expect((this as { errors?: string[] }).errors ?? []).toEqual([]);
  }
}

export const test = base.extend<Options & { app: App }>({
  lang: ['vi', { option: true }],
  app: async ({ page, lang }, use, info) => {
    const app = new App(page, lang, info.project.name);
    await use(app);
    app.expectNoErrors();
  },
});

export { expect };
