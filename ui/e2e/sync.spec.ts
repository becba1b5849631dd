// Status and sync: counts, sync now with progress, offline, rejected records
// re-queued or fixed, and a store that cannot be read.
import { test, expect } from './fixtures';

test('sync now: progress moves with the events, counts follow, last success is set', async ({ app, page }) => {
  await app.open('sync', { manualSync: true });
  await expect(page.locator('#pending')).toHaveText('3');
  await expect(page.locator('#synced')).toHaveText(app.lang === 'vi' ? '1.284' : '1,284');
  await expect(page.locator('#rejected')).toHaveText('2');
  await expect(page.locator('#status-panel')).toHaveAttribute('data-state', 'attention');
  await expect(page.locator('#status-error')).toBeHidden();
  await expect(page.locator('#device-id')).toHaveText('0193a4c2-7e1f-7c3a-9b2d-5f8e6a1c4d20');
  // The certificate trust list the gate verifies with offline, and its age.
  const trust = page.getByTestId('trust-list');
  await expect(trust).toHaveAttribute('data-state', 'held');
  await expect(trust).toContainText(app.lang === 'vi' ? '2.431 chữ ký số' : '2,431 signing keys');
  await expect(trust).toContainText(app.lang === 'vi' ? '3 ngày trước' : '3 days ago');
  const before = await page.getByTestId('last-success').textContent();

  await page.getByTestId('sync-now').click();
  const bar = page.getByTestId('sync-progress');
  await expect(page.getByTestId('sync-phase')).toHaveAttribute('data-phase', 'syncing');
  await expect(bar).toHaveAttribute('aria-valuenow', '0');
  await expect(bar).toHaveAttribute('aria-valuemax', '3');
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'syncing');
  await app.fake((f) => f.stepSync());
  await expect(bar).toHaveAttribute('aria-valuenow', '1');
  await expect(page.locator('#pending')).toHaveText('2');
  await expect(page.getByTestId('sync-progress-text')).toHaveText(app.t('sync.progress', { sent: 1, total: 3 }));
  await app.shot('sync-progress');
  await app.fake((f) => f.stepSync());
  await app.fake((f) => f.stepSync());
  await expect(page.getByTestId('sync-phase')).toHaveAttribute('data-phase', 'idle');
  await expect(bar).toHaveAttribute('aria-valuenow', '3');
  await expect(page.locator('#pending')).toHaveText('0');
  await expect(page.locator('#synced')).toHaveText(app.lang === 'vi' ? '1.287' : '1,287');
  await expect(page.getByTestId('chip-pending')).toHaveText(app.t('chip.pending', { n: 0 }));
  await expect(page.getByTestId('last-success')).not.toHaveText(before ?? '');
});

test('offline: sync says so and what happens next', async ({ app, page }) => {
  await app.open('sync');
  await app.fake((f) => f.setOnline(false));
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'offline');
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-phase')).toHaveAttribute('data-phase', 'offline');
  await expect(page.getByTestId('sync-phase')).toContainText(app.t('sync.phase.offline'));
  await expect(page.getByTestId('sync-phase')).toContainText('server_unreachable');
  await app.shot('sync-offline');
});

test('rejected records: reasons in words, re-queue and fix venue', async ({ app, page }) => {
  await app.open('sync');
  const list = page.getByTestId('rejected-list');
  await expect(list.getByTestId('rejected-item')).toHaveCount(2);
  const outside = list.locator('[data-seq="41"]');
  await expect(outside).toContainText(app.t('rej.reason.venue_outside_scope'));
  await expect(list.locator('[data-seq="57"]')).toContainText(app.t('rej.reason.conflict'));
  await app.shot('sync-rejected', true);

  await list.locator('[data-seq="57"]').getByTestId('requeue').click();
  await expect(list.getByTestId('rejected-item')).toHaveCount(1);
  await expect(page.locator('#pending')).toHaveText('4');
  await expect(page.locator('#rejected')).toHaveText('1');

  await outside.getByTestId('fix-venue').click();
  await page.locator('#fix-venue-41').selectOption('01-00001-P3X8D2');
  await outside.getByTestId('fix-venue-apply').click();
  await expect(page.getByTestId('rejected-list')).toHaveCount(0);
  await expect(page.getByText(app.t('rej.empty'))).toBeVisible();
  await expect(page.locator('#pending')).toHaveText('5');
  await expect(page.locator('#status-panel')).toHaveAttribute('data-state', 'ok');
  const fix = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'rejected_fix_venue')[1]);
  expect(fix).toEqual({ seq: 41, venue_id: '01-00001-P3X8D2' });
});

test('a store written by a newer version: the status screen says what to do', async ({ app, page }) => {
  await app.open('gate', {
    failFirst: { station_status: { code: 'store_newer_schema', message: 'schema version 9 is newer than this app (7)' } },
  });
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'sync');
  await expect(page.locator('#status-panel')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('#status-error')).toBeVisible();
  await expect(page.locator('#status-error [data-testid=error-code]')).toHaveText('store_newer_schema');
  await expect(page.locator('#status-error')).toContainText(app.t('errc.store_newer_schema'));
  await expect(page.locator('#pending')).toHaveText('—');
  await app.shot('sync-store-error');
  await page.locator('#status-error button').click();
  await expect(page.locator('#status-error')).toBeHidden();
  await expect(page.locator('#pending')).toHaveText('3');
});

test('a revoked device: the screens say so and what to do; enrolling again sends the kept records', async ({ app, page }) => {
  await app.open('sync', { revoked: true, manualSync: true });
  const refused = page.getByTestId('sync-refused');
  await expect(refused).toHaveAttribute('data-code', 'device_revoked');
  await expect(refused).toContainText(app.t('sync.revoked'));
  await expect(refused).toContainText(app.t('errc.device_revoked'));
  await expect(page.getByTestId('sync-phase')).toHaveAttribute('data-phase', 'error');
  await expect(page.getByTestId('sync-phase')).toContainText('device_revoked');
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'revoked');
  await expect(page.getByTestId('status-chip')).toContainText(app.t('chip.revoked'));
  await expect(page.locator('#pending')).toHaveText('3');
  await app.shot('sync-revoked');

  // Trying again changes nothing and loses nothing.
  await page.getByTestId('sync-now').click();
  await expect(refused).toBeVisible();
  await expect(page.locator('#pending')).toHaveText('3');

  await page.getByTestId('sync-reenroll').click();
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'settings');
  await expect(page.getByTestId('enroll-refused')).toContainText(app.t('errc.device_revoked'));
  await expect(page.locator('#enroll-force')).toHaveCount(0);
  await app.shot('settings-revoked');
  await page.locator('#enroll-code').fill('CKE1:N3wT0ken8Hx2@https://checkin.soyte.hanoi.gov.vn');
  await page.getByTestId('enroll-submit').click();
  await expect(page.getByTestId('enroll-refused')).toHaveCount(0);
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'online');

  await page.getByTestId('status-chip').click();
  await expect(page.getByTestId('sync-refused')).toHaveCount(0);
  await page.getByTestId('sync-now').click();
  await app.fake((f) => {
    while (f.stepSync()) {
      /* one batch per step */
    }
  });
  await expect(page.locator('#pending')).toHaveText('0');
  await expect(page.getByTestId('sync-phase')).toHaveAttribute('data-phase', 'idle');
});
