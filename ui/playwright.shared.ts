// What every browser-test suite shares: Debian's Chromium (CHROMIUM, default
// /usr/bin/chromium, never downloaded), headless, with no background traffic.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options for Debian's Chromium with `extra` arguments. */
export function chromium(extra: string[] = []) {
  return { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extra] };
}
