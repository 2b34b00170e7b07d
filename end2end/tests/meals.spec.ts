// The meal finder and planner in a real browser against the models server (recipes analysed by
// the quick ingredient parser): meals ranked for a goal with reasons and filters kept; a week
// planned by the solver with every day inside its targets, charted, with a shopping list; an
// impossible request says which constraint failed.
import { MODELS_URL } from '../playwright.config';
import { expect, test, drawnPoints, hydrated } from './helpers';

test('the finder ranks meals for a goal and keeps the filters', async ({ page }) => {
  await page.goto(`${MODELS_URL}/meals`);
  await hydrated(page);
  await page.getByTestId('meal-goal').selectOption('weight_loss');
  await page.getByTestId('meal-calories').fill('1800');
  await page.locator('[data-testid="meal-diet"][value="vegetarian"]').check();
  await page.locator('[data-testid="meal-exclude"][value="peanuts"]').check();
  await page.getByTestId('meal-find').click();
  const cards = page.getByTestId('meal-card');
  await expect(cards).toHaveCount(5);
  await expect(page.getByTestId('meal-targets')).toContainText('Target 1800 kcal a day');
  await expect(page.getByTestId('meal-targets')).toContainText('600 kcal a meal');
  for (const card of await cards.all()) {
    await expect(card.getByTestId('meal-reasons')).toContainText('vegetarian, no peanuts');
    await expect(card.getByTestId('meal-reasons')).toContainText('kcal meal target');
  }
});

test('the planner makes a week inside its targets, with charts and a shopping list', async ({ page }) => {
  await page.goto(`${MODELS_URL}/meals/plan`);
  await hydrated(page);
  await page.getByTestId('meal-calories').fill('2200');
  await page.getByTestId('plan-days').fill('7');
  await page.getByTestId('plan-make').click();
  const days = page.getByTestId('plan-day');
  await expect(days).toHaveCount(7);
  for (const d of await days.all()) await expect(d).toHaveAttribute('data-meets', 'true');
  await expect(page.getByTestId('plan-meal')).toHaveCount(21);
  // 7 bars and three 7-point lines; 3 stacked series of 7.
  expect(await drawnPoints(page.getByTestId('plan-energy-chart'))).toBe(28);
  expect(await drawnPoints(page.getByTestId('plan-macro-chart'))).toBe(21);
  expect(await page.getByTestId('shopping-item').count()).toBeGreaterThan(10);
});

test('an impossible plan says which constraint failed', async ({ page }) => {
  await page.goto(`${MODELS_URL}/meals/plan`);
  await hydrated(page);
  await page.getByTestId('meal-calories').fill('5500');
  await page.getByTestId('meal-count').fill('1');
  await page.getByTestId('plan-days').fill('1');
  await page.getByTestId('plan-make').click();
  await expect(page.getByTestId('plan-error')).toContainText('5500 kcal');
  // The refusal offers the nearest change that can be planned; taking it plans.
  await page.getByTestId('plan-accept-suggestion').click();
  await expect(page.getByTestId('plan-day')).toHaveCount(1);
  await expect(page.getByTestId('plan-day')).toHaveAttribute('data-meets', 'true');
});

test('a vegetarian week is planned, with sides where the recipes need them', async ({ page }) => {
  await page.goto(`${MODELS_URL}/meals/plan`);
  await hydrated(page);
  await page.getByTestId('meal-calories').fill('2000');
  await page.getByTestId('plan-days').fill('7');
  await page.locator('[data-testid="meal-diet"][value="vegetarian"]').check();
  await page.getByTestId('plan-make').click();
  const days = page.getByTestId('plan-day');
  await expect(days).toHaveCount(7);
  for (const d of await days.all()) await expect(d).toHaveAttribute('data-meets', 'true');
});
