// Browser tests against two real servers built by `cargo leptos build`: one that imports the
// reference data on first start (DATA_DIR), one on an empty database. Debian's chromium drives
// them; Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const bin = process.env.SERVER_BIN ?? path.join(root, 'target/debug/server');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site');
const dbDir = process.env.E2E_DB_DIR ?? path.join(root, 'target/e2e');
const dataDir = process.env.DATA_DIR ? path.resolve(root, process.env.DATA_DIR) : '';

export const DATA_URL = 'http://127.0.0.1:3100';
export const EMPTY_URL = 'http://127.0.0.1:3101';
export const MODELS_URL = 'http://127.0.0.1:3102';

function server(
  name: string,
  port: number,
  env: Record<string, string>,
  unset: string[] = [],
  before = '',
) {
  const db = path.join(dbDir, `${name}.db`);
  const without = unset.map((v) => `-u ${v}`).join(' ');
  return {
    // A fresh database each run: the data server proves the first-start import too.
    command: `mkdir -p '${dbDir}' && rm -f '${db}' '${db}-wal' '${db}-shm' && ${before} exec env ${without} '${bin}'`,
    cwd: root,
    env: {
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${db}`,
      RUST_LOG: 'warn',
      // The pages are tested on known states: no first-start training in the background.
      TRAIN_ON_START: 'off',
      ...env,
    },
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    reuseExistingServer: false,
    timeout: 300_000,
  };
}

if (!dataDir) {
  throw new Error('DATA_DIR must point at the reference data for the browser tests (make test sets it)');
}

// A data directory holding just the reference prices, for the models' server.
// The models server: the prices, the news, the PhraseBank, the USDA foods, the labelled ingredient
// sentences and the recipes, then one quick training of each system, the recommenders, sentiment
// and the ingredient parser.
const modelData = path.join(dbDir, 'model-data');
const prepareModels = [
  `mkdir -p '${modelData}/crypto' '${modelData}/nutrition'`,
  `ln -sfn '${path.join(dataDir, 'crypto/prices')}' '${modelData}/crypto/prices'`,
  `ln -sfn '${path.join(dataDir, 'crypto/news')}' '${modelData}/crypto/news'`,
  `ln -sfn '${path.join(dataDir, 'crypto/sentiment')}' '${modelData}/crypto/sentiment'`,
  `ln -sfn '${path.join(dataDir, 'nutrition/sr26')}' '${modelData}/nutrition/sr26'`,
  `ln -sfn '${path.join(dataDir, 'ingredients')}' '${modelData}/ingredients'`,
  `ln -sfn '${path.join(dataDir, 'recipes')}' '${modelData}/recipes'`,
  `'${bin}' import > /dev/null`,
  `'${bin}' train crypto --quick`,
  `'${bin}' train nutrition --quick`,
  `'${bin}' train recommend --quick`,
  `'${bin}' train sentiment --quick`,
  `'${bin}' train recipes --quick`,
].join(' && ');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  workers: 1,
  // One retry, reported as "flaky" in the output: in 2 of 3 full CI runs on 2 busy cores one fresh
  // page load (/crypto/ETH, the run's third) never hydrated within 20 s, and 35 isolated repeats
  // never failed. `hydrated()` now lists what such a page loaded, to find the cause.
  retries: 1,
  reporter: [['list']],
  outputDir: path.join(root, 'target/e2e/results'),
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    // Ready (200) only once the first-start import has finished.
    { ...server('data', 3100, { DATA_DIR: dataDir }), url: `${DATA_URL}/readyz` },
    { ...server('empty', 3101, { LIVE_IMPORT: 'false' }, ['DATA_DIR']), url: `${EMPTY_URL}/healthz` },
    // The models' pages: the reference prices only, then one quick training run, then serve.
    {
      ...server('models', 3102, { DATA_DIR: modelData }, [], `${prepareModels} &&`),
      url: `${MODELS_URL}/readyz`,
      timeout: 1_200_000,
    },
  ],
});
