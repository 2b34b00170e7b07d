// The crypto pages against the real server with the imported reference data: charts drawn with
// data, the token and range selectors, overlays, the market page, and errors.
import { DATA_URL, EMPTY_URL } from '../playwright.config';
import { expect, test, chartOption, drawnPoints, hydrated } from './helpers';

const TOKEN_CHARTS = ['price', 'volume', 'rsi', 'macd', 'histogram', 'volatility', 'drawdown'];

test('the token page draws every chart with data', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto/BTC`);
  await hydrated(page);
  await expect(page.getByTestId('token-title')).toHaveText('Bitcoin · BTC');
  for (const name of TOKEN_CHARTS) {
    const points = await drawnPoints(page.getByTestId(`chart-${name}`));
    expect(points, name).toBeGreaterThan(10);
  }
  const price = await chartOption(page.getByTestId('chart-price'));
  expect(price.title).toBe('BTC price');
  // The last year: 365 candles, and SMA 20/50/200 plus the two Bollinger bands over them.
  expect(price.series.map((s: any) => s.n)).toEqual([365, 365, 365, 365, 365, 365]);
  expect(price.series[0].type).toBe('candlestick');
  // SMA 200 is defined from the first day shown: the warm-up rows came with the page.
  expect(price.series[3].name).toBe('SMA 200');
  expect(price.series[3].first).not.toBeNull();
});

test('changing the token redraws the charts with that token', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto/BTC`);
  await hydrated(page);
  const chart = page.getByTestId('chart-price');
  await drawnPoints(chart);
  const btc = await chartOption(chart);
  await page.getByTestId('token-select').selectOption('ETH');
  await expect(page).toHaveURL(`${DATA_URL}/crypto/ETH`);
  await expect(page.getByTestId('token-title')).toHaveText('Ethereum · ETH');
  await expect.poll(async () => (await chartOption(chart)).title).toBe('ETH price');
  const eth = await chartOption(chart);
  expect(eth.series[0].first).not.toEqual(btc.series[0].first);
  // BTC traded far above ETH over the same year.
  expect(btc.series[0].first[1]).toBeGreaterThan(eth.series[0].first[1] * 5);
});

test('the range presets and date pickers change what is shown', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto/ETH`);
  await hydrated(page);
  await page.getByTestId('preset-3m').click();
  await expect(page).toHaveURL(/from=2021-04-07&to=2021-07-06/);
  await expect(page.getByTestId('token-range')).toContainText('91 days');
  await expect.poll(async () => (await chartOption(page.getByTestId('chart-price'))).series[0].n).toBe(91);
  await page.getByTestId('date-from').fill('2021-06-01');
  await page.getByTestId('date-from').dispatchEvent('change');
  await expect(page).toHaveURL(/from=2021-06-01/);
  await expect(page.getByTestId('token-range')).toContainText('36 days');
});

test('overlays and the log scale toggle in the browser', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto/BTC`);
  await hydrated(page);
  const chart = page.getByTestId('chart-price');
  await drawnPoints(chart);
  await page.getByTestId('overlay-bollinger').uncheck();
  await expect(chart).toHaveAttribute('data-series', '4');
  await page.getByTestId('log-scale').check();
  await expect.poll(async () => (await chartOption(chart)).yAxisType).toBe('log');
});

test('the statistics table is rendered on the server', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${DATA_URL}/crypto/BTC?from=2020-01-01&to=2020-12-31`);
  const table = page.getByTestId('stats-table');
  await expect(table).toContainText('Daily returns366');
  await expect(table).toContainText('Jarque–Bera');
  await expect(table).toContainText('not normal at 5%');
  await expect(table).toContainText('2020-03-12'); // the worst day of 2020
  await context.close();
});

test('the market page draws the correlation heatmap and cumulative returns', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto`);
  await hydrated(page);
  expect(await drawnPoints(page.getByTestId('chart-correlation'))).toBe(23 * 23);
  const cumulative = await chartOption(page.getByTestId('chart-cumulative'));
  expect(cumulative.series).toHaveLength(23);
  await expect(page.getByTestId('market-window')).toContainText('2021-04-08 to 2021-07-06');
  await page.getByTestId('window-30').click();
  await expect(page).toHaveURL(/window=30/);
  await expect(page.getByTestId('market-window')).toContainText('2021-06-07 to 2021-07-06');
  await expect.poll(async () => (await chartOption(page.getByTestId('chart-cumulative'))).series[0].n).toBe(30);
  const pearson = await chartOption(page.getByTestId('chart-correlation'));
  await page.getByTestId('spearman').check();
  await expect(page).toHaveURL(/method=spearman/);
  await expect.poll(async () => (await chartOption(page.getByTestId('chart-correlation'))).title).toContain('Spearman');
  expect(pearson.title).toContain('Pearson');
});

test('a token row links to its page', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto`);
  await hydrated(page);
  await page.getByRole('link', { name: 'DOGE', exact: true }).click();
  await expect(page).toHaveURL(`${DATA_URL}/crypto/DOGE`);
  await expect(page.getByTestId('token-title')).toHaveText('Dogecoin · DOGE');
});

test('an unknown token is a 404 and a bad date a 400, with the reason', async ({ page }) => {
  const missing = await page.goto(`${DATA_URL}/crypto/NOPE`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByTestId('token-error')).toContainText('no prices for token "NOPE"');
  const bad = await page.goto(`${DATA_URL}/crypto/BTC?from=2021-02-30`);
  expect(bad?.status()).toBe(400);
  await expect(page.getByTestId('token-error')).toContainText('"2021-02-30" is not a YYYY-MM-DD date');
});

test('the market page says what is missing on an empty database', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/crypto`);
  await expect(page.getByText('No tokens yet')).toBeVisible();
});
