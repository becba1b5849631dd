// The citizen's phone: a venue poster's link opens the page; declare once,
// check in (the pass appears), next time one tap, offline check-ins sent once
// when the link returns (also after a reload while offline), forged links
// refused, and deleting everything from the phone.
import { test, expect, type Phone } from './fixtures';

/** Declares on the phone's first visit and checks in; returns once the server has it. */
async function declareAndCheckIn(phone: Phone, name: string, id: string): Promise<void> {
  const p = phone.page;
  await expect(p.locator('#declare-form')).toBeVisible();
  await phone.fillDeclaration(name, id);
  await p.getByTestId('declare-submit').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'sent');
}

test('first visit: declare, check in, the signed pass; next visit is one tap', async ({ phone }) => {
  const p = phone.page;
  const before = phone.stats();
  await phone.open(phone.links.market);
  await expect(p.getByTestId('venue-name')).toHaveText('Chợ Trung Xuân');
  await expect(p.getByTestId('venue')).toContainText('Xã Trung Xuân');
  await phone.shot('1-first-visit-form');

  // The form says what is missing, in the page's language.
  await p.getByTestId('declare-submit').tap();
  await expect(p.getByTestId('declare-errors')).toBeVisible();
  await expect(p.locator('[data-field=full_name] [data-testid=field-error]')).toHaveText(phone.t('err.full_name.missing'));

  await declareAndCheckIn(phone, 'Lò Văn Pắng', '038090001234');
  await expect(p.getByTestId('done')).toHaveAttribute('data-direction', 'in');
  const pass = p.getByTestId('pass');
  await expect(pass).toBeVisible();
  expect(await pass.getAttribute('data-pass-text')).toMatch(/^CKP1:/);
  await expect(p.getByTestId('pass-name')).toHaveText('Lò Văn Pắng');
  await phone.shot('2-checked-in-pass');
  expect(phone.stats()).toEqual({ checkins: before.checkins + 1, declarations: before.declarations + 1 });

  // Next visit, another venue: the declaration of the day is on the phone: one tap.
  // (The declaration is stored once per venue it is shown at, as a kiosk's would be.)
  await phone.open(phone.links.clinic);
  await expect(p.getByTestId('venue-name')).toHaveText('Trạm Y tế xã Sơn Hà');
  await expect(p.getByTestId('checkin-in')).toBeVisible();
  await phone.shot('3-one-tap');
  await p.getByTestId('checkin-in').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'sent');
  expect(phone.stats()).toEqual({ checkins: before.checkins + 2, declarations: before.declarations + 2 });

  await p.getByTestId('done-ok').tap();
  await p.getByTestId('checkin-out').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-direction', 'out');
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'sent');
  // The same declaration (one id all day) at the same venue: stored once.
  expect(phone.stats()).toEqual({ checkins: before.checkins + 3, declarations: before.declarations + 2 });

  await p.getByTestId('done-ok').tap();
  await p.getByTestId('nav-visits').tap();
  await expect(p.getByTestId('visit')).toHaveCount(3);
  await expect(p.locator('[data-testid=visit][data-state=sent]')).toHaveCount(3);
  await phone.shot('4-my-visits');
});

test('a new day asks whether anything changed; unchanged is one tap with a new declaration', async ({ phone }) => {
  const p = phone.page;
  await phone.open(phone.links.market);
  await declareAndCheckIn(phone, 'Hà Thị Mai', '038185004321');
  const before = phone.stats();

  // 08:00 the next day in Vietnam, on the phone's clock (which then runs on).
  const tomorrow = new Date(Date.parse(`${phone.today}T08:00:00+07:00`) + 24 * 3600_000);
  await p.clock.setSystemTime(tomorrow);
  await phone.open(phone.links.market);
  await expect(p.getByTestId('daily')).toBeVisible();
  await expect(p.getByTestId('health-summary')).toContainText(phone.t('field.noSymptoms'));
  await phone.shot('5-daily-prompt');
  await p.getByTestId('confirm-unchanged').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'sent');
  expect(phone.stats()).toEqual({ checkins: before.checkins + 1, declarations: before.declarations + 1 });

  // "Something changed": the form comes back filled in.
  await p.getByTestId('done-ok').tap();
  await p.getByTestId('update-declaration').tap();
  await expect(p.locator('#c-name')).toHaveValue('Hà Thị Mai');
});

test('offline: the check-in waits on the phone, survives a reload, and reaches the server and the reports once', async ({ phone }) => {
  const p = phone.page;
  const reported = () => phone.visitsReported(phone.venues.post, '14998');
  const visitsBefore = reported();
  await phone.open(phone.links.post);
  await declareAndCheckIn(phone, 'Vi Văn Thắng', '038070009876');
  await phone.workerInCharge();
  const before = phone.stats();

  await phone.context.setOffline(true);
  await p.getByTestId('done-ok').tap();
  await p.getByTestId('checkin-in').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'pending');
  await expect(p.getByTestId('delivery')).toContainText(phone.t('citizen.willSend'));
  await phone.shot('6-offline-pending');

  // Reloaded with no link at all: the service worker has the page; the check-in is still queued.
  await p.reload();
  await phone.useLanguage();
  await expect(p.getByTestId('venue-name')).toHaveText('Bưu điện văn hóa xã Sơn Lư');
  await expect(p.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  // A second one while offline.
  await p.getByTestId('checkin-out').tap();
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'pending');
  await phone.shot('7-offline-after-reload');
  expect(phone.stats()).toEqual(before);

  await phone.context.setOffline(false);
  await expect(p.getByTestId('done')).toHaveAttribute('data-state', 'sent');
  await p.getByTestId('done-ok').tap();
  await expect(p.getByTestId('pending-count')).toHaveCount(0);
  // Both, once each, however often the page and the worker tried.
  expect(phone.stats()).toEqual({ ...before, checkins: before.checkins + 2 });
  await p.reload();
  await expect(p.getByTestId('checkin-in')).toBeVisible();
  expect(phone.stats()).toEqual({ ...before, checkins: before.checkins + 2 });
  // The officials' report counts the two entries (the check-out is no visit) as electronic, once each.
  expect(reported()).toEqual({ total: visitsBefore.total + 2, electronic: visitsBefore.electronic + 2, paper: visitsBefore.paper });
});

test('a forged or altered venue link is refused and nothing is stored', async ({ phone }) => {
  const p = phone.page;
  const before = phone.stats();
  const good = phone.links.market;
  // The last letter of the tag changed: a valid shape the server did not sign.
  const last = good.slice(-1);
  const altered = good.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  await phone.open(altered);
  await expect(p.getByTestId('venue')).toHaveAttribute('data-state', 'unknown');
  await expect(p.getByTestId('venue')).toContainText(phone.t('citizen.venueUnknownTitle'));
  await expect(p.locator('#declare-form')).toHaveCount(0);
  await expect(p.getByTestId('checkin-in')).toHaveCount(0);
  await phone.shot('8-forged-link');
  // Not even shaped like a link: refused without asking the server.
  await phone.open(`${phone.server}/c/not-a-venue`);
  await expect(p.getByTestId('venue')).toHaveAttribute('data-state', 'unknown');
  expect(phone.stats()).toEqual(before);
});

test('delete my data: the phone forgets the declaration and the visits', async ({ phone }) => {
  const p = phone.page;
  await phone.open(phone.links.clinic);
  await declareAndCheckIn(phone, 'Lương Thị Hoa', '038192007777');
  await p.getByTestId('done-ok').tap();
  await p.getByTestId('nav-privacy').tap();
  await phone.shot('9-privacy');
  await p.getByTestId('delete-data').tap();
  await expect(p.getByTestId('delete-dialog')).toBeVisible();
  await p.getByTestId('delete-confirm').tap();
  await expect(p.getByTestId('deleted')).toBeVisible();
  await phone.shot('10-deleted');
  await p.reload();
  await phone.useLanguage();
  await expect(p.locator('#declare-form')).toBeVisible();
  await expect(p.locator('#c-name')).toHaveValue('');
  await expect(p.getByTestId('nav-visits')).toContainText('(0)');
});
