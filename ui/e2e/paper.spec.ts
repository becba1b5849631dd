// Paper entry: keyboard only (autofocus, Tab, Enter, pickers by typing), the
// same-day warning, clearing for the next paper while keeping date and time.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** The time now in Vietnam, "HH:MM": written on a paper of today, never in the future. */
function vietnamHm(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(11, 16);
}

async function typeInto(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

test('a paper declaration typed with the keyboard only; same-day warning; form clears for the next paper', async ({ app, page }) => {
  await app.open('paper');
  await expect(page.locator('#p-name')).toBeFocused();
  const date = await page.locator('#p-date').inputValue();
  const hm = vietnamHm();
  await page.locator('#p-time').fill(hm);
  await page.locator('#p-name').focus();

  // Name, ID of someone who already declared at the kiosk today.
  await typeInto(page, 'NGUYEN VAN A');
  await page.keyboard.press('Tab');
  await typeInto(page, '001098012345');
  await expect(page.getByTestId('same-day')).toBeVisible();
  await expect(page.getByTestId('same-day').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('same-day')).toContainText(app.t('paper.sameDayTitle'));
  await page.keyboard.press('Tab');
  await typeInto(page, '15/08/1998');
  await page.keyboard.press('Tab'); // gender group: arrow keys pick
  await page.keyboard.press('Space');
  await expect(page.locator('[data-field=gender] input[value=male]')).toBeChecked();
  await page.keyboard.press('Tab');
  await typeInto(page, '0987 111 222');
  await page.keyboard.press('Tab'); // nationality keeps VN
  await page.keyboard.press('Tab'); // email (optional)
  await page.keyboard.press('Tab');
  await expect(page.locator('#p-addr-province')).toBeFocused();
  await typeInto(page, 'ha noi');
  // The list is loaded from the backend: pick once it shows a match.
  await expect(page.locator('#p-addr-province-list [role=option]').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#p-addr-district')).toBeFocused();
  await typeInto(page, 'ba dinh');
  // Hà Nội's districts load once the province is picked: a Tab before they
  // arrive picks Ba Đình later, but focus has already passed the commune
  // picker, which is still disabled then.
  await expect(page.locator('#p-addr-district-list [role=option]').first()).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('unit-district')).toHaveAttribute('data-value', '001');
  await typeInto(page, 'phuc xa');
  await expect(page.locator('#p-addr-commune-list [role=option]').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('unit-commune')).toHaveAttribute('data-value', '00001');
  await expect(page.locator('#p-street')).toBeFocused();
  await typeInto(page, '12 Phúc Xá');
  await app.shot('paper-same-day');
  await page.keyboard.press('Enter');

  const saved = page.getByTestId('paper-saved');
  await expect(saved).toBeVisible();
  await expect(saved).toContainText('NGUYEN VAN A');
  await expect(page.locator('#p-name')).toHaveValue('');
  await expect(page.locator('#p-name')).toBeFocused();
  await expect(page.locator('#p-date')).toHaveValue(date);
  await expect(page.locator('#p-time')).toHaveValue(hm);
  await expect(page.getByTestId('same-day')).toBeHidden();
  await app.shot('paper-saved');

  const input = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'paper_declare')[1].input);
  expect(input.written_at).toMatch(new RegExp(`T${hm}:00\\+07:00$`));
  expect(input.direction).toBeNull();
  expect(input.declaration).toMatchObject({
    full_name: 'NGUYEN VAN A',
    id_number: '001098012345',
    birth: '1998-08-15',
    gender: 'male',
    address: { province_code: '01', district_code: '001', commune_code: '00001', street: '12 Phúc Xá' },
    consent: true,
  });
});

test('wrong date, time and missing fields are explained; a logbook line is saved with Enter', async ({ app, page }) => {
  await app.open('paper');
  await page.locator('#p-date').fill('31/02/2021');
  await page.locator('#p-time').fill('25:00');
  await page.locator('#p-name').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-field=written_date] [data-testid=field-error]')).toHaveText(app.t('paper.errDate'));
  await expect(page.locator('[data-field=written_time] [data-testid=field-error]')).toHaveText(app.t('paper.errTime'));
  await expect(page.locator('[data-field=full_name] [data-testid=field-error]')).toHaveText(app.t('err.full_name.missing'));
  await expect(page.locator('[data-field=gender] [data-testid=field-error]')).toHaveText(app.t('err.gender.missing'));
  // The paper's date is wrong: it gets the focus first.
  await expect(page.locator('#p-date')).toBeFocused();
  await app.shot('paper-errors');

  await page.getByTestId('paper-mode').locator('[data-mode=visit]').click();
  await expect(page.locator('#p-name')).toBeFocused();
  await page.locator('#p-date').fill('23/11/2021');
  await page.locator('#p-time').fill('8h30');
  await page.locator('#p-name').fill('Bùi Thị Nga');
  await page.locator('#p-idphone').fill('0903123456');
  await page.locator('[data-field=p-direction] input[value=out]').check();
  await page.locator('[data-field=p-direction] input[value=out]').press('Enter');
  await expect(page.getByTestId('paper-saved')).toContainText('Bùi Thị Nga');
  await expect(page.locator('#p-date')).toHaveValue('23/11/2021');
  const input = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'paper_visit')[1].input);
  expect(input).toEqual({
    person: { full_name: 'Bùi Thị Nga', id_number: null, phone: '0903123456', birth_year: null },
    written_at: '2021-11-23T08:30:00+07:00',
    direction: 'out',
  });
});
