// The crypto models' pages against a real server whose database holds the reference prices and
// one `server train crypto --quick` run: the comparison table (sortable, every model beside its
// baselines), the charts, the clusters, the experiments and the token page's prediction.
import { EMPTY_URL, MODELS_URL } from '../playwright.config';
import { expect, test, chartOption, drawnPoints, hydrated } from './helpers';

const CLASSIFIERS = ['logistic', 'decision_tree', 'random_forest', 'svm'];
const REGRESSORS = ['linear', 'ridge', 'lasso', 'random_forest'];
// The recurrent networks: one direction row and one return row each, one registry version each.
const NETWORKS = ['lstm', 'gru'];

/** The numbers of a column of a table, row by row ("0.512 [0.49, 0.53]" → 0.512). */
async function column(page: import('@playwright/test').Page, table: string, index: number) {
  const cells = await page.getByTestId(table).locator(`tbody tr td:nth-child(${index + 1})`).allTextContents();
  return cells.map((c) => Number.parseFloat(c));
}

test('the comparison lists every model beside its baselines, with intervals and verdicts', async ({ page }) => {
  await page.goto(`${MODELS_URL}/crypto/models`);
  await hydrated(page);
  const direction = page.getByTestId('direction-table');
  const names = await direction.locator('tbody tr td:first-child').allTextContents();
  for (const name of [...CLASSIFIERS, ...NETWORKS, 'always_up', 'majority_class']) expect(names).toContain(name);
  await expect(direction.locator('tr.baseline')).toHaveCount(2);
  // Each trained model has a verdict against always-up; accuracy comes with its 95% interval.
  const verdicts = await direction.getByTestId('verdict').allTextContents();
  expect(verdicts.filter((v) => ['beats', 'inconclusive', 'does not beat'].includes(v))).toHaveLength(
    CLASSIFIERS.length + NETWORKS.length,
  );
  await expect(direction.locator('tbody tr').first().locator('td').nth(1)).toContainText(/0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
  const returns = await page.getByTestId('return-table').locator('tbody tr td:first-child').allTextContents();
  for (const name of [...REGRESSORS, ...NETWORKS, 'persistence']) expect(returns).toContain(name);
  await expect(page.getByTestId('split')).toContainText('hold-out 2021-01-07 to 2021-07-05');
});

test('clicking a column header sorts the table, again reverses it', async ({ page }) => {
  await page.goto(`${MODELS_URL}/crypto/models`);
  await hydrated(page);
  const sort = page.getByTestId('sort-roc_auc');
  await sort.click();
  await expect(sort).toHaveAttribute('aria-sort', 'descending');
  const descending = (await column(page, 'direction-table', 2)).filter((v) => !Number.isNaN(v));
  expect(descending.length).toBeGreaterThanOrEqual(4);
  expect([...descending].sort((a, b) => b - a)).toEqual(descending);
  await sort.click();
  await expect(sort).toHaveAttribute('aria-sort', 'ascending');
  const ascending = (await column(page, 'direction-table', 2)).filter((v) => !Number.isNaN(v));
  expect(ascending).toEqual([...descending].reverse());
});

test('ROC, PR, learning curves, importances and predicted closes are drawn', async ({ page }) => {
  await page.goto(`${MODELS_URL}/crypto/models`);
  await hydrated(page);
  for (const chart of ['chart-roc', 'chart-pr', 'chart-learning-direction', 'chart-learning-return', 'chart-importance', 'chart-close', 'chart-epochs']) {
    expect(await drawnPoints(page.getByTestId(chart)), chart).toBeGreaterThan(3);
  }
  const roc = await chartOption(page.getByTestId('chart-roc'));
  for (const name of [...CLASSIFIERS, ...NETWORKS]) expect(roc.series.map((s: any) => s.name).join(' ')).toContain(name);
  await expect(page.getByTestId('confusion')).toHaveCount(CLASSIFIERS.length + NETWORKS.length);
  // A network's training: training and validation loss per epoch.
  const epochs = await chartOption(page.getByTestId('chart-epochs'));
  expect(epochs.series.map((s: any) => s.name)).toEqual(['training', 'validation']);
  // The close chart follows the picker: the hold-out's 180 days for each token and model.
  const close = page.getByTestId('chart-close');
  const first = await chartOption(close);
  expect(first.series[0].n).toBe(180);
  await page.getByTestId('chart-close-select').selectOption({ index: 1 });
  await expect.poll(async () => (await chartOption(close)).title).not.toBe(first.title);
});

test('the clusters page draws the tokens by cluster and the dendrogram', async ({ page }) => {
  await page.goto(`${MODELS_URL}/crypto/clusters`);
  await hydrated(page);
  const rows = await page.getByTestId('cluster-row').count();
  expect(rows).toBeGreaterThan(5);
  expect(await drawnPoints(page.getByTestId('chart-clusters'))).toBe(rows);
  expect(await drawnPoints(page.getByTestId('chart-dendrogram'))).toBeGreaterThan(0);
  expect(await drawnPoints(page.getByTestId('chart-silhouette'))).toBeGreaterThan(1);
  await expect(page.getByTestId('cluster-window')).toContainText('k = ');
});

test('the experiments page lists the runs, their children and the registry', async ({ page }) => {
  await page.goto(`${MODELS_URL}/experiments`);
  const crypto = page.locator('[data-testid="run-row"][data-experiment="crypto-next-day"]');
  await expect(crypto).toHaveCount(1 + CLASSIFIERS.length + REGRESSORS.length + NETWORKS.length);
  // The nutrition run: its parent, the majority baseline and 4 diet models, 2 regressions,
  // k-means and the embedding.
  await expect(page.locator('[data-testid="run-row"][data-experiment="nutrition"]')).toHaveCount(10);
  await expect(page.getByTestId('runs-table')).toContainText('holdout_accuracy');
  await expect(page.getByTestId('runs-table')).toContainText('holdout_macro_f1');
  await expect(page.getByTestId('runs-table')).toContainText('model.json');
  await expect(page.locator('[data-testid="version-row"][data-task="crypto_direction"]')).toHaveCount(CLASSIFIERS.length);
  await expect(page.locator('[data-testid="version-row"][data-task="crypto_return"]')).toHaveCount(REGRESSORS.length);
  await expect(page.locator('[data-testid="version-row"][data-task="crypto_sequence"]')).toHaveCount(NETWORKS.length);
  await expect(page.getByTestId('runs-table')).toContainText('lstm.safetensors');
  await expect(page.locator('[data-testid="version-row"][data-task="diet_labels"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="version-row"][data-task="food_embedding"]')).toHaveCount(1);
  // The recommenders' run: its parent, the token recommender and the food suggestions.
  await expect(page.locator('[data-testid="run-row"][data-experiment="recommenders"]')).toHaveCount(3);
  await expect(page.locator('[data-testid="version-row"][data-task="recommend_tokens"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="version-row"][data-task="suggest_foods"]')).toHaveCount(1);
  // The sentiment run: both learned models are versions of one task, one of them serving.
  await expect(page.locator('[data-testid="version-row"][data-task="news_sentiment"]')).toHaveCount(2);
  // One serving version per task.
  await expect(page.getByTestId('versions-table').getByText('serving', { exact: true })).toHaveCount(9);
});

test('the token page predicts the next day and switches models', async ({ page }) => {
  await page.goto(`${MODELS_URL}/crypto/BTC`);
  await hydrated(page);
  await expect(page.getByTestId('prediction-direction')).toContainText(/(up|down) · P\(up\) 0\.\d{3}/);
  await expect(page.getByTestId('prediction-close')).toContainText('$');
  await page.getByTestId('prediction-model').selectOption('random_forest');
  await expect(page.getByTestId('prediction-models')).toContainText('direction: random_forest v1 · return: random_forest v1');
});

test('without a training run the pages say how to train', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/crypto/models`);
  await expect(page.getByTestId('no-models')).toContainText('server train crypto');
  await page.goto(`${EMPTY_URL}/experiments`);
  await expect(page.getByTestId('no-models')).toBeVisible();
});
