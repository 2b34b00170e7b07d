import { test as base, expect, type Locator, type Page } from '@playwright/test';

export { expect };

/** What each page printed to its console as errors, and its uncaught exceptions (a panic in the
 * WASM bundle shows here), so that a page that does not hydrate says why. */
const pageErrors = new WeakMap<Page, string[]>();

/** Playwright's `test` with every page's errors recorded from its first navigation on. */
export const test = base.extend<{ recordErrors: void }>({
  recordErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      pageErrors.set(page, errors);
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      await use();
    },
    { auto: true },
  ],
});

/** Waits until the WASM bundle has hydrated the page (frontend sets the attribute). The first
 * page of a run compiles the debug bundle cold, which took over 5 s once on 2 busy cores. */
export async function hydrated(page: Page) {
  try {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
  } catch (e) {
    // Say what the page loaded (and how long it took) so an unhydrated page can be diagnosed.
    const loaded = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((r: any) => `${r.name} ${Math.round(r.duration)} ms ${r.responseStatus ?? ''}`),
    );
    const errors = pageErrors.get(page) ?? [];
    throw new Error(
      `${page.url()} did not hydrate; errors: ${errors.join(' | ') || 'none'}; resources: ${loaded.join('; ')}\n${e}`,
    );
  }
}

/** Waits until the chart box has been drawn by ECharts and returns how many points it shows. */
export async function drawnPoints(chart: Locator): Promise<number> {
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  return Number(await chart.getAttribute('data-points'));
}

/** The option ECharts holds for a chart box (what is really on the canvas). */
export async function chartOption(chart: Locator): Promise<any> {
  return chart.evaluate((el) => {
    const instance = (window as any).echarts.getInstanceByDom(el);
    const option = instance.getOption();
    return {
      title: option.title?.[0]?.text,
      yAxisType: option.yAxis?.[0]?.type,
      series: option.series.map((s: any) => ({ name: s.name, type: s.type, n: s.data.length, first: s.data[0] })),
    };
  });
}
