// Gatekeeper: verdicts from pushed scan events, wedge scanners, manual entry,
// entry/exit, repeats, codes that are not check-ins, the benchmark hook.
import { test, expect, CODES } from './fixtures';

test('scan events paint green, amber and red verdicts with words, not colour alone', async ({ app, page }) => {
  await app.open('gate');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-level', 'none');

  await app.scan(CODES.green);
  await expect(verdict).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.green'));
  await expect(page.getByTestId('verdict-name')).toHaveText('NGUYEN VAN A');
  await expect(verdict).toHaveCSS('background-color', 'rgb(20, 108, 52)');
  await app.shot('gate-green');

  await app.scan(CODES.amber);
  await expect(verdict).toHaveAttribute('data-level', 'amber');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.amberNoDecl'));
  await expect(verdict.locator('[data-action=kiosk]')).toBeVisible();
  await expect(verdict.locator('[data-action=paper]')).toBeVisible();
  await app.shot('gate-amber');

  await app.scan(CODES.red);
  await expect(verdict).toHaveAttribute('data-level', 'red');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.red'));
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.t('symptom.fever'));
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.t('gate.redHint'));
  await app.shot('gate-red');

  await app.scan(CODES.quarantined);
  await expect(verdict).toHaveAttribute('data-level', 'red');
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.lang === 'vi' ? 'cách ly' : 'quarantine');

  // Recent scans: newest first, four new ones on top of the two seeded.
  const items = page.getByTestId('recent-scans').locator('li');
  await expect(items).toHaveCount(6);
  await expect(items.first()).toHaveAttribute('data-level', 'red');
  await expect(items.nth(3)).toHaveAttribute('data-level', 'green');

  // The benchmark hook got one latency per scan event, after paint.
  await expect.poll(async () => (await app.latencies()).length).toBe(4);
  for (const ms of await app.latencies()) {
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(5000);
  }
});

test('repeat scan shows a small note, not a new verdict; not-check-in codes are grey', async ({ app, page }) => {
  await app.open('gate');
  const verdict = page.getByTestId('verdict');
  await app.scan(CODES.green);
  await expect(verdict).toHaveAttribute('data-level', 'green');
  await app.scan(CODES.green);
  await expect(page.getByTestId('repeat-note')).toBeVisible();
  await expect(verdict).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('recent-scans').locator('li')).toHaveCount(3);

  await app.scan(CODES.venue);
  await expect(verdict).toHaveAttribute('data-level', 'none');
  await expect(verdict).toHaveAttribute('data-tone', 'grey');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.notCheckin'));
  await expect(verdict).toContainText(app.t('kind.venue'));
  await expect(page.getByTestId('repeat-note')).toBeHidden();

  await app.scan(CODES.damaged);
  await expect(verdict).toContainText(app.t('gate.notCheckin.damaged'));
  await app.shot('gate-not-checkin');
  await verdict.locator('[data-action=manual]').click();
  await expect(page.getByTestId('manual-dialog')).toBeVisible();
});

test('a vaccine passport shows its kind, the holder and the verdict; refused ones say why', async ({ app, page }) => {
  await app.open('gate');
  const verdict = page.getByTestId('verdict');
  await app.scan('HC1:DEMO-VALID-VACCINATION');
  await expect(verdict).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('verdict-name')).toHaveText('Nguyễn Văn An');
  await expect(verdict).toContainText(app.t('gate.certificateValid'));
  await expect(verdict).toContainText(app.t('kind.dcc'));
  await app.shot('gate-dcc-green');

  await app.scan('HC1:DEMO-OLD-TEST');
  await expect(verdict).toHaveAttribute('data-level', 'red');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.red'));
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.lang === 'vi' ? 'Xét nghiệm đã quá thời hạn' : 'The test is too old');
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.t('gate.certificateRedHint'));
  await app.shot('gate-dcc-red');

  // Its signer is not in the trust list: red, and no name is shown.
  await app.scan('HC1:NCFOXN%TS3DH');
  await expect(verdict).toHaveAttribute('data-level', 'red');
  await expect(page.getByTestId('verdict-reasons')).toContainText(app.t('certReason.unknown_key'));
  await expect(page.getByTestId('verdict-name')).toHaveCount(0);
});

test('a tampered pass is refused in red with the reason in words', async ({ app, page }) => {
  await app.open('gate');
  const pass = await app.fake((f) => f.issuePass('PHẠM MINH TUẤN').text as string);
  const tampered = pass.replace(/^(CKP1:.)(.)/, (_m: string, a: string, b: string) => a + (b === 'A' ? 'B' : 'A'));
  await app.scan(tampered);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-level', 'red');
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.passRefused'));
  await expect(verdict).toContainText(app.t('passProblem.bad_signature'));
  await app.shot('gate-pass-refused');

  await app.scan(pass);
  await expect(verdict).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('verdict-name')).toHaveText('PHẠM MINH TUẤN');
});

test('a USB wedge scanner works without focusing a field; typing in a field is left alone', async ({ app, page }) => {
  await app.open('gate');
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await app.wedge(CODES.green);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('recent-scans').locator('li').first()).toContainText('NGUYEN VAN A');
  const calls = await app.fake((f) => f.calls.filter((c: [string]) => c[0] === 'gate_admit').length as number);
  expect(calls).toBe(1);

  // The same keys typed slowly by a person are not a scan.
  // (gate_admit is called inside the Enter keydown, so the count is final here.)
  await app.wedge('001098012345', 150);
  expect(await app.fake((f) => f.calls.filter((c: [string]) => c[0] === 'gate_admit').length as number)).toBe(1);

  // In the typed-code field the keys go to the field; Enter submits that form.
  const field = page.locator('#gate-code');
  await field.click();
  await page.keyboard.type(CODES.amber);
  await expect(field).toHaveValue(CODES.amber);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-level', 'amber');
  await expect(field).toHaveValue('');
});

test('entry/exit toggle and manual entry for people without a code', async ({ app, page }) => {
  await app.open('gate');
  await page.getByTestId('direction').locator('[data-direction=out]').click();
  await expect(page.getByTestId('direction').locator('[data-direction=out]')).toHaveAttribute('aria-pressed', 'true');
  // Camera scans follow the toggle (gate_set_direction).
  await expect.poll(() => app.fake((f) => f.calls.filter((c: [string]) => c[0] === 'gate_set_direction').at(-1)?.[1])).toEqual({ direction: 'out' });
  await app.scan(CODES.red);
  // Leaving needs no health check: the exit is recorded.
  await expect(page.getByTestId('verdict-title')).toHaveText(app.t('gate.greenOut'));
  await expect(page.getByTestId('recent-scans').locator('li').first()).toContainText(app.t('dir.out'));
  await page.getByTestId('direction').locator('[data-direction=in]').click();

  await page.getByTestId('manual-open').click();
  const dialog = page.getByTestId('manual-dialog');
  await dialog.getByTestId('manual-submit').click();
  await expect(dialog.getByTestId('field-error')).toHaveCount(2);
  await expect(dialog.locator('[data-field=manual-name]')).toContainText(app.t('manual.nameMissing'));
  await app.shot('gate-manual-errors');
  await page.locator('#manual-name').fill('Đặng Thu Hà');
  await page.locator('#manual-id').fill('0912 345 678');
  await page.locator('#manual-birth').fill('1985');
  await dialog.getByTestId('manual-submit').click();
  await expect(dialog).toBeHidden();
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-level', 'amber');
  await expect(page.getByTestId('verdict-name')).toHaveText('Đặng Thu Hà');
  await expect(page.getByTestId('recent-scans').locator('li').first()).toContainText(app.t('dir.in'));
  const args = await app.fake((f) => f.calls.find((c: [string]) => c[0] === 'gate_manual')[1]);
  expect(args).toEqual({
    person: { full_name: 'Đặng Thu Hà', id_number: null, phone: '0912345678', birth_year: 1985 },
    direction: 'in',
  });

  // Amber offers the paper form, with the name handed over.
  await verdict.locator('[data-action=paper]').click();
  await expect(page.locator('#p-name')).toHaveValue('Đặng Thu Hà');
});

test('the webview camera sends luma frames of at most 960 px to camera_frame', async ({ app, page }) => {
  await app.open('gate', { camera: 'webview' });
  const panel = page.getByTestId('camera-panel');
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(panel.locator('video')).toBeVisible();
  await expect.poll(() => app.fake((f) => f.frames.count as number), { timeout: 10_000 }).toBeGreaterThan(2);
  const frames = await app.fake((f) => ({ ...f.frames }));
  expect(frames.width).toBeGreaterThan(0);
  expect(frames.width).toBeLessThanOrEqual(960);
  expect(await app.fake((f) => f.calls.filter((c: [string]) => c[0] === 'camera_start').map((c: [string, unknown]) => c[1]))).toEqual([
    { source: 'webview' },
  ]);
  await app.shot('gate-webview');
  // Leaving the gate stops the camera.
  await page.locator('.tab[data-route=sync]').click();
  await expect.poll(() => app.fake((f) => f.calls.some((c: [string]) => c[0] === 'camera_stop'))).toBe(true);
});
