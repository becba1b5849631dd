// Officials see and export only inside their area: the picker offers
// nothing else, and the API refuses anything else, in every format.
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('a district official picks only inside its district; other units are refused', async ({ dash, page }) => {
  await dash.login('district');
  await expect(page.getByTestId('user-area')).toHaveText('Huyện Quan Sơn');
  await expect(page.getByTestId('user-role')).toHaveText(dash.t('role.viewer'));
  await dash.report();
  await expect(page.getByTestId('report')).toHaveAttribute('data-unit', '387');
  const picker = page.getByTestId('unit-picker');
  await picker.click();
  const options = page.locator('#unit-list [role=option]');
  await expect(options).toHaveCount(4);
  const codes = await options.evaluateAll((els) => els.map((e) => e.id.replace('unit-opt-', '')));
  expect(codes.sort()).toEqual(['14995', '14998', '15004', '387']);
  await expect(page.locator('#unit-list')).not.toContainText('Quan Hóa');
  await dash.shot('unit-picker', false);
  await picker.fill('quan hoa');
  await expect(page.locator('#unit-list [role=option]')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // The API answers 403 outside the area, for every report and format.
  for (const path of [
    'reports/qr-points?unit=388',
    'reports/qr-points?unit=38',
    'reports/qr-points?unit=388&format=csv',
    'reports/silent-points?unit=15001&format=xlsx',
    'reports/e-vs-paper?unit=15001&from=2021-08-01&to=2021-08-31',
    'reports/coverage?unit=388',
    'reports/coverage?unit=38&format=xlsx',
    'reports/reconciliation?unit=15001&format=csv',
    'reports/roster?unit=388&from=2021-08-01&to=2021-08-31&format=xlsx',
  ]) {
    const r = await page.request.get(`${dash.api}/${path}`);
    expect(r.status(), path).toBe(403);
    expect((await r.json()).error, path).toBe('outside_area');
  }
  const areas = await (await page.request.get(`${dash.api}/areas`)).json();
  expect(areas.area.code).toBe('387');
  expect(areas.units.map((u: { code: string }) => u.code).sort()).toEqual(['14995', '14998', '15004', '387']);

  // A link to another district shows why nothing is there and what to do.
  await page.goto(`${dash.url}#/qr-points?unit=388`);
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-code', 'outside_area');
  await expect(error).toContainText(dash.t('err.outside_area'));
  await dash.shot('error-outside-area', false);
  // Picking a unit of the area recovers.
  await dash.pickUnit('trung xuan', '14995');
  await page.locator('.tab[data-route=silent-points]').click();
  await expect(page.getByTestId('report')).toHaveAttribute('data-unit', '14995');
});

test('a commune official: qr-points says which reports to read; the others show the commune', async ({ dash, page }) => {
  await dash.login('commune');
  await expect(page.getByTestId('commune-notice')).toContainText(dash.t('qr.commune'));
  await expect(page.getByTestId('commune-notice')).toContainText(dash.t('qr.otherReports'));
  await dash.shot('qr-points-commune', false);
  await page.locator('.tab[data-route=e-vs-paper]').click();
  await dash.report();
  await expect(page.getByTestId('evp-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('evp-table')).toContainText('Chợ Trung Xuân');
  const r = await page.request.get(`${dash.api}/reports/e-vs-paper?unit=14998&from=2021-08-01&to=2021-08-31`);
  expect(r.status()).toBe(403);
});

test('a district official’s declaration reports and their downloads hold only the district', async ({ dash, page }) => {
  await dash.login('district', '#/coverage');
  const outside = /Quan Hóa|Phú Nghiêm|Hồi Xuân/;
  for (const [route, table] of [
    ['coverage', 'cov-table'],
    ['reconciliation', 'recon-table'],
    ['roster', 'roster-table'],
  ] as const) {
    await page.locator(`.tab[data-route=${route}]`).click();
    await expect(page.getByTestId('report')).toHaveAttribute('data-unit', '387');
    await expect(page.getByTestId(table).locator('tbody tr').first()).toBeVisible();
    await expect(page.getByTestId(table)).not.toContainText(outside);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text, route).toContain('Xã Trung Xuân');
    expect(text, route).not.toMatch(outside);
  }
  // The answers themselves, not only what the page shows.
  for (const path of ['coverage', 'reconciliation', `roster?from=${dash.facts.days.sixDaysAgo}&to=${dash.facts.days.today}`]) {
    const r = await page.request.get(`${dash.api}/reports/${path}`);
    expect(r.status(), path).toBe(200);
    expect(JSON.stringify(await r.json()), path).not.toMatch(outside);
  }
});
