// Screenshots of the dashboard for the README: `node scripts/screenshots.mjs http://127.0.0.1:3000 [name...]`
// (every page, or only the named ones). The model pages need a database with a training run.
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shots = [
  ['/', 'home', { click: 'toggle-details' }],
  ['/crypto', 'crypto', { charts: true, fullPage: true }],
  ['/crypto/BTC', 'token', { charts: true, fullPage: true }],
  ['/nutrition', 'nutrition', { charts: true, fullPage: true }],
  ['/nutrition?food=11090', 'food', { charts: true, scrollTo: 'food-profile' }],
  ['/nutrition/models', 'nutrition-models', { charts: true, fullPage: true }],
  ['/crypto/models', 'models', { charts: true, fullPage: true }],
  ['/crypto/clusters', 'clusters', { charts: true }],
  ['/experiments', 'experiments', {}],
  ['/recommend', 'recommend', { recommend: true, fullPage: true }],
  ['/recommend/results', 'recommend-results', { charts: true, fullPage: true }],
  ['/sentiment', 'sentiment', { sentiment: true, charts: true, fullPage: true }],
  ['/recipes', 'recipes', { recipe: true, charts: true, fullPage: true }],
  ['/meals', 'meals', { meals: true, fullPage: true }],
  ['/meals/plan', 'meal-plan', { plan: true, charts: true, fullPage: true }],
];
const only = process.argv.slice(3);
for (const [path, name, opts] of shots.filter(([, n]) => only.length === 0 || only.includes(n))) {
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated="true"]');
  if (opts.click) await page.getByTestId(opts.click).click();
  if (opts.recommend) {
    // Both models in the browser, a portfolio typed, a food eaten, the timings run.
    await page.waitForSelector('[data-testid="food-model-status"][data-state="ready"]');
    await page.getByTestId('holdings').fill('BTC 0.5, ETH 0.3, LINK 0.2');
    await page.getByTestId('food-query').fill('oatmeal');
    await page.getByTestId('food-query-hit').first().click();
    await page.getByTestId('diet-vegetarian').check();
    await page.getByTestId('run-benchmark').click();
    await page.waitForSelector('[data-testid="bench-gap"]');
  }
  if (opts.sentiment) {
    // Both sentiment models in the browser, a headline typed.
    await page.waitForFunction(() =>
      document.querySelectorAll('[data-testid="sentiment-model-status"][data-state="ready"]').length === 2);
    await page.getByTestId('sentiment-input').fill('Bitcoin rallies as ETF inflows hit a record, but miners warn of falling profits');
    await page.waitForSelector('[data-testid="sentiment-score"]');
  }
  if (opts.recipe) {
    // The first example recipe, analysed.
    await page.getByTestId('recipe-analyze').click();
    await page.waitForSelector('[data-testid="recipe-result"]');
  }
  if (opts.meals) {
    await page.getByTestId('meal-goal').selectOption('weight_loss');
    await page.getByTestId('meal-calories').fill('1800');
    await page.locator('[data-testid="meal-diet"][value="vegetarian"]').check();
    await page.getByTestId('meal-find').click();
    await page.waitForSelector('[data-testid="meal-card"]');
  }
  if (opts.plan) {
    await page.getByTestId('meal-calories').fill('2200');
    await page.getByTestId('plan-make').click();
    await page.waitForSelector('[data-testid="plan-day"]');
  }
  if (opts.charts) {
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.chart')].every((el) => el.dataset.drawn === 'true'));
    await page.waitForTimeout(1200); // let ECharts finish its entry animation
  }
  if (opts.scrollTo) await page.getByTestId(opts.scrollTo).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: !!opts.fullPage });
}
await browser.close();
