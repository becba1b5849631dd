// Settings: enrollment by pasting or scanning the code, language, hold time,
// venue, kiosk PIN.
import { test, expect } from './fixtures';

test('enroll a new device: a code without address asks for the server URL', async ({ app, page }) => {
  await app.open('settings', { enrolled: false });
  await expect(page.getByTestId('enrollment')).toHaveAttribute('data-enrolled', 'false');
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'not_enrolled');
  await app.shot('settings-not-enrolled');
  await page.locator('#enroll-code').fill('not a code');
  await page.getByTestId('enroll-submit').click();
  await expect(page.locator('[data-field=enroll-code] [data-testid=field-error]')).toHaveText(app.t('set.badCode'));

  await page.locator('#enroll-code').fill('CKE1:Q7m2K9xPz4Tt8Lw3');
  await expect(page.locator('#enroll-url')).toBeVisible();
  await page.locator('#enroll-url').fill('ftp://x');
  await page.getByTestId('enroll-submit').click();
  await expect(page.locator('[data-field=enroll-url] [data-testid=field-error]')).toHaveText(app.t('set.badUrl'));
  await page.locator('#enroll-url').fill('https://checkin.soyte.hanoi.gov.vn');
  await page.locator('#enroll-label').fill('Cổng chính');
  await app.shot('settings-enroll-form');
  await page.getByTestId('enroll-submit').click();
  await expect(page.getByTestId('enrollment')).toHaveAttribute('data-enrolled', 'true');
  await expect(page.getByTestId('enrolled-server')).toHaveText('https://checkin.soyte.hanoi.gov.vn');
  await expect(page.getByTestId('status-chip')).toHaveAttribute('data-state', 'online');
  const input = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'enroll')[1].input);
  expect(input).toEqual({ code: 'CKE1:Q7m2K9xPz4Tt8Lw3', server_url: 'https://checkin.soyte.hanoi.gov.vn', label: 'Cổng chính', force: false });
});

test('a wedge-scanned enrollment code fills the form; server errors say what to do', async ({ app, page }) => {
  await app.open('settings', { enrolled: false });
  await page.locator('h1').click();
  await app.wedge('CKE1:expiredToken77@https://checkin.example.vn');
  await expect(page.locator('#enroll-code')).toHaveValue('CKE1:expiredToken77@https://checkin.example.vn');
  await expect(page.locator('#enroll-url')).toHaveCount(0);
  await page.getByTestId('enroll-submit').click();
  await expect(page.getByTestId('enrollment').getByTestId('error')).toContainText(app.t('errc.token_expired'));
  await expect(page.getByTestId('enrollment').getByTestId('error-code')).toHaveText('token_expired');
  await app.shot('settings-enroll-error');
});

test('language, hold time, venue and kiosk PIN are saved', async ({ app, page }) => {
  await app.open('settings');
  const other = app.lang === 'vi' ? 'en' : 'vi';
  await page.locator(`[data-field=set-language] input[value=${other}]`).check();
  await expect(page.locator('.app')).toHaveAttribute('data-lang', other);
  await expect(page.locator('h1')).toHaveText(other === 'vi' ? 'Cài đặt' : 'Settings');
  await expect(page.locator('html')).toHaveAttribute('lang', other);
  await page.getByTestId('lang-switch').locator(`[data-lang=${app.lang}]`).click();
  await expect(page.locator('.app')).toHaveAttribute('data-lang', app.lang);
  const langs = await app.fake((f) =>
    f.calls.filter((c: [string]) => c[0] === 'settings_update').map((c: [string, { patch: unknown }]) => c[1].patch),
  );
  expect(langs).toEqual([{ language: other }, { language: app.lang }]);

  await page.locator('#set-hold').fill('61');
  await page.getByTestId('hold-save').click();
  await expect(page.locator('[data-field=set-hold] [data-testid=field-error]')).toHaveText(app.t('set.holdError'));
  await page.locator('#set-hold').fill('30');
  await page.getByTestId('hold-save').click();
  await expect(page.locator('[data-field=set-hold] [data-testid=field-error]')).toHaveCount(0);

  await page.locator('#set-venue').selectOption('01-00001-P3X8D2');
  await expect(page.locator('.brand-venue')).toHaveText('Chợ Phúc Xá');
  await page.locator('#set-camera').selectOption('webview');

  await expect(page.getByTestId('pin-state')).toHaveAttribute('data-set', 'false');
  await page.locator('#pin-new').fill('12');
  await page.getByTestId('pin-save').click();
  await expect(page.locator('[data-field=pin-new] [data-testid=field-error]')).toHaveText(app.t('set.pinFormat'));
  await page.locator('#pin-new').fill('2468');
  await page.locator('#pin-confirm').fill('2469');
  await page.getByTestId('pin-save').click();
  await expect(page.locator('[data-field=pin-confirm] [data-testid=field-error]')).toHaveText(app.t('set.pinMismatch'));
  await page.locator('#pin-confirm').fill('2468');
  await page.getByTestId('pin-save').click();
  await expect(page.getByTestId('pin-state')).toHaveAttribute('data-set', 'true');
  await expect(page.locator('#pin-old')).toBeVisible();
  await app.shot('settings-saved', true);

  const patches = await app.fake((f) =>
    f.calls.filter((c: [string]) => c[0] === 'settings_update').map((c: [string, { patch: unknown }]) => c[1].patch),
  );
  expect(patches.slice(2)).toEqual([{ hold_seconds: 30 }, { venue_id: '01-00001-P3X8D2' }, { camera: 'webview' }]);

  // With a PIN set, kiosk mode can start.
  await page.locator('.tab[data-route=kiosk]').click();
  await page.getByTestId('kiosk-lock').click();
  await expect(page.locator('.app')).toHaveAttribute('data-kiosk', 'locked');
});
