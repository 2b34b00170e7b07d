import { DATA_URL, EMPTY_URL } from '../playwright.config';
import { expect, test, hydrated } from './helpers';

test('home page is rendered on the server with the real counts', async ({ browser }) => {
  // No JavaScript at all: whatever shows was rendered by the server.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(DATA_URL);
  await expect(page.getByTestId('count-tokens')).toHaveText('23');
  await expect(page.getByTestId('count-foods')).toHaveText('8,463');
  await expect(page.getByTestId('count-prices')).toHaveText('37,082');
  await expect(page.getByTestId('price-range')).toHaveText('2013-04-29 to 2021-07-06');
  await context.close();
});

test('hydration: a click changes the page without a reload', async ({ page }) => {
  await page.goto(DATA_URL);
  await hydrated(page);
  // A value on window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as any).__noReload = true));
  await expect(page.getByTestId('details')).toHaveCount(0);
  await page.getByTestId('toggle-details').click();
  await expect(page.getByTestId('details')).toBeVisible();
  await expect(page.getByTestId('toggle-details')).toHaveText('Hide details');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('server function round trip refreshes the counts', async ({ page }) => {
  await page.goto(DATA_URL);
  await hydrated(page);
  const response = page.waitForResponse((r) => r.url().endsWith('/sfn/db_stats'));
  await page.getByTestId('refresh').click();
  const reply = await response;
  expect(reply.status()).toBe(200);
  const stats = await reply.json();
  expect(stats.tokens).toBe(23);
  expect(stats.foods).toBe(8463);
  await expect(page.getByTestId('refresh-count')).toHaveText('refreshed once');
  await expect(page.getByTestId('count-tokens')).toHaveText('23');
});

test('the empty state shows on an empty database', async ({ page }) => {
  await page.goto(EMPTY_URL);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('empty-state')).toContainText('make import');
  await expect(page.getByTestId('count-tokens')).toHaveCount(0);
});

test('crypto page lists the tokens and filters them as you type', async ({ page }) => {
  await page.goto(`${DATA_URL}/crypto`);
  await hydrated(page);
  await expect(page.getByTestId('token-row')).toHaveCount(23);
  await page.getByTestId('token-filter').fill('bitcoin');
  // Bitcoin and Wrapped Bitcoin.
  await expect(page.getByTestId('token-row')).toHaveCount(2);
});

test('nutrition page lists the USDA food groups', async ({ page }) => {
  await page.goto(`${DATA_URL}/nutrition`);
  await expect(page.getByTestId('group-row')).toHaveCount(25);
});

test('navigation between sections happens in the page', async ({ page }) => {
  await page.goto(DATA_URL);
  await hydrated(page);
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByRole('link', { name: 'Nutrition' }).first().click();
  await expect(page.getByTestId('group-row').first()).toBeVisible();
  await expect(page).toHaveURL(`${DATA_URL}/nutrition`);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('unknown pages are a 404', async ({ page }) => {
  const response = await page.goto(`${DATA_URL}/no/such/page`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the first-start import is a job, listed on the home page and on /jobs', async ({ page }) => {
  // The data server imported on its first start through the job queue (TRAIN_ON_START=off here).
  await page.goto(`${DATA_URL}/jobs`);
  await hydrated(page);
  const row = page.getByTestId('job').filter({ hasText: 'import files' });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-state', 'succeeded');
  await expect(row).toContainText('start');
  await expect(row).toContainText('rows read');
  // The list is asked for again while the page is open (every two seconds).
  const again = await page.waitForResponse((r) => r.url().endsWith('/sfn/jobs'), { timeout: 10_000 });
  expect(again.status()).toBe(200);
  await page.goto(DATA_URL);
  await expect(page.getByTestId('job').filter({ hasText: 'import files' })).toHaveCount(1);
});

test('a page whose model is not trained says what trains it', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/crypto/models`);
  await expect(page.getByTestId('untrained')).toBeVisible();
  await expect(page.getByTestId('no-models')).toContainText('server train crypto');
});
