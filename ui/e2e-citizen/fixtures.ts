// Test fixtures: `phone` opens a venue's poster link on the real server in the
// project's language, fills the declaration, reads what the server stored
// (`checkin-server report stats`), and saves screenshots to
// $UI_CITIZEN_SHOTS_DIR or ui/test-output/citizen-screenshots/<project>/.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi as viMessages } from '../src/shared/i18n/vi';
import { en as enMessages } from '../src/shared/i18n/en';
import type { MessageKey, Messages } from '../src/shared/i18n';
import { SERVER, run } from '../e2e-dashboard/server';

export type Lang = 'vi' | 'en';

export interface Options {
  lang: Lang;
}

export const SHOTS_DIR = process.env.UI_CITIZEN_SHOTS_DIR ?? fileURLToPath(new URL('../test-output/citizen-screenshots', import.meta.url));

export interface Stats {
  checkins: number;
  declarations: number;
}

export class Phone {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly lang: Lang;
  readonly m: Messages;
  readonly project: string;
  readonly server: string;
  readonly links: { market: string; clinic: string; post: string };
  readonly venues: { market: string; clinic: string; post: string };
  readonly errors: string[] = [];
  /** The phone's date in Vietnam ("YYYY-MM-DD"); its clock starts at 10:00 that day. */
  readonly today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

  constructor(page: Page, context: BrowserContext, lang: Lang, project: string) {
    this.page = page;
    this.context = context;
    this.lang = lang;
    this.m = lang === 'vi' ? viMessages : enMessages;
    this.project = project;
    this.server = process.env.CHECKIN_SERVER_URL ?? '';
    this.links = JSON.parse(process.env.CHECKIN_CITIZEN_LINKS ?? '{}') as Phone['links'];
    this.venues = JSON.parse(process.env.CHECKIN_CITIZEN_VENUES ?? '{}') as Phone['venues'];
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  t(key: MessageKey, args?: unknown): string {
    const v = this.m[key] as string | ((a: unknown) => string);
    return typeof v === 'function' ? v(args) : v;
  }

  /** Opens a link and switches to the project's language (the page starts in Vietnamese). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('lang-switch')).toBeVisible();
    await this.useLanguage();
  }

  async useLanguage(): Promise<void> {
    const button = this.page.locator(`[data-lang=${this.lang}]`);
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.tap();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  /** Waits until the service worker controls the page (it then opens offline). */
  async workerInCharge(): Promise<void> {
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }

  private async pickUnit(id: string, text: string): Promise<void> {
    const input = this.page.locator(`#${id}`);
    await input.tap();
    await input.fill(text);
    await expect(this.page.locator(`#${id}-list [role=option]`).first()).toBeVisible();
    await input.press('Enter');
  }

  /** Fills a valid declaration (no symptoms, no contact). */
  async fillDeclaration(name: string, idNumber: string): Promise<void> {
    const p = this.page;
    await p.locator('#c-name').fill(name);
    await p.locator('#c-id').fill(idNumber);
    await p.locator('#c-birth').fill('1990');
    await p.locator('[data-field=gender] .choice').nth(1).tap();
    await p.locator('#c-phone').fill('0912 345 678');
    await this.pickUnit('c-addr-province', 'thanh hoa');
    await this.pickUnit('c-addr-district', 'quan son');
    await this.pickUnit('c-addr-commune', 'trung xuan');
    await expect(p.getByTestId('unit-commune')).toHaveAttribute('data-value', '14995');
    for (const x of ['confirmed_or_suspected_case', 'person_from_affected_area', 'person_with_symptoms'])
      await p.locator(`[data-field="exposures.${x}"] input[value=no]`).check();
    await p.locator('#c-consent').check();
  }

  /** What the server holds now. */
  stats(): Stats {
    const out = run(SERVER, ['report', 'stats', '--database', process.env.CHECKIN_SERVER_DB ?? '']);
    const all = JSON.parse(out) as Stats;
    return { checkins: all.checkins, declarations: all.declarations };
  }

  /**
   * A venue's row of today's e-vs-paper report, as officials read it
   * (`checkin-server report e-vs-paper`): its visits, electronic and on paper.
   */
  visitsReported(venueId: string, commune: string): { total: number; electronic: number; paper: number } {
    const out = run(SERVER, ['report', 'e-vs-paper', '--unit', commune, '--from', this.today, '--to', this.today, '--database', process.env.CHECKIN_SERVER_DB ?? '']);
    const report = JSON.parse(out) as { rows: { venue_id: string; total: number; electronic: number; paper: number }[] };
    const row = report.rows.find((r) => r.venue_id === venueId);
    return { total: row?.total ?? 0, electronic: row?.electronic ?? 0, paper: row?.paper ?? 0 };
  }

  async shot(name: string): Promise<void> {
    const dir = join(SHOTS_DIR, this.project);
    mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }
}

export const test = base.extend<Options & { phone: Phone }>({
  lang: ['vi', { option: true }],
  phone: async ({ page, context, lang }, use, info) => {
    const phone = new Phone(page, context, lang, info.project.name);
    // A test never crosses midnight on the phone: its clock starts at 10:00
    // and runs on (the server accepts times up to 7 days ahead).
    await page.clock.install({ time: new Date(`${phone.today}T10:00:00+07:00`) });
    await use(phone);
    expect(phone.errors, 'no script errors on the page').toEqual([]);
  },
});

export { expect };
