// Kiosk: field errors that say how to fix them, the signed pass after a valid
// declaration, kiosk mode that needs the PIN to leave, reset after inactivity.
import type { Page } from '@playwright/test';
import { test, expect, type App } from './fixtures';

async function pickUnit(page: Page, id: string, text: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(text);
  await expect(page.locator(`#${id}-list [role=option]`).first()).toBeVisible();
  await input.press('Enter');
}

async function fillValid(app: App, page: Page): Promise<void> {
  await page.locator('#k-name').fill('Nguyễn Thị Lan');
  await page.locator('#k-birth-day').fill('15');
  await page.locator('#k-birth-month').fill('8');
  await page.locator('#k-birth').fill('1990');
  await page.locator('[data-field=gender] .choice').nth(1).click();
  await page.locator('#k-phone').fill('0912 345 678');
  await pickUnit(page, 'k-addr-province', 'ha noi');
  await expect(page.getByTestId('unit-province')).toHaveAttribute('data-value', '01');
  await pickUnit(page, 'k-addr-district', 'ba dinh');
  await pickUnit(page, 'k-addr-commune', 'truc bach');
  await expect(page.getByTestId('unit-commune')).toHaveAttribute('data-value', '00004');
  await page.locator('#k-street').fill('Số 2 Trúc Bạch');
  await page.locator('#k-place').fill('Hải Phòng');
  await page.getByTestId('place-add').click();
  for (const x of ['confirmed_or_suspected_case', 'person_from_affected_area', 'person_with_symptoms'])
    await page.locator(`[data-field="exposures.${x}"] input[value=no]`).check();
  await page.locator('#k-consent').check();
  void app;
}

test('empty form: every problem says how to fix it; server field errors land under their field', async ({ app, page }) => {
  await app.open('kiosk');
  await page.getByTestId('kiosk-submit').click();
  await expect(page.getByTestId('kiosk-errors')).toBeVisible();
  const field = (name: string) => page.locator(`[data-field="${name}"] [data-testid=field-error]`);
  await expect(field('full_name')).toHaveText(app.t('err.full_name.missing'));
  await expect(field('phone')).toHaveText(app.t('err.phone.missing'));
  await expect(field('birth')).toHaveText(app.t('err.birth.missing'));
  await expect(field('address.province_code')).toHaveText(app.t('err.province.missing'));
  await expect(field('consent')).toHaveText(app.t('err.consent.required'));
  await expect(field('exposures.person_with_symptoms')).toHaveText(app.t('err.exposure.missing'));
  // The first wrong field has the focus.
  await expect(page.locator('#k-name')).toBeFocused();
  await app.shot('kiosk-errors');

  await fillValid(app, page);
  await page.locator('#k-phone').fill('12ab');
  await page.getByTestId('kiosk-submit').click();
  await expect(field('phone')).toHaveText(app.t('err.phone.format'));
  await expect(page.locator('[data-testid=field-error]')).toHaveCount(1);

  // An error only the backend finds is shown under its field too.
  await page.locator('#k-phone').fill('0912345678');
  await app.fake((f) =>
    f.failNext('kiosk_declare', {
      code: 'invalid_declaration',
      message: 'invalid declaration: email must be an e-mail address like name@example.vn',
      fields: [{ field: 'email', problem: { problem: 'format', expected: 'an e-mail address like name@example.vn' } }],
    }),
  );
  await page.getByTestId('kiosk-submit').click();
  await expect(field('email')).toHaveText(app.t('err.email.format'));
  await expect(page.locator('#k-email')).toBeFocused();
});

test('a valid declaration shows the verdict and the signed pass, which the gate accepts', async ({ app, page }) => {
  await app.open('kiosk');
  await fillValid(app, page);
  await page.getByTestId('kiosk-submit').click();
  const result = page.getByTestId('kiosk-result');
  await expect(result).toHaveAttribute('data-level', 'green');
  const pass = page.getByTestId('pass');
  await expect(pass).toBeVisible();
  await expect(pass.getByTestId('pass-name')).toHaveText('Nguyễn Thị Lan');
  const text = await pass.getAttribute('data-pass-text');
  expect(text).toMatch(/^CKP1:/);
  await expect(pass.locator('img')).toHaveJSProperty('complete', true);
  expect(await pass.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('pass-print')).toBeVisible();
  await app.shot('kiosk-pass');

  const sent = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'kiosk_declare')[1].declaration);
  expect(sent).toMatchObject({
    full_name: 'Nguyễn Thị Lan',
    birth: '1990-08-15',
    gender: 'female',
    nationality: 'VN',
    phone: '0912 345 678',
    address: { province_code: '01', district_code: '001', commune_code: '00004', street: 'Số 2 Trúc Bạch' },
    places_visited: ['Hải Phòng'],
    consent: true,
  });

  // Print shows only the pass card.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('pass-print')).toBeHidden();
  await expect(page.getByTestId('pass')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  await page.getByTestId('kiosk-done').click();
  await expect(page.locator('#k-name')).toHaveValue('');

  // The citizen shows the pass at the gate.
  await page.locator('.tab[data-route=gate]').click();
  await app.scan(text ?? '');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('verdict-name')).toHaveText('Nguyễn Thị Lan');
});

test('kiosk mode needs a PIN set, hides navigation and needs the PIN to leave', async ({ app, page }) => {
  await app.open('kiosk');
  await page.getByTestId('kiosk-lock').click();
  await expect(page.getByTestId('kiosk-no-pin')).toContainText(app.t('kiosk.noPin'));
  await expect(page.locator('.topbar')).toBeVisible();
});

test('kiosk mode: navigation hidden, wrong PIN refused, right PIN leaves', async ({ app, page }) => {
  await app.open('kiosk', { pin: '2468' });
  await page.getByTestId('kiosk-lock').click();
  await expect(page.locator('.app')).toHaveAttribute('data-kiosk', 'locked');
  await expect(page.locator('.topbar')).toHaveCount(0);
  await app.shot('kiosk-locked');
  // No way out through the address bar either (nor a reload).
  await page.evaluate(() => (location.hash = '#/settings'));
  await expect(page.locator('.app')).toHaveAttribute('data-route', 'kiosk');
  await page.reload();
  await expect(page.locator('.app')).toHaveAttribute('data-kiosk', 'locked');
  await page.getByTestId('kiosk-unlock').click();
  await page.locator('#kiosk-pin').fill('1111');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-dialog').getByTestId('field-error')).toHaveText(app.t('kiosk.pinWrong'));
  await app.shot('kiosk-pin-wrong');
  await page.locator('#kiosk-pin').fill('2468');
  await page.getByTestId('pin-submit').click();
  await expect(page.locator('.app')).toHaveAttribute('data-kiosk', 'open');
  await expect(page.locator('.topbar')).toBeVisible();
});

test('inactivity shows a countdown, then clears the form', async ({ app, page }) => {
  await app.open('kiosk', { kioskIdle: { warnMs: 300, resetMs: 3500 } });
  await page.locator('#k-name').fill('Trần Văn Bảo');
  const countdown = page.getByTestId('idle-countdown');
  await expect(countdown).toBeVisible();
  await expect(countdown).toContainText(app.lang === 'vi' ? 'giây' : 'seconds');
  // "Still here" keeps the form.
  await page.getByTestId('idle-dialog').locator('button.btn-lg').click();
  await expect(page.locator('#k-name')).toHaveValue('Trần Văn Bảo');
  // Left alone, it is cleared.
  await expect(countdown).toBeVisible();
  await app.shot('kiosk-idle');
  await expect(page.locator('#k-name')).toHaveValue('', { timeout: 10_000 });
  await expect(countdown).toBeHidden();
});
