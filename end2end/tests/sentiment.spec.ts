// News sentiment in a real browser against the models server (prices, news and the PhraseBank,
// a quick `train sentiment`): typed text is scored by both learned models in WASM with no request
// per keystroke and equals POST /api/sentiment; the index chart follows the chosen token; the
// comparison table shows every model beside the baselines; the empty server says what to run.
import { EMPTY_URL, MODELS_URL } from '../playwright.config';
import { expect, test, chartOption, drawnPoints, hydrated } from './helpers';

test('typed headlines are scored in the browser, as the API scores them', async ({ page, request }) => {
  await page.goto(`${MODELS_URL}/sentiment`);
  await hydrated(page);
  const statuses = page.getByTestId('sentiment-model-status');
  await expect(statuses).toHaveCount(2);
  for (const s of await statuses.all()) await expect(s).toHaveAttribute('data-state', 'ready');

  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  const input = page.getByTestId('sentiment-input');
  const served = page.getByTestId('sentiment-score').first();
  await input.fill('');
  await input.pressSequentially('Operating profit rose sharply', { delay: 20 });
  await expect(served).toHaveAttribute('data-label', 'positive');
  await input.fill('The company reported a net loss and cut jobs');
  await expect(served).toHaveAttribute('data-label', 'negative');
  expect(requests).toEqual([]);

  // The same text through the API: the served model gives the same label and score.
  const model = await served.getAttribute('data-model');
  const api = await request.post(`${MODELS_URL}/api/sentiment`, {
    data: { texts: ['The company reported a net loss and cut jobs'] },
  });
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.model.name).toBe(model);
  expect(body.results[0].label).toBe('negative');
  expect(Number(await served.getAttribute('data-score'))).toBeCloseTo(body.results[0].score, 5);
  // Both models score; each shows three probabilities.
  await expect(page.getByTestId('sentiment-score')).toHaveCount(2);
  await expect(page.getByTestId('sentiment-probability')).toHaveCount(6);
});

test('the index follows the chosen token, and the comparison shows the baselines', async ({ page }) => {
  await page.goto(`${MODELS_URL}/sentiment`);
  await hydrated(page);
  const chart = page.getByTestId('sentiment-index-chart');
  const btcPoints = await drawnPoints(chart);
  expect(btcPoints).toBeGreaterThan(50);
  await expect(page.getByTestId('sentiment-summary')).toContainText('BTC:');
  await page.getByTestId('sentiment-symbol').selectOption('ETH');
  await expect(page.getByTestId('sentiment-summary')).toContainText('ETH:');
  await expect.poll(async () => (await chartOption(chart)).title).toContain('ETH');
  const option = await chartOption(chart);
  expect(option.series.map((s: any) => s.name)).toEqual(['sentiment', 'close']);

  const rows = page.getByTestId('sentiment-row');
  await expect(rows).toHaveCount(4);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-method')))).toEqual([
    'majority', 'lexicon', 'tfidf_logistic', 'cnn',
  ]);
  await expect(page.getByTestId('confusion')).toHaveCount(4);
  expect(await drawnPoints(page.getByTestId('sentiment-loss-chart'))).toBeGreaterThan(0);
});

test('without a trained model the page says what to run', async ({ page }) => {
  await page.goto(`${EMPTY_URL}/sentiment`);
  await hydrated(page);
  await expect(page.getByTestId('no-sentiment')).toContainText('server train sentiment');
});
