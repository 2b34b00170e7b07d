// The nutrition pages against the models server (USDA SR26 foods imported, one
// `server train nutrition --quick` run): the EDA charts, the food explorer's search, profile and
// similar foods, the models page; and the empty server's notes.
import { EMPTY_URL, MODELS_URL } from '../playwright.config';
import { expect, test, chartOption, drawnPoints, hydrated } from './helpers';

test('the EDA page draws distributions, correlations, macro shares and missingness', async ({ page }) => {
  await page.goto(`${MODELS_URL}/nutrition`);
  await hydrated(page);
  await expect(page.getByTestId('food-count')).toContainText('8,463 foods in 25 USDA groups');
  await expect(page.getByTestId('nutrient-histogram')).toHaveCount(12);
  for (const chart of ['chart-nutrient-heatmap', 'chart-macro-scatter', 'chart-missingness']) {
    expect(await drawnPoints(page.getByTestId(chart)), chart).toBeGreaterThan(10);
  }
  // Sodium is skewed: binned on a log scale, its chart says so.
  const sodium = page.locator('[data-testid="nutrient-histogram"][data-key="sodium"]').getByTestId('chart-histogram');
  expect((await chartOption(sodium)).title).toContain('log-binned');
  // The heatmap is 18 × 18 nutrients; the scatter has a series per USDA group.
  expect((await chartOption(page.getByTestId('chart-nutrient-heatmap'))).series[0].n).toBe(18 * 18);
  expect((await chartOption(page.getByTestId('chart-macro-scatter'))).series.length).toBe(25);
  await expect(page.getByTestId('missing-row').first()).toContainText('Choline');
  await expect(page.getByTestId('group-row')).toHaveCount(25);
});

test('searching a food opens its profile with portions and similar foods', async ({ page }) => {
  await page.goto(`${MODELS_URL}/nutrition`);
  await hydrated(page);
  await page.getByTestId('food-search').fill('broccoli raw');
  const first = page.getByTestId('food-hit').first();
  await expect(first).toContainText('Broccoli, raw');
  await first.getByRole('link').click();
  await expect(page).toHaveURL(/\/nutrition\?food=11090$/);
  const profile = page.getByTestId('food-profile');
  await expect(profile.getByTestId('food-name')).toHaveText('Broccoli, raw');
  await expect(profile.getByTestId('portion-row')).toHaveCount(6);
  await expect(profile.getByTestId('portion-row').first()).toContainText('1 cup chopped');
  await expect(profile.getByTestId('category').filter({ hasText: 'vitamin c rich' })).toHaveCount(1);
  expect(await drawnPoints(profile.getByTestId('chart-daily-values'))).toBeGreaterThan(20);
  const similar = profile.getByTestId('similar-food');
  await expect(similar).toHaveCount(8);
  const groups = await similar.locator('.muted').allTextContents();
  expect(groups.filter((g) => g.includes('Vegetables')).length).toBeGreaterThanOrEqual(4);
  // A similar food is a link to its own profile.
  const next = await similar.first().getByRole('link').textContent();
  await similar.first().getByRole('link').click();
  await expect(profile.getByTestId('food-name')).toHaveText(next ?? '');
  await expect(page).not.toHaveURL(/food=11090$/);
});

test('an unknown food says so', async ({ page }) => {
  await page.goto(`${MODELS_URL}/nutrition?food=99999`);
  await expect(page.getByTestId('food-error')).toContainText('99999');
});

test('the models page shows every diet model beside the majority baseline', async ({ page }) => {
  await page.goto(`${MODELS_URL}/nutrition/models`);
  await hydrated(page);
  const rows = page.getByTestId('diet-row');
  await expect(rows).toHaveCount(5);
  await expect(page.locator('[data-testid="diet-row"].baseline')).toHaveCount(1);
  await expect(rows.first().getByTestId('macro-f1')).toHaveText(/0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
  const verdicts = await page.getByTestId('diet-table').getByTestId('verdict').allTextContents();
  expect(verdicts.filter((v) => v === 'beats')).toHaveLength(4);
  await expect(page.getByTestId('label-row')).toHaveCount(8);
  await expect(page.getByTestId('regression-table')).toHaveCount(2);
  await expect(page.getByTestId('neighbour-row')).toHaveCount(3);
  for (const chart of ['chart-label-f1', 'chart-diet-learning', 'chart-diet-loss', 'chart-predicted', 'chart-residuals', 'chart-food-silhouette', 'chart-embedding', 'chart-embedding-loss']) {
    expect(await drawnPoints(page.getByTestId(chart).first()), chart).toBeGreaterThan(3);
  }
});

test('without data the nutrition pages say what is missing', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/nutrition`);
  await expect(page.getByTestId('no-foods')).toBeVisible();
  await page.goto(`${EMPTY_URL}/nutrition/models`);
  await expect(page.getByTestId('no-models')).toContainText('server train nutrition');
});
