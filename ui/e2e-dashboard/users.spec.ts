// Accounts against the real server: the province's admin adds an account
// (a login of this project's own), the new official logs in in another
// browser, the admin disables the account and the official's very next
// request ends their session; enabled again, a new password, a new role,
// each confirmed in a dialog; the lookup log lists every change. Viewers
// and tracers have no users page, and the API refuses them.
import { formatIsoDate } from '../src/shared/format';
import { test, expect, Dash } from './fixtures';
import { PASSWORD, USERS } from './seed';

const NEW_PASSWORD = 'mật khẩu của cán bộ mới';

test('an admin adds an account; disabled, its open session ends at once', async ({ dash, page, browser }, info) => {
  const login = `moi.${info.project.name}`;
  await dash.login('admin', '#/users');
  await expect(page.locator('.tab[data-route=users]')).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveTitle(`${dash.t('nav.users')} — ${dash.t('app.name')}`);
  await expect(page.locator('#report-title')).toHaveText(dash.t('users.title'));
  const table = page.getByTestId('users-table');
  const district = table.locator(`tbody tr[data-login="${USERS.district.login}"]`);
  await expect(district.locator('[data-col=role]')).toHaveText(dash.t('role.viewer'));
  await expect(district.locator('[data-col=area]')).toContainText('Huyện Quan Sơn');
  await expect(district.locator('[data-col=status]')).toHaveText(dash.t('users.active'));
  const own = table.locator(`tbody tr[data-login="${USERS.admin.login}"]`);
  await expect(own.locator('[data-col=login]')).toContainText(dash.t('users.you'));
  await expect(own.locator('[data-action=disable]')).toHaveCount(0);
  await dash.expectFits();
  await dash.shot('users');

  // The form: checked in the page first, then sent.
  await page.getByTestId('user-add-open').click();
  const form = page.getByTestId('user-form');
  await form.getByLabel(dash.t('users.login'), { exact: true }).fill('Cán Bộ Mới');
  await page.locator('#new-password').fill('ngắn');
  await page.getByTestId('user-create').click();
  await expect(form.locator('[data-field=new-login] [data-testid=field-error]')).toHaveText(dash.t('users.err.loginFormat'));
  await expect(form.locator('[data-field=new-password] [data-testid=field-error]')).toHaveText(dash.t('users.err.passwordShort', { n: 10 }));
  await form.getByLabel(dash.t('users.login'), { exact: true }).fill(login);
  await page.locator('#new-password').fill(PASSWORD);
  const area = page.getByTestId('new-area');
  await area.click();
  await area.fill('trung xuan');
  await page.locator('#new-area-opt-14995').click();
  await expect(area).toHaveAttribute('data-value', '14995');
  // Only the admin's own province is offered.
  await area.click();
  await area.fill('ha noi');
  await expect(page.locator('#new-area-list [role=option]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(area).toHaveAttribute('data-value', '14995');
  await page.getByTestId('new-role-tracer').check();
  await dash.expectFits();
  await dash.shot('users-add');
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('users-done')).toHaveText(dash.t('users.created', { login }));
  const mine = table.locator(`tbody tr[data-login="${login}"]`);
  await expect(mine.locator('[data-col=role]')).toHaveText(dash.t('role.tracer'));
  await expect(mine.locator('[data-col=area]')).toContainText('Xã Trung Xuân');
  // The same login again is refused at its field.
  await page.getByTestId('user-add-open').click();
  await form.getByLabel(dash.t('users.login'), { exact: true }).fill(login);
  await page.locator('#new-password').fill(PASSWORD);
  await page.getByTestId('user-create').click();
  await expect(form.locator('[data-field=new-login] [data-testid=field-error]')).toHaveText(dash.t('err.login_taken'));
  await page.getByTestId('user-add-cancel').click();

  // The new official logs in, in a browser of their own.
  const context = await browser.newContext({
    viewport: page.viewportSize(),
    locale: dash.lang === 'vi' ? 'vi-VN' : 'en-GB',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const other = new Dash(await context.newPage(), dash.lang, info.project.name);
  await other.open();
  await other.page.getByLabel(other.t('login.login'), { exact: true }).fill(login);
  await other.page.getByLabel(other.t('login.password'), { exact: true }).fill(PASSWORD);
  await other.page.getByTestId('login-submit').click();
  await expect(other.page.getByTestId('user-login')).toHaveText(login);
  await expect(other.page.getByTestId('user-role')).toHaveText(other.t('role.tracer'));
  await expect(other.page.getByTestId('user-area')).toHaveText('Xã Trung Xuân');
  await expect(other.page.locator('.tab[data-route=trace]')).toBeVisible();
  await expect(other.page.locator('.tab[data-route=users]')).toHaveCount(0);

  // Disabled: confirmed first, then the official's next request is refused.
  await mine.locator('[data-action=disable]').click();
  const dialog = page.getByTestId('user-dialog');
  await expect(dialog.getByRole('heading')).toHaveText(dash.t('users.confirmDisable', { login }));
  await dash.shot('users-disable', false);
  await dialog.getByTestId('user-dialog-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('users-done')).toHaveText(dash.t('users.done.disable', { login }));
  await expect(mine).toHaveAttribute('data-disabled', 'true');
  await expect(mine.locator('[data-col=status]')).toHaveText(dash.t('users.disabledSince', { date: formatIsoDate(dash.facts.days.today) }));
  await other.page.locator('.tab[data-route=silent-points]').click();
  await expect(other.page.getByTestId('login-notice')).toHaveAttribute('data-notice', 'expired');
  await expect(other.page.getByTestId('login-notice')).toHaveText(other.t('login.expired'));
  expect((await other.page.request.get(`${other.api}/me`)).status()).toBe(401);

  // Enabled again, with a new password and another role.
  await mine.locator('[data-action=enable]').click();
  await expect(dialog.getByRole('heading')).toHaveText(dash.t('users.confirmEnable', { login }));
  await dialog.getByTestId('user-dialog-submit').click();
  await expect(mine).toHaveAttribute('data-disabled', 'false');
  await mine.locator('[data-action=password]').click();
  await dialog.locator('#reset-password').fill(NEW_PASSWORD);
  await dialog.getByTestId('reset-password-show').click();
  await expect(dialog.locator('#reset-password')).toHaveAttribute('type', 'text');
  await dash.shot('users-password', false);
  await dialog.getByTestId('user-dialog-submit').click();
  await expect(page.getByTestId('users-done')).toHaveText(dash.t('users.done.password', { login }));
  await mine.locator('[data-action=role]').click();
  await dialog.getByTestId('set-role-viewer').check();
  await dash.shot('users-role', false);
  await dialog.getByTestId('user-dialog-submit').click();
  await expect(mine.locator('[data-col=role]')).toHaveText(dash.t('role.viewer'));

  // The new password logs in, as a viewer now.
  await other.page.getByLabel(other.t('login.login'), { exact: true }).fill(login);
  await other.page.getByLabel(other.t('login.password'), { exact: true }).fill(NEW_PASSWORD);
  await other.page.getByTestId('login-submit').click();
  await expect(other.page.getByTestId('user-role')).toHaveText(other.t('role.viewer'));
  await expect(other.page.locator('.tab[data-route=trace]')).toHaveCount(0);
  expect(other.errors, 'page errors').toEqual([]);
  await context.close();

  // Every change is in the lookup log, by the admin.
  await page.locator('.tab[data-route=audit]').click();
  const log = page.getByTestId('audit-table').locator('tbody tr', { hasText: login });
  await expect(log).toHaveCount(5);
  await expect(log.first().locator('[data-col=action]')).toHaveText(dash.t('audit.user_role'));
  await expect(log.last().locator('[data-col=action]')).toHaveText(dash.t('audit.user_add'));
  await expect(log.last().locator('[data-col=login]')).toContainText(USERS.admin.login);
  await expect(page.getByTestId('audit-table')).not.toContainText(PASSWORD);
  await dash.expectFits();
  await dash.shot('users-audit', false);
});

test('viewers and tracers have no users page; the API refuses them', async ({ dash, page }) => {
  for (const who of ['district', 'tracer'] as const) {
    await page.context().clearCookies();
    await dash.login(who);
    await expect(page.locator('.tab[data-route=users]')).toHaveCount(0);
    await page.goto(`${dash.url}#/users`);
    await expect(page.getByTestId('not-allowed')).toHaveText(dash.t('users.notAllowed'));
    await expect(page.getByTestId('users-table')).toHaveCount(0);
    const list = await page.request.get(`${dash.api}/users`);
    expect(list.status(), who).toBe(403);
    expect((await list.json()).error).toBe('role');
    const add = await dash.post('users', { login: `khong.${who}`, password: PASSWORD, role: 'admin', area_code: '38' });
    expect(add.status(), who).toBe(403);
    const disable = await dash.post(`users/${USERS.province.login}/disable`, {});
    expect(disable.status(), who).toBe(403);
  }
  await dash.shot('users-not-allowed', false);
  // Still able to log in: nothing was changed.
  await page.context().clearCookies();
  await dash.login('province');
});
