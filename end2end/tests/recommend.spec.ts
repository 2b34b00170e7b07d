// The recommenders in a real browser against the models server (reference prices and SR26 foods,
// quick trainings of both systems and of the recommenders): suggestions re-rank in WASM on every
// keystroke without any request, keep working offline, equal POST /api/recommend, respect food
// filters, are timed in the browser, and the results page shows every method beside popularity.
import { type Page } from '@playwright/test';
import { EMPTY_URL, MODELS_URL } from '../playwright.config';
import { expect, test, drawnPoints, hydrated } from './helpers';

async function ready(page: Page) {
  await page.goto(`${MODELS_URL}/recommend`);
  await hydrated(page);
  await expect(page.getByTestId('token-model-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('food-model-status')).toHaveAttribute('data-state', 'ready');
}

async function suggestions(page: Page) {
  const items = page.getByTestId('token-suggestion');
  const symbols = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-symbol')!));
  const scores = await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
  return { symbols, scores };
}

test('typing holdings re-ranks in the browser without a request, and offline', async ({ page, context }) => {
  await ready(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await expect(page.getByTestId('token-suggestion')).toHaveCount(5);
  const first = await suggestions(page);
  expect(first.symbols).not.toContain('BTC');
  expect(first.symbols).not.toContain('ETH');

  const holdings = page.getByTestId('holdings');
  await holdings.fill('');
  await holdings.pressSequentially('SOL, DOGE 2', { delay: 30 });
  await expect.poll(async () => (await suggestions(page)).symbols.join(' ')).not.toBe(first.symbols.join(' '));
  const second = await suggestions(page);
  expect(second.symbols).toHaveLength(5);
  expect(second.symbols).not.toContain('SOL');
  expect(second.symbols).not.toContain('DOGE');
  await holdings.fill('BTC, XYZ');
  await expect(page.getByTestId('holdings-error')).toContainText('unknown symbols: XYZ');
  await page.getByTestId('k').fill('8');
  await holdings.fill('XMR');
  await expect(page.getByTestId('token-suggestion')).toHaveCount(8);

  // The network goes away: ranking tokens and foods goes on.
  await context.setOffline(true);
  await holdings.fill('ADA 0.5, LINK 0.5');
  await expect(page.getByTestId('token-suggestion').first()).not.toHaveAttribute('data-symbol', /^(ADA|LINK)$/);
  await page.getByTestId('food-query').fill('broccoli raw');
  await page.getByTestId('food-query-hit').first().click();
  await expect(page.getByTestId('similar-suggestion')).toHaveCount(5);
  await expect(page.getByTestId('gap-suggestion')).toHaveCount(5);
  await expect(page.getByTestId('eaten-row')).toHaveCount(1);
  await context.setOffline(false);
  expect(requests).toEqual([]);
});

test('the browser ranks exactly like POST /api/recommend', async ({ page, request }) => {
  await ready(page);
  for (const method of ['hybrid', 'content', 'collaborative']) {
    await page.getByTestId('method').selectOption(method);
    await page.getByTestId('k').fill('6');
    await page.getByTestId('holdings').fill('BTC 0.6, ETH 0.4, UNI');
    await expect(page.getByTestId('token-suggestion')).toHaveCount(6);
    const browser = await suggestions(page);
    const api = await request.post(`${MODELS_URL}/api/recommend`, {
      data: { holdings: [{ symbol: 'BTC', weight: 0.6 }, { symbol: 'ETH', weight: 0.4 }, { symbol: 'UNI' }], k: 6, method },
    });
    expect(api.status()).toBe(200);
    const body = await api.json();
    expect(body.method).toBe(method);
    expect(await page.getByTestId('token-timing').getAttribute('data-engine')).toBe(body.engine);
    expect(body.recommendations.map((r: any) => r.symbol)).toEqual(browser.symbols);
    body.recommendations.forEach((r: any, i: number) => expect(Math.abs(r.score - browser.scores[i])).toBeLessThan(1e-6));
  }
});

test('food suggestions respect diet labels and excluded allergens', async ({ page }) => {
  await ready(page);
  await page.getByTestId('food-query').fill('tofu');
  await page.getByTestId('food-query-hit').first().click();
  await expect(page.getByTestId('similar-suggestion')).toHaveCount(5);
  const before = await page.getByTestId('similar-suggestion').allTextContents();
  await page.getByTestId('diet-vegan').check();
  await page.getByTestId('allergen-soy').check();
  await expect.poll(async () => (await page.getByTestId('similar-suggestion').allTextContents()).join('|')).not.toBe(before.join('|'));
  const names = [...(await page.getByTestId('similar-suggestion').allTextContents()), ...(await page.getByTestId('gap-suggestion').allTextContents())];
  expect(names.length).toBeGreaterThan(5);
  for (const name of names) expect(name).not.toMatch(/\b(soy|tofu|beef|chicken|pork|milk|cheese|egg|fish)\b/i);
  // Eating more spinach closes part of the iron gap.
  const iron = page.locator('[data-testid="gap-bar"][data-nutrient="iron"]');
  const ironBefore = Number(await iron.getAttribute('data-pct'));
  await page.locator('[data-testid="eaten-row"] input').fill('500');
  await expect.poll(async () => Number(await iron.getAttribute('data-pct'))).toBeGreaterThan(ironBefore);
});

test('one top-5 query takes well under a millisecond in this browser', async ({ page }) => {
  await ready(page);
  await page.getByTestId('run-benchmark').click();
  for (const id of ['bench-tokens', 'bench-tokens-content', 'bench-foods', 'bench-gap']) {
    const row = page.getByTestId(id);
    await expect(row).toBeVisible({ timeout: 60_000 });
    const ms = Number(await row.getAttribute('data-median-ms'));
    console.log(`${id}: ${await row.textContent()}`);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5);
  }
});

test('the results page shows every method beside popularity', async ({ page }) => {
  await page.goto(`${MODELS_URL}/recommend/results`);
  await hydrated(page);
  const rows = page.getByTestId('recommender-row');
  await expect(rows).toHaveCount(6);
  await expect(page.locator('[data-testid="recommender-row"].baseline')).toHaveAttribute('data-method', 'popularity');
  const verdicts = await page.getByTestId('recommender-table').getByTestId('verdict').allTextContents();
  expect(verdicts.filter((v) => ['beats', 'inconclusive', 'does not beat'].includes(v))).toHaveLength(5);
  await expect(rows.first().getByTestId('ndcg')).toContainText(/0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
  await expect(page.getByTestId('recommender-summary')).toContainText('simulated traders');
  await expect(page.getByTestId('archetype-row')).toHaveCount(8);
  expect(await drawnPoints(page.getByTestId('chart-recommender-metrics'))).toBeGreaterThan(20);
  await expect(page.getByTestId('food-bundle-summary')).toContainText('8463 foods');
  await expect(page.getByTestId('food-neighbour-row')).toHaveCount(3);
  await expect(page.getByTestId('gap-row')).toHaveCount(3);
  await expect(page.locator('[data-testid="gap-row"].baseline')).toHaveCount(2);
});

test('without a trained recommender the page says what to run', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/recommend`);
  await expect(page.getByTestId('no-recommender')).toContainText('server train recommend');
});
