// Quarantine: who has not updated today comes first; daily update by list or
// by code; registration of a new person.
import { test, expect, CODES } from './fixtures';

test('the not-updated list comes first; an update moves the person to the updated list', async ({ app, page }) => {
  await app.open('quarantine');
  const due = page.getByTestId('q-due');
  await expect(due.getByTestId('q-case')).toHaveCount(2);
  await expect(page.getByTestId('q-done').getByTestId('q-case')).toHaveCount(1);
  // The due list is above the updated list, and highlighted.
  const dueBox = await due.boundingBox();
  const doneBox = await page.getByTestId('q-done').boundingBox();
  expect(dueBox && doneBox && (dueBox.y < doneBox.y || dueBox.x < doneBox.x)).toBeTruthy();
  await expect(due.getByTestId('q-case').first()).toHaveClass(/q-due/);
  await expect(page.getByTestId('quarantine-badge')).toHaveText('2');
  await app.shot('quarantine-due');

  await due.locator('[data-case-id=q-0002] [data-testid=q-update-open]').click();
  const dialog = page.getByTestId('q-update');
  await page.locator('#q-temp').fill('45');
  await dialog.getByTestId('q-update-submit').click();
  await expect(dialog.getByTestId('field-error')).toHaveText(app.t('q.tempError'));
  await page.locator('#q-temp').fill(app.lang === 'vi' ? '37,8' : '37.8');
  await dialog.locator('.choice', { hasText: app.t('symptom.cough') }).click();
  await page.locator('#q-note').fill('Ho nhẹ buổi sáng');
  await app.shot('quarantine-update');
  await dialog.getByTestId('q-update-submit').click();
  await expect(dialog).toBeHidden();
  await expect(due.getByTestId('q-case')).toHaveCount(1);
  const updated = page.getByTestId('q-done').locator('[data-case-id=q-0002]');
  await expect(updated).toContainText(app.lang === 'vi' ? '37,8 °C' : '37.8 °C');
  await expect(updated.locator('.tag-red')).toHaveCount(2); // the temperature and the update's verdict
  await expect(page.getByTestId('quarantine-badge')).toHaveText('1');
});

test('find by scanned code opens the update; an unknown person can be registered', async ({ app, page }) => {
  await app.open('quarantine');
  await page.locator('#q-find').fill(CODES.quarantined);
  await page.getByTestId('q-find-submit').click();
  await expect(page.getByTestId('q-update')).toContainText('Lê Văn Cường');
  await page.getByTestId('q-update').locator('button.btn-secondary').click();

  // A wedge scan of someone not followed yet.
  await page.locator('h1').click();
  await app.wedge(CODES.amber);
  await expect(page.getByTestId('q-not-found')).toBeVisible();

  await page.getByTestId('q-register-open').click();
  const dialog = page.getByTestId('q-register');
  await page.locator('#q-code').fill('');
  await dialog.getByTestId('q-register-submit').click();
  await expect(dialog.locator('[data-field=q-place] [data-testid=field-error]')).toHaveText(app.t('q.placeMissing'));
  await page.locator('#q-name').fill('Võ Thị Sáu');
  await page.locator('#q-idphone').fill('0977000111');
  await dialog.locator('.choice', { hasText: app.t('q.facility') }).click();
  await page.locator('#q-place').fill('Khu cách ly KTX Đại học Quốc gia');
  await page.locator('#q-end').fill('01/01/2000');
  await dialog.getByTestId('q-register-submit').click();
  await expect(dialog.locator('[data-field=q-end] [data-testid=field-error]')).toHaveText(app.t('q.endBeforeStart'));
  await app.shot('quarantine-register');
  const start = await page.locator('#q-start').inputValue();
  const [d, m, y] = start.split('/').map(Number);
  const end = new Date(y, m - 1, d + 21);
  await page.locator('#q-end').fill(`${String(end.getDate()).padStart(2, '0')}/${String(end.getMonth() + 1).padStart(2, '0')}/${end.getFullYear()}`);
  await dialog.getByTestId('q-register-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('q-due').getByTestId('q-case')).toHaveCount(3);
  await expect(page.getByTestId('q-due')).toContainText('Võ Thị Sáu');
  await expect(page.getByTestId('q-due')).toContainText(app.t('q.facility'));
});
