// Test fixtures: `dash` opens the dashboard served by the real server (global
// setup) in the project's language, logs in as a seeded account, reads the
// page's text tables and saves screenshots to $UI_DASHBOARD_SHOTS_DIR or
// ui/test-output/dashboard-screenshots/<project>/.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi as viMessages } from '../src/dashboard/i18n/vi';
import { en as enMessages } from '../src/dashboard/i18n/en';
import type { Messages } from '../src/dashboard/i18n/messages';
import type { MessageKey } from '../src/dashboard/i18n/vi';
import { PASSWORD, USERS } from './seed';

export type Lang = 'vi' | 'en';

export interface Options {
  lang: Lang;
}

export const SHOTS_DIR =
  process.env.UI_DASHBOARD_SHOTS_DIR ?? fileURLToPath(new URL('../test-output/dashboard-screenshots', import.meta.url));

export interface Facts {
  venueIds: Record<string, string>;
  days: { today: string; week: string; lastWeek: string; lastWeekMonday: string; weekAgo: string; sixDaysAgo: string };
}

export class Dash {
  readonly page: Page;
  readonly lang: Lang;
  readonly m: Messages;
  readonly project: string;
  readonly url: string;
  readonly api: string;
  readonly facts: Facts;
  readonly errors: string[] = [];

  constructor(page: Page, lang: Lang, project: string) {
    this.page = page;
    this.lang = lang;
    this.m = lang === 'vi' ? viMessages : enMessages;
    this.project = project;
    const url = process.env.CHECKIN_DASHBOARD_URL;
    if (!url) throw new Error('CHECKIN_DASHBOARD_URL not set (global setup)');
    this.url = url;
    this.api = `${process.env.CHECKIN_SERVER_URL}/api/v1/dashboard`;
    this.facts = JSON.parse(process.env.CHECKIN_DASHBOARD_FACTS ?? '{}') as Facts;
    page.on('pageerror', (e) => this.errors.push(e.message));
    page.on('console', (m) => {
      // A 401/403/400 the page asked for on purpose is logged by Chromium as a failed resource.
      if (m.type() === 'error' && !/status of 40[0-9]|status of 429/.test(m.text())) this.errors.push(m.text());
    });
  }

  /** A message in the test's language. */
  t(key: MessageKey, args?: unknown): string {
    const v = this.m[key] as string | ((a: unknown) => string);
    return typeof v === 'function' ? v(args) : v;
  }

  /** "1.234" in Vietnamese, "1,234" in English. */
  n(x: number): string {
    return new Intl.NumberFormat(this.lang === 'vi' ? 'vi-VN' : 'en-GB').format(x);
  }

  /** Opens the dashboard at `hash` (e.g. "#/silent-points?week=2021-W32") in the test's language. */
  async open(hash = ''): Promise<void> {
    await this.page.addInitScript((l) => {
      if (!localStorage.getItem('checkin.dashboard.language')) localStorage.setItem('checkin.dashboard.language', l);
    }, this.lang);
    await this.page.goto(`${this.url}${hash}`);
    await expect(this.page.getByTestId('booting')).toHaveCount(0);
  }

  /** Opens the dashboard and logs in as a seeded account; waits for the reports. */
  async login(who: keyof typeof USERS, hash = ''): Promise<void> {
    await this.open(hash);
    await this.page.getByLabel(this.t('login.login'), { exact: true }).fill(USERS[who].login);
    await this.page.getByLabel(this.t('login.password'), { exact: true }).fill(PASSWORD);
    await this.page.getByTestId('login-submit').click();
    await expect(this.page.locator('.dash')).toHaveAttribute('data-lang', this.lang);
    await expect(this.page.getByTestId('user-login')).toHaveText(USERS[who].login);
  }

  /** POSTs JSON to the dashboard API with this page's session and its CSRF token. */
  async post(path: string, body: unknown) {
    const me = await this.page.request.get(`${this.api}/me`);
    const csrf = me.ok() ? ((await me.json()) as { csrf: string }).csrf : '';
    return this.page.request.post(`${this.api}/${path}`, { data: body, headers: { 'x-csrf-token': csrf } });
  }

  /** Waits until the report is shown (not loading) and returns its body. */
  async report() {
    const body = this.page.getByTestId('report');
    await expect(body).toBeVisible();
    return body;
  }

  /** Picks `name` in the unit combobox (typed without diacritics, as people do). */
  async pickUnit(typed: string, code: string): Promise<void> {
    const box = this.page.getByTestId('unit-picker');
    await box.click();
    await box.fill(typed);
    await this.page.locator(`#unit-opt-${code}`).click();
    await expect(box).toHaveAttribute('data-value', code);
  }

  /** Saves a screenshot as <dir>/<project>/<name>.png. */
  async shot(name: string, fullPage = true): Promise<void> {
    if (process.env.UI_NO_SHOTS) return;
    const dir = join(SHOTS_DIR, this.project);
    mkdirSync(dir, { recursive: true });
    const style = fullPage ? await this.page.addStyleTag({ content: '.topbar{position:static!important}' }) : null;
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await this.page.screenshot({ path: join(dir, `${name}.png`), fullPage, animations: 'disabled' });
    await style?.evaluate((el) => (el as Element).remove());
  }

  /** Nothing spills sideways and every control is big enough to touch. */
  async expectFits(): Promise<void> {
    const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page wider than the window').toBeLessThanOrEqual(0);
    const small = await this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, a.btn, input:not([type=radio]), select, .tab, .segment')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 44),
    );
    expect(small, 'controls under 44 px').toEqual([]);
  }
}

export const test = base.extend<Options & { dash: Dash }>({
  lang: ['vi', { option: true }],
  dash: async ({ page, lang }, use, info) => {
    const dash = new Dash(page, lang, info.project.name);
    await use(dash);
    expect(dash.errors, 'page errors').toEqual([]);
  },
});

export { expect };
