// The health-declaration reports as an official reads them: coverage,
// reconciliation and staff rosters, with the declarations, populations,
// rosters and reported figures the setup seeded through the station CLI
// and the server's admin imports.
import { readFileSync } from 'node:fs';
import { addDays, formatIsoDate } from '../src/shared/format';
import { test, expect, type Dash } from './fixtures';
import { DECLARED } from './seed';
import { readSheet } from './xlsx';

/** A share as the page writes it ("33,3" / "33.3", "25,0"; "—" for none). */
const pct = (dash: Dash, x: number | null) => (x == null ? '—' : x.toFixed(1).replace('.', dash.lang === 'vi' ? ',' : '.'));

/** A signed change as the page writes it. */
const signed = (dash: Dash, x: number) => (x === 0 ? '0' : x > 0 ? `+${dash.n(x)}` : `\u2212${dash.n(-x)}`);

test('coverage: the province ranks its districts by the share of people who declared', async ({ dash, page }) => {
  await dash.login('province', '#/coverage');
  const body = await dash.report();
  await expect(body).toHaveAttribute('data-unit', '38');
  await expect(body).toHaveAttribute('data-as-of', dash.facts.days.today);
  await expect(page.locator('#as_of')).toHaveValue(formatIsoDate(dash.facts.days.today));
  const table = page.getByTestId('cov-table');
  await expect(table.locator('thead')).toContainText(dash.t('common.district'));
  await expect(table.locator('tbody tr')).toHaveCount(DECLARED.coverage38.rows.length);
  for (const [i, r] of DECLARED.coverage38.rows.entries()) {
    const row = table.locator('tbody tr').nth(i);
    await expect(row).toHaveAttribute('data-code', r.code);
    await expect(row.locator('th')).toHaveText(r.name);
    await expect(row.locator('[data-col=population]')).toHaveText(dash.n(r.population));
    await expect(row.locator('[data-col=declared]')).toHaveText(dash.n(r.declared));
    await expect(row.locator('[data-col=share]')).toHaveText(pct(dash, r.share));
    await expect(row.locator('[data-col=rank]')).toHaveText(String(r.rank));
  }
  const total = DECLARED.coverage38.total;
  await expect(page.getByTestId('cov-population-value')).toHaveText(dash.n(total.population));
  await expect(page.getByTestId('cov-declared-value')).toHaveText(dash.n(total.declared));
  await expect(page.getByTestId('cov-share-value')).toHaveText(`${pct(dash, total.share)}%`);
  const chart = page.getByTestId('cov-chart');
  await expect(chart.locator('.bar-row')).toHaveCount(2);
  await expect(chart.locator('.bar-row').first()).toHaveAttribute('data-key', '387');
  await expect(chart.locator('.bar-row[data-key="388"] .bar-value')).toHaveText(`${pct(dash, 11.1)}%`);
  await dash.shot('coverage-province');
});

test('coverage: a district by commune, the unit without a population last; an earlier date', async ({ dash, page }) => {
  await dash.login('district', '#/coverage');
  await dash.report();
  const table = page.getByTestId('cov-table');
  await expect(table.locator('thead')).toContainText(dash.t('common.communeFull'));
  const want = DECLARED.coverage387;
  await expect(table.locator('tbody tr')).toHaveCount(want.rows.length);
  for (const [i, r] of want.rows.entries()) {
    const row = table.locator('tbody tr').nth(i);
    await expect(row).toHaveAttribute('data-code', r.code);
    await expect(row.locator('[data-col=population]')).toHaveText(r.population == null ? dash.t('cov.noPopulation') : dash.n(r.population));
    await expect(row.locator('[data-col=declared]')).toHaveText(dash.n(r.declared));
    await expect(row.locator('[data-col=share]')).toHaveText(pct(dash, r.share));
    await expect(row.locator('[data-col=rank]')).toHaveText(r.rank == null ? '—' : String(r.rank));
  }
  await expect(page.getByTestId('total-row').locator('[data-col=share]')).toHaveText(pct(dash, want.total.share));
  const chart = page.getByTestId('cov-chart');
  await expect(chart.locator('.bar-row[data-key="14998"] rect')).toHaveClass(/tone-primary/);
  await expect(chart.locator('.bar-row[data-key="15004"] rect')).toHaveCount(0);
  await expect(chart.locator('.bar-row[data-key="15004"] .bar-value')).toHaveText(dash.t('cov.noPopulation'));
  await expect(page.getByTestId('cov-rule')).toContainText(dash.t('cov.ruleText'));
  await dash.expectFits();
  await dash.shot('coverage-district');

  // Two days ago only the two who declared on earlier days had.
  const earlier = addDays(dash.facts.days.today, -2);
  await page.locator('#as_of').fill(formatIsoDate(earlier));
  await page.getByTestId('show').click();
  await expect(page).toHaveURL(new RegExp(`as_of=${earlier}`));
  await expect(page.getByTestId('report')).toHaveAttribute('data-as-of', earlier);
  for (const [code, n] of Object.entries(want.twoDaysAgo)) await expect(table.locator(`tr[data-code="${code}"] [data-col=declared]`)).toHaveText(dash.n(n));
  await expect(table.locator('caption')).toContainText(formatIsoDate(earlier));

  // A date that is no date is refused before asking.
  await page.locator('#as_of').fill('31/02/2021');
  await page.getByTestId('show').click();
  await expect(page.locator('[data-field=as_of] [data-testid=field-error]')).toHaveText(dash.t('err.dateFormat'));
});

test('reconciliation: reported against the system, the explained parts, the rows to check, the legend', async ({ dash, page }) => {
  await dash.login('district', '#/reconciliation');
  await dash.report();
  const want = DECLARED.reconciliation387;
  const table = page.getByTestId('recon-table');
  await expect(table.locator('tbody tr')).toHaveCount(want.rows.length);
  for (const [i, r] of want.rows.entries()) {
    const row = table.locator('tbody tr').nth(i);
    await expect(row).toHaveAttribute('data-commune', r.commune);
    await expect(row).toHaveAttribute('data-agency', r.agency);
    await expect(row.locator('[data-col=date]')).toHaveText(formatIsoDate(addDays(dash.facts.days.today, -r.daysAgo)));
    for (const k of ['reported', 'system', 'other_units', 'paper_late', 'synced_late', 'outside_period'] as const)
      await expect(row.locator(`[data-col=${k}]`), `${r.commune} ${r.agency} ${k}`).toHaveText(dash.n(r[k]));
    await expect(row.locator('[data-col=difference]')).toHaveText(signed(dash, r.difference));
    await expect(row.locator('[data-col=unexplained]')).toHaveText(signed(dash, r.unexplained));
    await expect(row).toHaveAttribute('data-check', String(r.unexplained !== 0));
  }
  // The commune's own figure and the agency's are told apart.
  await expect(table.locator('tbody tr').nth(0).locator('th')).toContainText(dash.t('recon.own'));
  await expect(table.locator('tbody tr').nth(1).locator('th')).toContainText('Trạm Y tế xã Trung Xuân');
  await expect(table.locator('tbody tr').nth(0).locator('th')).toContainText(dash.t('recon.check'));
  await expect(table.locator('tbody tr.row-check')).toHaveCount(1);
  await expect(page.getByTestId('total-row')).toHaveClass(/row-check/);
  await expect(page.getByTestId('recon-flagged')).toHaveText(dash.t('recon.flagged', { n: 1 }));
  const total = page.getByTestId('total-row');
  for (const k of ['reported', 'system', 'other_units', 'paper_late', 'synced_late', 'outside_period'] as const)
    await expect(total.locator(`[data-col=${k}]`)).toHaveText(dash.n(want.total[k]));
  await expect(total.locator('[data-col=unexplained]')).toHaveText(signed(dash, want.total.unexplained));
  await expect(page.getByTestId('recon-reported-value')).toHaveText(dash.n(want.total.reported));
  await expect(page.getByTestId('recon-system-value')).toHaveText(dash.n(want.total.system));
  // Each column in plain words.
  const legend = page.getByTestId('recon-legend');
  for (const k of ['reported', 'system', 'difference', 'other_units', 'paper_late', 'synced_late', 'outside_period', 'unexplained'] as const) {
    await expect(legend.locator(`[data-term="${k}"] dt`)).toHaveText(dash.t(`recon.${k}`));
    await expect(legend.locator(`[data-term="${k}"] dd`)).toHaveText(dash.t(`recon.legend.${k}`));
  }
  await dash.expectFits();
  await dash.shot('reconciliation');

  // Two days ago: Sơn Lư's older figure, which nothing in the system explains yet.
  await page.locator('#as_of').fill(formatIsoDate(addDays(dash.facts.days.today, -2)));
  await page.getByTestId('show').click();
  await expect(page.getByTestId('report')).toHaveAttribute('data-as-of', addDays(dash.facts.days.today, -2));
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr[data-commune="14998"] [data-col=date]')).toHaveText(formatIsoDate(addDays(dash.facts.days.today, -4)));
  await expect(table.locator('tbody tr[data-commune="14998"] [data-col=unexplained]')).toHaveText('+1');

  // Before any figure: says so.
  await page.locator('#as_of').fill(formatIsoDate(addDays(dash.facts.days.today, -30)));
  await page.getByTestId('show').click();
  await expect(page.getByTestId('empty')).toHaveText(
    dash.t('recon.empty', { unit: 'Huyện Quan Sơn', asOf: formatIsoDate(addDays(dash.facts.days.today, -30)) }),
  );
});

test('reconciliation: the province sees a commune that reported fewer than the system knows', async ({ dash, page }) => {
  await dash.login('province', '#/reconciliation');
  await dash.report();
  const table = page.getByTestId('recon-table');
  await expect(table.locator('tbody tr')).toHaveCount(DECLARED.reconciliation387.rows.length + 1);
  const r = DECLARED.reconciliation15001;
  const row = table.locator(`tbody tr[data-commune="${r.commune}"]`);
  await expect(row.locator('th')).toContainText('Xã Phú Nghiêm');
  await expect(row.locator('[data-col=reported]')).toHaveText(dash.n(r.reported));
  await expect(row.locator('[data-col=system]')).toHaveText(dash.n(r.system));
  await expect(row.locator('[data-col=difference]')).toHaveText(signed(dash, r.difference));
  await expect(row.locator('[data-col=unexplained]')).toHaveText(signed(dash, r.unexplained));
  await expect(row).toHaveAttribute('data-check', 'true');
  await expect(page.getByTestId('recon-flagged')).toHaveText(dash.t('recon.flagged', { n: 2 }));
  await dash.shot('reconciliation-province');
});

test('roster: per agency the staff who declared, and who did not', async ({ dash, page }) => {
  await dash.login('district', '#/roster');
  const body = await dash.report();
  await expect(body).toHaveAttribute('data-from', dash.facts.days.sixDaysAgo);
  await expect(body).toHaveAttribute('data-to', dash.facts.days.today);
  await expect(page.locator('#from')).toHaveValue(formatIsoDate(dash.facts.days.sixDaysAgo));
  const want = DECLARED.roster387;
  const table = page.getByTestId('roster-table');
  await expect(table.locator('tbody tr')).toHaveCount(want.rows.length);
  for (const [i, r] of want.rows.entries()) {
    const row = table.locator('tbody tr').nth(i);
    await expect(row).toHaveAttribute('data-agency', r.agency);
    await expect(row.locator('th')).toHaveText(r.agency);
    await expect(row.locator('[data-col=staff]')).toHaveText(dash.n(r.staff));
    await expect(row.locator('[data-col=declared]')).toHaveText(dash.n(r.declared));
    await expect(row.locator('[data-col=missing]')).toHaveText(dash.n(r.staff - r.declared));
    await expect(row.locator('[data-col=share]')).toHaveText(pct(dash, r.share));
    // The names are there behind the disclosure, shown on request.
    const names = row.locator('details');
    await expect(names.locator('summary')).toHaveText(dash.t('roster.show', { n: r.notDeclared.length }));
    await expect(names.locator('li').first()).toBeHidden();
    await names.locator('summary').click();
    await expect(names.locator('li')).toHaveText(r.notDeclared);
  }
  await expect(page.getByTestId('roster-staff-value')).toHaveText(dash.n(want.total.staff));
  await expect(page.getByTestId('roster-declared-value')).toHaveText(dash.n(want.total.declared));
  await expect(page.getByTestId('roster-share-value')).toHaveText(`${pct(dash, want.total.share)}%`);
  await dash.expectFits();
  await dash.shot('roster');
  // One button closes (and opens) every list.
  await page.getByTestId('roster-toggle-all').click();
  await expect(table.locator('details[open]')).toHaveCount(0);
  await page.getByTestId('roster-toggle-all').click();
  await expect(table.locator('details[open]')).toHaveCount(want.rows.length);

  // Today alone: the school's teacher who declared two days ago no longer counts.
  await page.locator('#from').fill(formatIsoDate(dash.facts.days.today));
  await page.getByTestId('show').click();
  await expect(page).toHaveURL(new RegExp(`from=${dash.facts.days.today}`));
  const school = table.locator(`tbody tr[data-agency="${want.today.agency}"]`);
  await expect(school.locator('[data-col=declared]')).toHaveText(dash.n(want.today.declared));
  await school.locator('summary').click();
  await expect(school.locator('li')).toHaveText(want.today.notDeclared);

  // The dates the wrong way round are refused before asking.
  await page.locator('#from').fill(formatIsoDate(addDays(dash.facts.days.today, 1)));
  await page.getByTestId('show').click();
  await expect(page.locator('[data-field=from] [data-testid=field-error]')).toHaveText(
    dash.t('err.dateOrder', { from: dash.t('common.from'), to: dash.t('common.to') }),
  );
});

test('roster: the province sees every agency; a commune only its own', async ({ dash, page }) => {
  await dash.login('province', '#/roster');
  await dash.report();
  const table = page.getByTestId('roster-table');
  await expect(table.locator('tbody th')).toHaveText(DECLARED.roster38.agencies);
  await expect(page.getByTestId('total-row').locator('[data-col=share]')).toHaveText(pct(dash, DECLARED.roster38.total.share));
  await dash.pickUnit('trung xuan', '14995');
  await expect(page.getByTestId('report')).toHaveAttribute('data-unit', '14995');
  await expect(table.locator('tbody th')).toHaveText([DECLARED.roster387.rows[0].agency]);
});

test('declaration reports download as CSV with the officials’ column titles and as XLSX with the figures', async ({ dash, page }) => {
  const today = dash.facts.days.today;
  const download = async (testid: 'download-csv' | 'download-xlsx') => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
  };
  const csvLines = (bytes: Buffer) => {
    const text = bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    return text.slice(1).split('\r\n');
  };
  await dash.login('district', '#/coverage');
  await dash.report();
  let csv = await download('download-csv');
  expect(csv.name).toBe(`coverage-387-${today}.csv`);
  let lines = csvLines(csv.bytes);
  expect(lines[0]).toBe('STT,Xã/phường/thị trấn,Mã,Dân số,Số người đã khai báo y tế,Tỷ lệ (%),Xếp hạng');
  expect(lines).toContain('1,Thị trấn Sơn Lư,14998,12,4,33.3,1');
  expect(lines).toContain('3,Xã Sơn Hà,15004,,0,,');
  expect(lines).toContain(',Tổng cộng,387,32,9,28.1,');
  let xlsx = await download('download-xlsx');
  expect(xlsx.name).toBe(`coverage-387-${today}.xlsx`);
  let cells = readSheet(xlsx.bytes);
  expect(String(cells.get('A1'))).toContain('Huyện Quan Sơn');
  expect(cells.get('E2')).toBe('Số người đã khai báo y tế');
  expect(cells.get('B3')).toBe('Thị trấn Sơn Lư');
  expect(cells.get('F3')).toBe(33.3);
  expect(cells.get('G4')).toBe(2);

  await page.locator('.tab[data-route=reconciliation]').click();
  await dash.report();
  csv = await download('download-csv');
  expect(csv.name).toBe(`reconciliation-387-${today}.csv`);
  lines = csvLines(csv.bytes);
  expect(lines[0]).toBe(
    'STT,Xã/phường/thị trấn,"Cơ quan, đơn vị",Ngày báo cáo,Số báo cáo,Số trên hệ thống,Chênh lệch,Trùng giữa các đơn vị,Phiếu giấy nhập sau,Đồng bộ sau,Ngoài kỳ báo cáo,Chưa giải thích được',
  );
  expect(lines).toContain(`1,Xã Trung Xuân,,${formatIsoDate(today)},7,5,2,1,0,0,0,1`);
  expect(lines).toContain(`3,Thị trấn Sơn Lư,,${formatIsoDate(addDays(today, -1))},3,0,3,0,2,1,0,0`);
  xlsx = await download('download-xlsx');
  cells = readSheet(xlsx.bytes);
  expect(cells.get('L2')).toBe('Chưa giải thích được');
  expect(cells.get('C4')).toBe('Trạm Y tế xã Trung Xuân');
  expect(cells.get('L3')).toBe(1);
  expect(cells.get('I5')).toBe(2);

  await page.locator('.tab[data-route=roster]').click();
  await dash.report();
  csv = await download('download-csv');
  expect(csv.name).toBe(`roster-387-${dash.facts.days.sixDaysAgo}-${today}.csv`);
  lines = csvLines(csv.bytes);
  expect(lines[0]).toBe('STT,Xã/phường/thị trấn,"Cơ quan, đơn vị",Số cán bộ,Đã khai báo y tế,Chưa khai báo,Tỷ lệ (%),Người chưa khai báo');
  expect(lines).toContain('1,Xã Trung Xuân,Trạm Y tế xã Trung Xuân,4,2,2,50,Đinh Văn Long; Lê Thị Nga');
  expect(lines).toContain(',Tổng cộng,,7,3,4,42.9,');
  xlsx = await download('download-xlsx');
  cells = readSheet(xlsx.bytes);
  expect(cells.get('C4')).toBe('Trường THCS Sơn Lư');
  expect(cells.get('H4')).toBe('Hà Văn Quân; Vi Thị Sen');
  expect(cells.get('G4')).toBe(33.3);
});
