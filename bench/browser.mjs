// In-browser ranking latency on a running server: opens /recommend in Debian's chromium, waits
// until both models are loaded into the page's WASM, clicks "time the rankings" and prints what
// the page measured (25 batches of 200 top-5 queries, `performance.now()` around each batch).
// Usage: node bench/browser.mjs http://127.0.0.1:3000 [runs]
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[3] ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(`${base}/recommend`);
await page.waitForSelector('[data-testid="token-model-status"][data-state="ready"]');
await page.waitForSelector('[data-testid="food-model-status"][data-state="ready"]');
console.log(await browser.version());
for (let run = 1; run <= runs; run++) {
  await page.getByTestId('run-benchmark').click();
  await page.waitForSelector('[data-testid="bench-gap"]');
  for (const row of await page.locator('[data-median-ms]').all()) {
    console.log(`run ${run}: ${await row.textContent()}`);
  }
}
await browser.close();
