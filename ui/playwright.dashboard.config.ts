// Browser tests of the officials' dashboard against the real server: global
// setup runs checkin-server (serving dist-dashboard/) on a temp SQLite
// database seeded through the station CLI; every page in both languages at
// desktop and tablet-portrait size, in Debian's Chromium (never downloaded).
import { defineConfig } from '@playwright/test';
import { chromium } from './playwright.shared';
import type { Options } from './e2e-dashboard/fixtures';


const desktop = { width: 1280, height: 800 };
const tablet = { width: 800, height: 1280 };

export default defineConfig<Options>({
  testDir: 'e2e-dashboard',
  testMatch: '*.spec.ts',
  outputDir: 'test-output/playwright-dashboard',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: Number(process.env.UI_TEST_WORKERS ?? 2),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e-dashboard/global-setup.ts',
  use: {
    launchOptions: chromium(),
    timezoneId: 'Asia/Ho_Chi_Minh',
    locale: 'vi-VN',
    acceptDownloads: true,
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'vi-desktop', use: { lang: 'vi', viewport: desktop } },
    { name: 'en-desktop', use: { lang: 'en', viewport: desktop, locale: 'en-GB' } },
    { name: 'vi-tablet', use: { lang: 'vi', viewport: tablet, hasTouch: true } },
    { name: 'en-tablet', use: { lang: 'en', viewport: tablet, hasTouch: true, locale: 'en-GB' } },
  ],
});
