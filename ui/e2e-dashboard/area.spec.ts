// Officials see and export only inside their area: the picker offers
// nothing else, and the API refuses anything else, in every format.
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
