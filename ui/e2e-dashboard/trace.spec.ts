// Contact tracing and its audit log against the real server: a tracer finds
// who was at a seeded venue and where a seeded person went, the lookup log
// then lists both with their reasons; wrong input is stopped in the page or
// explained from the server's answer; viewers see no tracing at all.
import { readFileSync } from 'node:fs';
import { request as playwrightRequest } from '@playwright/test';
import { addDays, formatIsoDate } from '../src/shared/format';
import { test, expect } from './fixtures';
import { PASSWORD, TRACE, USERS, idNumber, personName } from './seed';

test('a tracer traces a venue and a person; the lookup log lists both with their reasons', async ({ dash, page }, info) => {
  await dash.login('tracer');
  await expect(page.getByTestId('user-role')).toHaveText(dash.t('role.tracer'));
  await expect(page.locator('.tab[data-route=trace]')).toBeVisible();
  await page.locator('.tab[data-route=trace]').click();
  await expect(page.locator('#report-title')).toHaveText(dash.t('trace.title'));
  await expect(page).toHaveTitle(`${dash.t('nav.trace')} — ${dash.t('app.name')}`);

  // Who was at the market today (the default window): found by its name
  // typed without accents, picked from the district's venues.
  const venueId = dash.facts.venueIds[TRACE.venue.key];
  const reason = `Ca F0 số 12, xác minh tại ${TRACE.venue.name} (${info.project.name})`;
  await page.locator('#venue-search').fill('cho trung');
  const choice = page.getByTestId('venue-choices').locator(`[data-venue="${venueId}"]`);
  await expect(choice).toContainText(TRACE.venue.name);
  await expect(choice).toContainText(TRACE.venue.commune);
  await dash.shot('trace-venue-search');
  await choice.click();
  await expect(page.getByLabel(dash.t('trace.venueId'))).toHaveValue(venueId);
  await expect(page.getByTestId('venue-choices')).toHaveCount(0);
  await expect(page.locator('#from-date')).toHaveValue(formatIsoDate(dash.facts.days.today));
  await expect(page.locator('#from-time')).toHaveValue('00:00');
  await expect(page.locator('#to-time')).toHaveValue('23:59');
  await page.locator('#reason').fill(reason);
  await page.getByTestId('trace-submit').click();
  const result = page.getByTestId('trace-result');
  await expect(result.getByTestId('trace-result-title')).toHaveText(dash.t('trace.venueResult', { venue: TRACE.venue.name, commune: TRACE.venue.commune }));
  const people = result.getByTestId('trace-people').locator('tbody tr');
  await expect(people).toHaveCount(TRACE.venue.stays);
  await expect(result.getByTestId('trace-count')).toHaveText(dash.t('trace.peopleCount', { n: TRACE.venue.stays }));
  const first = people.and(page.locator(`[data-id="${idNumber(TRACE.firstPerson)}"]`));
  await expect(first.locator('[data-col=name]')).toHaveText(personName(TRACE.firstPerson));
  await expect(first.locator('[data-col=in]')).toContainText(formatIsoDate(dash.facts.days.today));
  await expect(first.locator('[data-col=out]')).toContainText(dash.t('trace.estimated'));
  await expect(first.locator('[data-col=source]')).toHaveText(dash.t('source.qr'));
  await expect(people.and(page.locator('[data-estimated=true]'))).toHaveCount(TRACE.venue.estimated);
  const exitOnly = people.and(page.locator(`[data-id="${idNumber(TRACE.exitOnly)}"]`));
  await expect(exitOnly.locator('[data-col=in]')).toHaveText(dash.t('trace.noEntry'));
  await expect(exitOnly).toHaveAttribute('data-estimated', 'false');
  await expect(result).toContainText(dash.t('trace.estimatedNote', { n: 120 }));
  const audit = result.getByTestId('audit-id');
  await expect(audit).toBeVisible();
  const venueAudit = Number(await audit.getAttribute('data-audit-id'));
  expect(venueAudit).toBeGreaterThan(0);
  await expect(audit).toHaveText(dash.t('trace.audit', { id: venueAudit }));
  await dash.expectFits();
  await dash.shot('trace-venue');

  // The same lookup as the server's CSV.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trace-csv').click()]);
  expect(csv.suggestedFilename()).toBe(`truy-vet-${venueId}.csv`);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).split('\r\n');
  expect(lines[0]).toBe('STT,Họ và tên,Số CCCD,Số điện thoại,Giờ vào,Giờ ra,Ghi chú');
  expect(lines.filter((l) => l.includes(personName(TRACE.firstPerson)))).toHaveLength(1);
  expect(text).toContain('giờ ra ước tính');

  // Where last week's first visitor went, the number typed with spaces, since last week's Monday.
  await page.getByTestId('trace-by-person').check();
  await expect(page).toHaveURL(/#\/trace\?by=person/);
  const id = idNumber(TRACE.person.index);
  await page.locator('#person-number').fill(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
  await page.locator('#from-date').fill(formatIsoDate(dash.facts.days.lastWeekMonday));
  await page.locator('#from-time').fill('8h');
  await page.locator('#reason').fill(`${reason}: người tiếp xúc`);
  await page.getByTestId('trace-submit').click();
  const visits = page.getByTestId('trace-visits').locator('tbody tr');
  await expect(visits).toHaveCount(1);
  await expect(visits.locator('[data-col=at]')).toHaveText(`${formatIsoDate(dash.facts.days.lastWeekMonday)} ${TRACE.person.time}`);
  await expect(visits.locator('[data-col=venue]')).toContainText(TRACE.person.venue);
  await expect(visits.locator('[data-col=venue]')).toContainText(venueId);
  await expect(visits.locator('[data-col=commune]')).toHaveText(TRACE.person.commune);
  await expect(visits.locator('[data-col=direction]')).toHaveText(dash.t('dir.in'));
  await expect(page.getByTestId('trace-result-title')).toContainText(id);
  const personAudit = Number(await page.getByTestId('audit-id').getAttribute('data-audit-id'));
  expect(personAudit).toBeGreaterThan(venueAudit);
  await dash.expectFits();
  await dash.shot('trace-person');

  // The lookup log: newest first, both lookups (and the CSV's) with the reason and what was asked.
  await page.locator('.tab[data-route=audit]').click();
  await expect(page.getByTestId('audit-intro')).toHaveText(dash.t('audit.introTracer'));
  const mine = page.getByTestId('audit-table').locator('tbody tr', { hasText: reason });
  await expect(mine).toHaveCount(3);
  await expect(mine.nth(0)).toHaveAttribute('data-id', String(personAudit));
  await expect(mine.nth(0)).toHaveAttribute('data-action', 'trace_person');
  await expect(mine.nth(0).locator('[data-col=reason]')).toHaveText(`${reason}: người tiếp xúc`);
  await expect(mine.nth(0).locator('[data-col=query]')).toContainText(dash.t('audit.person.id', { value: id }));
  await expect(mine.nth(0).locator('[data-col=query]')).toContainText(`${formatIsoDate(dash.facts.days.lastWeekMonday)} 08:00`);
  await expect(mine.nth(0).locator('[data-col=results]')).toHaveText('1');
  await expect(mine.nth(0).locator('[data-col=login]')).toContainText(USERS.tracer.login);
  const venueRow = page.getByTestId('audit-table').locator(`tbody tr[data-id="${venueAudit}"]`);
  await expect(venueRow).toHaveAttribute('data-action', 'trace_venue');
  await expect(venueRow.locator('[data-col=reason]')).toHaveText(reason);
  await expect(venueRow.locator('[data-col=query]')).toContainText(venueId);
  await expect(venueRow.locator('[data-col=results]')).toHaveText(String(TRACE.venue.stays));
  await expect(venueRow.locator('[data-col=action]')).toHaveText(dash.t('audit.trace_venue'));
  // Newest first all the way down.
  const ids = (await page.getByTestId('audit-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id')))));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  await dash.expectFits();
  await dash.shot('audit');
});

test('tracing: wrong input is stopped in the page; the server’s refusals are explained', async ({ dash, page }) => {
  await dash.login('tracer', '#/trace');
  await page.getByTestId('trace-submit').click();
  const error = (field: string) => page.locator(`[data-field=${field}] [data-testid=field-error]`);
  await expect(error('venue-id')).toHaveText(dash.t('trace.err.venueMissing'));
  await expect(error('reason')).toHaveText(dash.t('trace.err.reasonMissing'));
  await expect(page.locator('#venue-id')).toBeFocused();
  await page.locator('#venue-id').fill('chợ trung xuân');
  await page.locator('#reason').fill('F0');
  await page.locator('#stay').fill('0');
  await page.locator('#from-date').fill(formatIsoDate(addDays(dash.facts.days.today, 1)));
  await page.locator('#to-time').fill('25:00');
  await page.getByTestId('trace-submit').click();
  await expect(error('venue-id')).toHaveText(dash.t('trace.err.venueFormat'));
  await expect(error('reason')).toHaveText(dash.t('trace.err.reasonShort'));
  await expect(error('stay')).toHaveText(dash.t('trace.err.stay'));
  await expect(error('to-time')).toHaveText(dash.t('trace.err.time'));
  await page.locator('#to-time').fill('23:59');
  await expect(error('to-date')).toHaveText(dash.t('trace.err.order'));
  await page.locator('#from-date').fill(formatIsoDate(addDays(dash.facts.days.today, -40)));
  await expect(error('to-date')).toHaveText(dash.t('trace.err.tooLong', { n: 31 }));
  await expect(page.getByTestId('trace-result')).toHaveCount(0);
  await dash.shot('trace-form-errors', false);

  // A code no venue has: the server says so.
  await page.locator('#venue-id').fill('38-14995-ZZZZZZ');
  await page.locator('#reason').fill('Kiểm tra mã địa điểm');
  await page.locator('#stay').fill('');
  await page.locator('#from-date').fill(formatIsoDate(dash.facts.days.today));
  await page.getByTestId('trace-submit').click();
  const box = page.getByTestId('error');
  await expect(box).toHaveAttribute('data-code', 'unknown_venue');
  await expect(box.getByTestId('error-advice')).toHaveText(dash.t('err.unknown_venue'));
  // A venue of the other district: outside the tracer's area.
  await page.locator('#venue-id').fill(dash.facts.venueIds.ubnd);
  await page.getByTestId('trace-submit').click();
  await expect(box).toHaveAttribute('data-code', 'outside_area');
  await expect(box.getByTestId('error-advice')).toHaveText(dash.t('err.venueOutside'));

  // A number that is no ID-card number: 400 with the server's own words.
  await page.getByTestId('trace-by-person').check();
  await page.locator('#person-number').fill('12<>34');
  await page.locator('#reason').fill('Kiểm tra số CCCD');
  await page.getByTestId('trace-submit').click();
  await expect(box).toHaveAttribute('data-code', 'invalid');
  await expect(box.getByTestId('error-advice')).toHaveText(dash.t('err.traceInvalid'));
  await expect(box.getByTestId('error-detail')).toHaveText('that ID-card number or phone is not valid');
  await expect(page.getByTestId('retry')).toHaveCount(0);
  await dash.shot('trace-error-invalid', false);
  // By phone, with nothing typed.
  await page.getByTestId('person-by-phone').check();
  await page.locator('#person-number').fill('');
  await page.getByTestId('trace-submit').click();
  await expect(error('person-number')).toHaveText(dash.t('trace.err.phoneMissing'));
});

test('a viewer sees no tracing: no menu entry, a typed link says why, the API answers 403', async ({ dash, page }) => {
  await dash.login('district');
  await dash.report();
  await expect(page.locator('.tab[data-route=weekly]')).toBeVisible();
  await expect(page.locator('.tab[data-route=trace]')).toHaveCount(0);
  await expect(page.locator('.tab[data-route=audit]')).toHaveCount(0);
  await page.goto(`${dash.url}#/trace`);
  await expect(page.getByTestId('not-allowed')).toHaveText(dash.t('trace.notAllowed'));
  await expect(page.getByTestId('trace-form')).toHaveCount(0);
  await dash.shot('trace-viewer', false);
  await page.goto(`${dash.url}#/audit`);
  await expect(page.getByTestId('not-allowed')).toHaveText(dash.t('trace.notAllowed'));
  await expect(page.getByTestId('audit-table')).toHaveCount(0);

  const traced = await dash.post('trace/venue', { venue_id: dash.facts.venueIds.cho, from: `${dash.facts.days.today}T00:00`, to: `${dash.facts.days.today}T23:59`, reason: 'Thử quyền người xem' });
  expect(traced.status()).toBe(403);
  expect((await traced.json()).error).toBe('role');
  const log = await page.request.get(`${dash.api}/audit`);
  expect(log.status()).toBe(403);
  expect((await log.json()).error).toBe('role');
});

test('the province admin reads every lookup of the province, the district tracer’s too', async ({ dash, page }, info) => {
  // The tracer looks someone up (through the API, as the page would).
  const tracer = await playwrightRequest.newContext({ baseURL: process.env.CHECKIN_SERVER_URL });
  const login = await tracer.post('/api/v1/dashboard/login', { data: { login: USERS.tracer.login, password: PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrf } = (await login.json()) as { csrf: string };
  const reason = `Ca F1 của huyện Quan Sơn (${info.project.name})`;
  const traced = await tracer.post('/api/v1/dashboard/trace/person', {
    data: { phone: '0912 345 678', from: `${dash.facts.days.today}T00:00`, to: `${dash.facts.days.today}T23:59`, reason },
    headers: { 'x-csrf-token': csrf },
  });
  expect(traced.status()).toBe(200);
  const auditId = ((await traced.json()) as { audit_id: number }).audit_id;
  await tracer.dispose();

  await dash.login('admin', '#/audit');
  await expect(page.getByTestId('user-role')).toHaveText(dash.t('role.admin'));
  await expect(page.getByTestId('audit-intro')).toHaveText(dash.t('audit.introAdmin', { area: 'Tỉnh Thanh Hóa' }));
  const row = page.getByTestId('audit-table').locator(`tbody tr[data-id="${auditId}"]`);
  await expect(row.locator('[data-col=login]')).toContainText(USERS.tracer.login);
  await expect(row.locator('[data-col=login]')).toContainText('Huyện Quan Sơn');
  await expect(row.locator('[data-col=reason]')).toHaveText(reason);
  await expect(row.locator('[data-col=query]')).toContainText(dash.t('audit.person.phone', { value: '' }).trim());
  await expect(row.locator('[data-col=results]')).toHaveText('0');
  await dash.expectFits();
  await dash.shot('audit-admin');
});
