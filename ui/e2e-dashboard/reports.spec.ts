// Each report as an official reads it, with the figures the setup seeded
// through the station CLI and the real server.
import { readFileSync } from 'node:fs';
import { addDays, formatIsoDate } from '../src/shared/format';
import { test, expect } from './fixtures';
import { EXPECT } from './seed';
import { readSheet } from './xlsx';

test('qr-points: the province sees its districts, the lagging one marked and named', async ({ dash, page }) => {
  await dash.login('province');
  const body = await dash.report();
  await expect(body).toHaveAttribute('data-unit', '38');
  const table = page.getByTestId('qr-table');
  await expect(table.locator('thead')).toContainText(dash.t('common.district'));
  await expect(table.locator('thead')).toContainText(dash.t('qr.venues'));
  for (const r of EXPECT.province38.rows) {
    const row = table.locator(`tr[data-code="${r.code}"]`);
    await expect(row.locator('th')).toHaveText(r.name);
    await expect(row.locator('[data-col=venues]')).toHaveText(dash.n(r.venues));
    await expect(row.locator('[data-col=scans]')).toHaveText(dash.n(r.scans));
    await expect(row).toHaveAttribute('data-low', String(r.low));
  }
  await expect(table.locator('tr[data-low=true]')).toContainText(dash.t('qr.low'));
  await expect(page.getByTestId('total-row')).toContainText(dash.n(EXPECT.province38.total.scans));
  await expect(page.getByTestId('total-scans-value')).toHaveText(dash.n(15));
  await expect(page.getByTestId('leaders')).toContainText('Huyện Quan Sơn');
  await expect(page.getByTestId('laggards')).toContainText('Huyện Quan Hóa');
  await expect(page.getByTestId('low-rule')).toContainText(dash.t('qr.ruleText'));
  // The chart: a bar per district, the low one in the low colour.
  const chart = page.getByTestId('qr-chart');
  await expect(chart.locator('.bar-row')).toHaveCount(2);
  await expect(chart.locator('.bar-row[data-key="388"] rect')).toHaveClass(/tone-low/);
  await expect(chart.locator('.bar-row[data-key="387"] .bar-value')).toHaveText('11');
  await dash.shot('qr-points-province');
  await page.getByTestId('chart-metric').getByText(dash.t('qr.chartPerPoint')).click();
  await expect(chart.locator('figcaption')).toHaveText(dash.t('qr.chartTitle.perPoint', { unit: 'Tỉnh Thanh Hóa' }));
  await expect(chart.locator('.bar-row[data-key="388"] .bar-value')).toHaveText('2');
});

test('qr-points: a district by commune, and the change since another date', async ({ dash, page }) => {
  await dash.login('province');
  await dash.report();
  await dash.pickUnit('quan son', '387');
  await expect(page.getByTestId('report')).toHaveAttribute('data-unit', '387');
  const table = page.getByTestId('qr-table');
  await expect(table.locator('thead')).toContainText(dash.t('common.commune'));
  for (const r of EXPECT.district387.rows) {
    const row = table.locator(`tr[data-code="${r.code}"]`);
    await expect(row.locator('th')).toHaveText(r.name);
    await expect(row.locator('[data-col=venues]')).toHaveText(dash.n(r.venues));
    await expect(row.locator('[data-col=scans]')).toHaveText(dash.n(r.scans));
    await expect(row.locator('[data-col=venues_change]')).toHaveText(r.venuesChange ? `+${r.venuesChange}` : '0');
    await expect(row.locator('[data-col=scans_change]')).toHaveText(r.scansChange ? `+${r.scansChange}` : '0');
    await expect(row).toHaveAttribute('data-low', String(r.low));
  }
  for (const name of EXPECT.district387.laggards) await expect(page.getByTestId('laggards')).toContainText(name);
  await expect(page.getByTestId('leaders')).toContainText(EXPECT.district387.leaders[0]);
  await dash.shot('qr-points-district');

  // A compare date before last week's visits: every scan is new since then.
  const before = addDays(dash.facts.days.lastWeekMonday, -1);
  await page.locator('#compare').fill(formatIsoDate(before));
  await page.getByTestId('show').click();
  await expect(page).toHaveURL(new RegExp(`compare=${before}`));
  await expect(table.locator('tr[data-code="14995"] [data-col=scans_change]')).toHaveText('+11');
  await expect(table).toContainText(formatIsoDate(before));

  // Dates the wrong way round, or no date at all, are refused before asking.
  await page.locator('#compare').fill(formatIsoDate(addDays(dash.facts.days.today, 1)));
  await page.getByTestId('show').click();
  await expect(page.locator('[data-field=compare] [data-testid=field-error]')).toHaveText(
    dash.t('err.dateOrder', { from: dash.t('qr.compare'), to: dash.t('qr.asOf') }),
  );
  await page.locator('#as_of').fill('31/02/2021');
  await page.getByTestId('show').click();
  await expect(page.locator('[data-field=as_of] [data-testid=field-error]')).toHaveText(dash.t('err.dateFormat'));
  await dash.shot('qr-points-bad-dates', false);
});

test('qr-points: no QR point yet on an early date says so', async ({ dash, page }) => {
  const early = addDays(dash.facts.days.today, -400);
  await dash.login('province', `#/qr-points?unit=387&as_of=${early}&compare=${addDays(early, -7)}`);
  await dash.report();
  await expect(page.getByTestId('empty')).toHaveText(dash.t('qr.empty', { unit: 'Huyện Quan Sơn' }));
  await expect(page.getByTestId('qr-chart')).toHaveCount(0);
  await dash.shot('qr-points-empty');
});

test('silent-points: last week by default; this week lists points that scanned nothing and points that sent nothing', async ({ dash, page }) => {
  await dash.login('district', '#/silent-points');
  await dash.report();
  await expect(page.getByTestId('week')).toHaveValue(dash.facts.days.lastWeek);
  await expect(page.getByTestId('report')).toHaveAttribute('data-week', dash.facts.days.lastWeek);
  await expect(page.getByTestId('scans-this-value')).toHaveText(dash.n(EXPECT.silent387.previousWeek));

  await page.getByTestId('week').selectOption(dash.facts.days.week);
  await expect(page.getByTestId('report')).toHaveAttribute('data-week', dash.facts.days.week);
  await expect(page.getByTestId('week-next')).toBeDisabled();
  const zero = page.getByTestId('reported-zero');
  const none = page.getByTestId('sent-no-data');
  await expect(zero.locator('tbody tr')).toHaveCount(EXPECT.silent387.reportedZero.length);
  await expect(zero.locator('tbody tr').first()).toContainText('Trường THCS Sơn Lư');
  await expect(zero.locator('tbody tr').first()).toContainText('Thị trấn Sơn Lư');
  await expect(zero.locator('tbody tr').first()).toContainText(dash.facts.venueIds.truong);
  await expect(none.locator('tbody tr')).toHaveCount(EXPECT.silent387.sentNoData.length);
  for (const name of EXPECT.silent387.sentNoData) await expect(none).toContainText(name);
  await expect(none.locator('tbody')).toContainText('Xã Sơn Hà');
  await expect(page.getByTestId('scans-this-value')).toHaveText(dash.n(EXPECT.silent387.thisWeek));
  await expect(page.getByTestId('scans-prev-value')).toHaveText(dash.n(EXPECT.silent387.previousWeek));
  await expect(page.getByTestId('scans-this')).toContainText(`+${EXPECT.silent387.thisWeek - EXPECT.silent387.previousWeek}`);
  await expect(page.getByTestId('weeks-chart').locator('.bar-row')).toHaveCount(2);
  await dash.shot('silent-points');

  await page.getByTestId('week-prev').click();
  await expect(page.getByTestId('report')).toHaveAttribute('data-week', dash.facts.days.lastWeek);
});

test('silent-points: a week before any QR point says so', async ({ dash, page }) => {
  await dash.login('district', '#/silent-points?week=2020-W10');
  await dash.report();
  await expect(page.getByTestId('empty')).toHaveText(dash.t('silent.empty', { unit: 'Huyện Quan Sơn' }));
  await dash.shot('silent-points-empty', false);
});

test('e-vs-paper: visits per venue, electronic and paper, with totals and charts', async ({ dash, page }) => {
  await dash.login('province', '#/e-vs-paper');
  await dash.report();
  await expect(page.locator('#from')).toHaveValue(formatIsoDate(dash.facts.days.sixDaysAgo));
  await expect(page.locator('#to')).toHaveValue(formatIsoDate(dash.facts.days.today));
  const table = page.getByTestId('evp-table');
  for (const [name, r] of Object.entries(EXPECT.evp38.rows)) {
    const row = table.locator('tbody tr', { has: page.locator('th', { hasText: name }) });
    await expect(row.locator('[data-col=total]')).toHaveText(dash.n(r.total));
    await expect(row.locator('[data-col=electronic]')).toHaveText(dash.n(r.electronic));
    await expect(row.locator('[data-col=paper]')).toHaveText(dash.n(r.paper));
  }
  await expect(table.locator('tbody tr', { hasText: 'Chợ Trung Xuân' })).toContainText('Xã Trung Xuân');
  await expect(page.getByTestId('evp-total-value')).toHaveText(dash.n(EXPECT.evp38.total.total));
  await expect(page.getByTestId('evp-electronic-value')).toHaveText(dash.n(EXPECT.evp38.total.electronic));
  await expect(page.getByTestId('evp-paper-value')).toHaveText(dash.n(EXPECT.evp38.total.paper));
  await expect(page.getByTestId('share-chart')).toContainText(dash.lang === 'vi' ? '81,8%' : '81.8%');
  const venues = page.getByTestId('venues-chart');
  await expect(venues.locator('.bar-row')).toHaveCount(2);
  await expect(venues.locator('.bar-row').first().locator('rect')).toHaveCount(2);
  await dash.shot('e-vs-paper');

  // A range without visits.
  const from = addDays(dash.facts.days.today, -300);
  await page.locator('#from').fill(formatIsoDate(from));
  await page.locator('#to').fill(formatIsoDate(addDays(from, 6)));
  await page.getByTestId('show').click();
  await expect(page.getByTestId('empty')).toHaveText(
    dash.t('evp.noVisits', { from: formatIsoDate(from), to: formatIsoDate(addDays(from, 6)) }),
  );
  await dash.shot('e-vs-paper-empty', false);
});

test('downloads: CSV with the officials’ column titles, XLSX with the figures', async ({ dash, page }) => {
  await dash.login('district');
  await dash.report();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^qr-points-387-.*\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).split('\r\n');
  expect(lines[0]).toBe('STT,Huyện,Thị trấn/xã,Tổng số địa điểm tạo mã QR,Tổng lượt quét,Tăng/giảm địa điểm,Tăng/giảm lượt quét,Thấp');
  expect(lines).toContain('1,Huyện Quan Sơn,Xã Trung Xuân,1,11,0,8,');
  expect(lines).toContain(',Tổng cộng,,4,11,1,8,');

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^qr-points-387-.*\.xlsx$/);
  const cells = readSheet(readFileSync((await xlsx.path())!));
  expect(String(cells.get('A1'))).toContain('Huyện Quan Sơn');
  expect(cells.get('D2')).toBe('Tổng số địa điểm tạo mã QR');
  expect(cells.get('C3')).toBe('Xã Trung Xuân');
  expect(cells.get('E3')).toBe(11);
  expect(cells.get('H4')).toBe('x');

  // The other reports download too, for what the page shows.
  await page.locator('.tab[data-route=silent-points]').click();
  await dash.report();
  const [silent] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  expect(silent.suggestedFilename()).toContain(dash.facts.days.lastWeek);
  expect(readSheet(readFileSync((await silent.path())!)).get('B2')).toBe('Thị trấn/xã');
  await page.locator('.tab[data-route=e-vs-paper]').click();
  await dash.report();
  const [evp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const evpText = readFileSync((await evp.path())!, 'utf8');
  expect(evpText).toContain('Chợ Trung Xuân');
  expect(evpText).not.toContain('UBND xã Phú Nghiêm');
});
