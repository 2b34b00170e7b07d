// The recipe analyzer in a real browser against the models server (USDA foods, the labelled
// ingredient sentences and the recipes, a quick `train recipes`): pasted lines come back parsed
// token by token, matched, weighed and totalled, with what was left out named; the parser's
// evaluation is shown beside its baseline with its charts; the empty server says what to run.
import { EMPTY_URL, MODELS_URL } from '../playwright.config';
import { expect, test, drawnPoints, hydrated } from './helpers';

test('a pasted recipe is parsed, matched and totalled, leaving nothing out silently', async ({ page }) => {
  await page.goto(`${MODELS_URL}/recipes`);
  await hydrated(page);
  await page.getByTestId('recipe-title').fill('Scrambled eggs');
  await page.getByTestId('recipe-servings').fill('2');
  await page.getByTestId('recipe-month').selectOption('12');
  await page
    .getByTestId('recipe-lines')
    .fill('4 large eggs\n2 tbsp butter\n1/4 cup whole milk\nsalt, to taste\n1 pinch of zorblax dust\n1 cup spinach');
  await page.getByTestId('recipe-analyze').click();
  const lines = page.getByTestId('recipe-line');
  await expect(lines).toHaveCount(6);
  await expect(lines.nth(0)).toHaveAttribute('data-status', 'counted');
  await expect(lines.nth(0).locator('[data-label="QTY"]')).toHaveText('4');
  await expect(lines.nth(0).locator('[data-label="SIZE"]')).toHaveText('large');
  await expect(lines.nth(0).getByTestId('line-food')).toContainText('Egg, whole, raw');
  await expect(lines.nth(3)).toHaveAttribute('data-status', 'noamount');
  await expect(lines.nth(4)).toHaveAttribute('data-status', 'unmatched');
  await expect(page.getByTestId('recipe-coverage')).toContainText('4 of 6 lines counted');
  // Spinach is a spring and fall crop in the US table: not in season in December.
  await expect(page.getByTestId('seasonality')).toContainText('0 of 1 fresh produce');
  await expect(page.locator('[data-testid="seasonal-item"]')).toHaveAttribute('data-in-season', 'false');
  await expect(page.getByTestId('recipe-coverage')).toContainText('zorblax');
  // About 4 eggs + 28 g butter + 61 g milk + 30 g spinach ≈ 540 kcal: 230-300 a serving.
  const kcal = page.locator('[data-testid="nutrient-row"][data-key="energy"] [data-testid="per-serving"]');
  await expect(kcal).toContainText('kcal');
  const value = parseFloat((await kcal.textContent()) ?? '');
  expect(value).toBeGreaterThan(200);
  expect(value).toBeLessThan(320);
  await expect(page.locator('[data-testid="allergen"][data-allergen="egg"]')).toContainText('100%');
  await expect(page.locator('[data-testid="allergen"][data-allergen="milk"]')).toBeVisible();
  await expect(page.locator('[data-testid="diet-label"][data-label="vegan"]')).toContainText('no');
});

test('an example recipe loads and a bad request says what is wrong', async ({ page }) => {
  await page.goto(`${MODELS_URL}/recipes`);
  await hydrated(page);
  const example = page.getByTestId('recipe-example');
  const options = await example.locator('option').count();
  expect(options).toBeGreaterThan(1);
  await example.selectOption('1');
  await expect(page.getByTestId('recipe-lines')).not.toHaveValue('');
  await page.getByTestId('recipe-analyze').click();
  await expect(page.getByTestId('recipe-result')).toBeVisible();
  expect(await page.getByTestId('recipe-line').count()).toBeGreaterThan(3);
  // The server checks every line (the browser only checks the servings field's range).
  await page.getByTestId('recipe-lines').fill(`1 cup rice\n${'salt '.repeat(120)}`);
  await page.getByTestId('recipe-analyze').click();
  await expect(page.getByTestId('recipe-error')).toContainText('ingredients[1] has 599 characters');
});

test('the parser is scored beside its baseline, with its charts', async ({ page }) => {
  await page.goto(`${MODELS_URL}/recipes`);
  await hydrated(page);
  const rows = page.getByTestId('parser-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('most frequent label per word');
  await expect(page.getByTestId('nutrition-error-row')).toHaveCount(4);
  expect(await drawnPoints(page.getByTestId('tag-f1-chart'))).toBe(16);
  expect(await drawnPoints(page.getByTestId('tagger-epochs-chart'))).toBeGreaterThan(0);
  expect(await drawnPoints(page.getByTestId('calorie-scatter'))).toBeGreaterThan(50);
  expect(await drawnPoints(page.getByTestId('prep-density-chart'))).toBeGreaterThan(50);
});

test('without a trained parser the page says what to run', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/recipes`);
  await hydrated(page);
  await expect(page.getByTestId('no-parser')).toContainText('server train recipes');
});
