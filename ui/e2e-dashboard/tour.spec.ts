// Every page at the project's size and language, for a viewer and for a
// tracer: nothing spills sideways, every control is big enough to touch,
// headings and labels are in place, and a screenshot for people to look at.
import { test, expect } from './fixtures';

/** What shows that a page is ready. */
const READY: Record<string, string> = {
  'qr-points': 'report',
  'silent-points': 'report',
  'e-vs-paper': 'report',
  coverage: 'report',
  reconciliation: 'report',
  roster: 'report',
  weekly: 'weekly-doc',
  trace: 'trace-form',
  audit: 'audit-intro',
};

for (const [who, pages] of [
  ['province', ['qr-points', 'silent-points', 'e-vs-paper', 'coverage', 'reconciliation', 'roster', 'weekly']],
  ['tracer', ['qr-points', 'silent-points', 'e-vs-paper', 'coverage', 'reconciliation', 'roster', 'weekly', 'trace', 'audit']],
] as const) {
  test(`tour: every page the ${who} sees fits and is labelled`, async ({ dash, page }) => {
    await dash.login(who);
    await expect(page.locator('.tabs .tab')).toHaveCount(pages.length);
    for (const r of pages) {
      await page.locator(`.tab[data-route=${r}]`).click();
      await expect(page.locator(`.tab[data-route=${r}]`)).toHaveAttribute('aria-current', 'page');
      await expect(page.getByTestId(READY[r])).toBeVisible();
      // Moving to another page puts the focus on its heading (screen readers announce it).
      if (r !== 'qr-points') await expect(page.locator('#report-title')).toBeFocused();
      await expect(page).toHaveTitle(`${dash.t(`nav.${r}`)} — ${dash.t('app.name')}`);
      if (READY[r] === 'report' || r === 'weekly') await expect(page.getByTestId('unit-picker')).toHaveAccessibleName(dash.t('unit.label'));
      await dash.expectFits();
      await dash.shot(who === 'province' ? `tour-${r}` : `tour-${who}-${r}`, false);
    }
    await dash.expectFits();
  });
}

test('tour: the loading state, then the report', async ({ dash, page }) => {
  await dash.login('province');
  await dash.report();
  // Hold the next report answer until the loading state has been seen.
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/v1/dashboard/reports/silent-points*', async (route) => {
    await held;
    await route.continue();
  });
  await page.locator('.tab[data-route=silent-points]').click();
  await expect(page.getByTestId('loading')).toHaveText(dash.t('common.loadingReport'));
  await dash.shot('loading', false);
  release();
  await dash.report();
  await expect(page.getByTestId('loading')).toHaveCount(0);
});

test('tour: the login page fits', async ({ dash }) => {
  await dash.open();
  await dash.expectFits();
});
