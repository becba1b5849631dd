// Browser tests of the citizen's phone page against the real server (global
// setup runs checkin-server serving dist-citizen/ on a temp SQLite database):
// a phone-sized touch screen in both languages, in Debian's Chromium (never
// downloaded). One worker: the tests count what the server stored.
import { defineConfig } from '@playwright/test';
import { chromium } from './playwright.shared';
import type { Options } from './e2e-citizen/fixtures';


const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

export default defineConfig<Options>({
  testDir: 'e2e-citizen',
  testMatch: '*.spec.ts',
  outputDir: 'test-output/playwright-citizen',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e-citizen/global-setup.ts',
  use: {
    launchOptions: chromium(),
    timezoneId: 'Asia/Ho_Chi_Minh',
    locale: 'vi-VN',
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'vi-phone', use: { lang: 'vi', ...phone } },
    { name: 'en-phone', use: { lang: 'en', ...phone, locale: 'en-GB' } },
  ],
});
