// The weekly report (Báo cáo tuần) against the real server: the seeded
// figures of this week beside last week's, in the form of an official
// report, per commune, per district or per venue; printed alone on A4.
import { readFileSync } from 'node:fs';
import { formatIsoDate } from '../src/shared/format';
import { parseIsoWeek, weekMonday, weekSunday } from '../src/dashboard/dates';
import { documentDate } from '../src/dashboard/weekly';
import { test, expect } from './fixtures';
import { WEEKLY } from './seed';
import { readSheet } from './xlsx';

test('weekly report: a district’s week with the seeded figures, against the week before, printable', async ({ dash, page }) => {
  const { week, lastWeek, today } = dash.facts.days;
  await dash.login('district', `#/weekly?unit=387&week=${week}`);
  await expect(page.locator('.tab[data-route=weekly]')).toHaveAttribute('aria-current', 'page');
  const doc = page.getByTestId('weekly-doc');
  await expect(doc).toHaveAttribute('data-week', week);
  await expect(doc).toHaveAttribute('data-unit', '387');
  // The header of an official report.
  await expect(doc.getByTestId('doc-nation')).toHaveText(dash.t('doc.nation'));
  await expect(doc.getByTestId('doc-motto')).toHaveText(dash.t('doc.motto'));
  if (dash.lang === 'vi') {
    await expect(doc.getByTestId('doc-nation')).toHaveText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    await expect(doc.getByTestId('doc-motto')).toHaveText('Độc lập - Tự do - Hạnh phúc');
  }
  await expect(doc.getByTestId('doc-agency')).toHaveText('HUYỆN QUAN SƠN');
  await expect(doc.getByTestId('doc-place-date')).toHaveText(`Quan Sơn, ${documentDate(today, dash.lang)}`);
  const w = parseIsoWeek(week)!;
  await expect(doc.getByTestId('doc-title')).toHaveText(`${dash.t('doc.kind')}${dash.t('doc.subject', { week: w.week, year: w.year })}`);
  await expect(doc).toContainText(dash.t('doc.period', { from: formatIsoDate(weekMonday(week)), to: formatIsoDate(weekSunday(week)) }));
  // This week is not over: said on the page and in the document.
  await expect(page.getByTestId('unfinished')).toBeVisible();
  await expect(doc.getByTestId('doc-up-to')).toHaveText(dash.t('doc.upTo', { date: formatIsoDate(today) }));

  // I. The overview, this week against the week before.
  const e = WEEKLY.district387;
  const overview = doc.getByTestId('weekly-overview');
  const cell = (row: string, col: string) => overview.locator(`tr[data-row=${row}] [data-col=${col}]`);
  await expect(cell('venues', 'this')).toHaveText(dash.n(e.venues));
  for (const [row, v] of [['scans', e.scans], ['cumulative', e.cumulative], ['visits', e.visits], ['electronic', e.electronic], ['paper', e.paper]] as const) {
    await expect(cell(row, 'this'), row).toHaveText(dash.n(v.this));
    await expect(cell(row, 'prev'), row).toHaveText(dash.n(v.prev));
    await expect(cell(row, 'change'), row).toHaveText(`+${v.this - v.prev}`);
  }
  await expect(cell('share', 'this')).toHaveText(dash.lang === 'vi' ? '71,4%' : '71.4%');
  await expect(cell('share', 'prev')).toHaveText('100%');
  await expect(cell('share', 'change')).toHaveText(dash.t('doc.points', { n: dash.lang === 'vi' ? '\u221228,6' : '\u221228.6' }));
  await expect(cell('silent', 'this')).toHaveText('3');
  await expect(cell('zero', 'this')).toHaveText('1');
  await expect(cell('no-data', 'this')).toHaveText('2');

  // II. Per commune.
  const units = doc.getByTestId('doc-units');
  for (const r of e.rows) {
    const row = units.locator(`tr[data-code="${r.code}"]`);
    await expect(row.locator('[data-col=venues]')).toHaveText(dash.n(r.venues));
    await expect(row.locator('[data-col=scans]')).toHaveText(dash.n(r.scans));
    await expect(row.locator('[data-col=prev]')).toHaveText(dash.n(r.prev));
    await expect(row.locator('[data-col=visits]')).toHaveText(dash.n(r.visits));
    await expect(row).toHaveAttribute('data-low', String(r.low));
  }
  await expect(units.locator('tr[data-code="14995"] [data-col=change]')).toHaveText('+5');
  await expect(units.getByTestId('doc-units-total')).toContainText(dash.n(e.visits.this));
  // III. The points without scans, by name and code.
  await expect(doc.getByTestId('doc-zero').locator('tbody tr')).toHaveCount(1);
  await expect(doc.getByTestId('doc-zero')).toContainText('Trường THCS Sơn Lư');
  await expect(doc.getByTestId('doc-zero')).toContainText(dash.facts.venueIds.truong);
  await expect(doc.getByTestId('doc-no-data').locator('tbody tr')).toHaveCount(2);
  await expect(doc.getByTestId('doc-no-data')).toContainText('Trạm y tế xã Sơn Hà');
  await expect(doc.getByTestId('doc-no-data')).toContainText('Nhà văn hóa bản Hạ');
  // IV. Remarks.
  await expect(doc.getByTestId('doc-notes')).toContainText(dash.t('doc.trend.up', { n: '5', prev: '3' }));
  await expect(doc.getByTestId('doc-leaders')).toContainText('Xã Trung Xuân');
  await expect(doc.getByTestId('doc-laggards')).toContainText('Thị trấn Sơn Lư, Xã Sơn Hà');
  await dash.expectFits();
  await dash.shot('weekly');

  // The server's weekly report as CSV and XLSX: the same figures, in sections.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  expect(csv.suggestedFilename()).toBe(`weekly-387-${week}.csv`);
  const lines = readFileSync((await csv.path())!, 'utf8').slice(1).split('\r\n');
  expect(lines).toContain(`STT,Nội dung,Tuần ${w.week},Tuần ${parseIsoWeek(lastWeek)!.week},Tăng/giảm`);
  expect(lines).toContain(`2,Lượt quét trong tuần,${e.scans.this},${e.scans.prev},${e.scans.this - e.scans.prev}`);
  // A heading with a comma is quoted, as RFC 4180 has it.
  expect(lines.some((l) => l.startsWith('"Báo cáo tuần ') && l.endsWith(': IV. NHẬN XÉT, ĐỀ XUẤT"'))).toBe(true);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe(`weekly-387-${week}.xlsx`);
  const book = readFileSync((await xlsx.path())!);
  const overviewSheet = readSheet(book, 1);
  expect(String(overviewSheet.get('A1'))).toContain('I. TÌNH HÌNH CHUNG');
  expect(overviewSheet.get('C3')).toBe(e.venues);
  const unitsSheet = readSheet(book, 2);
  expect(unitsSheet.get('B2')).toBe('Thị trấn/xã');
  expect(unitsSheet.get('B3')).toBe('Xã Trung Xuân');
  // The commune's code stays text; its scans this week and the week before are numbers.
  expect(unitsSheet.get('C3')).toBe('14995');
  expect([unitsSheet.get('F3'), unitsSheet.get('G3'), unitsSheet.get('I3')]).toEqual([e.rows[0].scans, e.rows[0].prev, e.rows[0].visits]);

  // "Print" calls the browser's print; printed, only the document is left and it fits A4's width.
  await page.evaluate(() => {
    const w = window as unknown as { printed: number };
    w.printed = 0;
    window.print = () => void w.printed++;
  });
  await page.getByTestId('print').click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.locator('.filters')).toBeHidden();
  await expect(page.getByTestId('print')).toBeHidden();
  await expect(page.locator('#report-title')).toBeHidden();
  await expect(page.getByTestId('unfinished')).toBeHidden();
  await expect(doc).toBeVisible();
  // A4 less the margins (210 − 30 − 15 mm) at 96 px to the inch.
  await page.setViewportSize({ width: Math.floor((165 / 25.4) * 96), height: 1123 });
  const spill = await doc.evaluate((el) => {
    const right = el.getBoundingClientRect().right + 1;
    return [el, ...el.querySelectorAll<HTMLElement>('*')]
      .filter((c) => c.getBoundingClientRect().right > right || c.scrollWidth > c.clientWidth + 1)
      .map((c) => c.outerHTML.slice(0, 80));
  });
  await dash.shot('weekly-print');
  expect(spill, 'nothing wider than the printed page').toEqual([]);
  await page.emulateMedia({ media: 'screen' });

  // The week before, one click back: its scans, against the week before it.
  await page.setViewportSize(dash.project.endsWith('tablet') ? { width: 800, height: 1280 } : { width: 1280, height: 800 });
  await page.getByTestId('week-prev').click();
  await expect(doc).toHaveAttribute('data-week', lastWeek);
  await expect(page).toHaveURL(new RegExp(`week=${lastWeek}`));
  await expect(cell('scans', 'this')).toHaveText(dash.n(e.scans.prev));
  await expect(cell('scans', 'prev')).toHaveText('0');
  await expect(page.getByTestId('unfinished')).toHaveCount(0);
});

test('weekly report: a province by district, the visits summed over each district’s communes', async ({ dash, page }) => {
  await dash.login('province', `#/weekly?week=${dash.facts.days.week}`);
  const units = page.getByTestId('doc-units');
  await expect(units.locator('thead')).toContainText(dash.t('common.district'));
  for (const r of WEEKLY.province38) {
    await expect(units.locator(`tr[data-code="${r.code}"] [data-col=scans]`)).toHaveText(dash.n(r.scans));
    await expect(units.locator(`tr[data-code="${r.code}"] [data-col=visits]`)).toHaveText(dash.n(r.visits));
  }
  await expect(page.getByTestId('doc-agency')).toHaveText('TỈNH THANH HÓA');
  await expect(page.getByTestId('doc-place-date')).toContainText('Thanh Hóa, ');
  await dash.shot('weekly-province');
});

test('weekly report: a commune lists its venues', async ({ dash, page }) => {
  await dash.login('commune', `#/weekly?week=${dash.facts.days.week}`);
  const doc = page.getByTestId('weekly-doc');
  await expect(doc).toHaveAttribute('data-unit', '14995');
  await expect(doc.getByTestId('doc-units')).toHaveCount(0);
  await expect(doc.locator('tr[data-row=cumulative]')).toHaveCount(0);
  const venue = doc.getByTestId('doc-venues').locator(`tr[data-venue="${dash.facts.venueIds.cho}"]`);
  await expect(venue.locator('[data-col=visits]')).toHaveText('7');
  await expect(venue.locator('[data-col=electronic]')).toHaveText('5');
  await expect(venue.locator('[data-col=paper]')).toHaveText('2');
  await expect(venue.locator('[data-col=prev]')).toHaveText('3');
  await expect(venue.locator('[data-col=change]')).toHaveText('+4');
  await expect(doc.getByTestId('doc-agency')).toHaveText('XÃ TRUNG XUÂN');
  await dash.expectFits();
  await dash.shot('weekly-commune');
});
