// Browser tests: the built app (dist/) on the fake backend in Debian's
// Chromium, every screen in both languages at desktop and tablet-portrait size.
// Never downloads a browser: CHROMIUM (default /usr/bin/chromium) is used as is.
import { defineConfig } from '@playwright/test';
import { chromium } from './playwright.shared';
import type { Options } from './e2e/fixtures';


const desktop = { width: 1280, height: 800 };
const tablet = { width: 800, height: 1280 };

export default defineConfig<Options>({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-output/playwright',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: Number(process.env.UI_TEST_WORKERS ?? 2),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    // A synthetic camera for the webview camera path (getUserMedia), no prompt.
    launchOptions: chromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
    timezoneId: 'Asia/Ho_Chi_Minh',
    locale: 'vi-VN',
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'vi-desktop', use: { lang: 'vi', viewport: desktop } },
    { name: 'en-desktop', use: { lang: 'en', viewport: desktop } },
    { name: 'vi-tablet', use: { lang: 'vi', viewport: tablet, hasTouch: true } },
    { name: 'en-tablet', use: { lang: 'en', viewport: tablet, hasTouch: true } },
  ],
});
