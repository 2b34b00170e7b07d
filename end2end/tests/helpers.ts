import { expect, type Locator, type Page } from '@playwright/test';

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
    throw new Error(`${page.url()} did not hydrate; resources: ${loaded.join('; ')}\n${e}`);
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
