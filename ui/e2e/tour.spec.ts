// Every screen, as the project's language and size show it: screenshots for
// people to look at, and checks that nothing spills sideways and that every
// control is big enough to touch.
import { test, expect } from './fixtures';

const ROUTES = ['gate', 'kiosk', 'paper', 'quarantine', 'sync', 'settings'] as const;

for (const route of ROUTES) {
  test(`tour: ${route}`, async ({ app, page }) => {
    await app.open(route);
    await expect(page.locator(`.tab[data-route=${route}]`)).toHaveAttribute('aria-current', 'page');
    // ui_ready once, after the first screen painted with real status.
    await expect.poll(() => app.fake((f) => f.uiReadyCalls as number)).toBe(1);
    await app.shot(`tour-${route}`);
    await app.shot(`tour-${route}-full`, true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page wider than the window').toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, input:not([type=checkbox]):not([type=radio]), select, .choice, .tab')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 44),
    );
    expect(small, 'controls under 44 px').toEqual([]);
  });
}
