// What each page makes a browser download, as it is sent (compressed where the server compresses):
// opens every page in a fresh Chromium context (empty cache), waits until the network is idle
// (hydration, server-function calls and the lazily fetched model artifacts included) and sums the
// encoded body sizes by kind. Chromium advertises brotli only over HTTPS; the run asks for it as a
// browser of an HTTPS deployment would (`accept-encoding: br, gzip`).
// Usage: node bench/pages.mjs http://127.0.0.1:3000
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const pages = ['/', '/crypto', '/crypto/BTC', '/crypto/models', '/crypto/clusters', '/experiments',
  '/nutrition', '/nutrition/models', '/recipes', '/meals', '/meals/plan', '/recommend', '/sentiment'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const kind = (url) => {
  const path = new URL(url).pathname;
  if (path.startsWith('/artifacts/')) return 'artifacts';
  if (path.startsWith('/sfn/')) return 'calls';
  if (/\.(wasm|js|css)$/.test(path)) return 'bundle';
  return 'html';
};
const kib = (n) => (n / 1024).toFixed(1).padStart(9);
console.log(`${'page'.padEnd(18)} ${'html'.padStart(9)} ${'bundle'.padStart(9)} ${'calls'.padStart(9)} ${'artifacts'.padStart(9)} ${'total KiB'.padStart(9)}  encodings`);
for (const path of pages) {
  const context = await browser.newContext({ extraHTTPHeaders: { 'accept-encoding': 'br, gzip' } });
  const page = await context.newPage();
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  const sums = { html: 0, bundle: 0, calls: 0, artifacts: 0 };
  const encodings = new Set();
  for (const r of responses) {
    const sizes = await r.request().sizes();
    sums[kind(r.url())] += sizes.responseBodySize;
    if (kind(r.url()) === 'bundle') encodings.add(`${new URL(r.url()).pathname.split('/').pop()}:${(await r.allHeaders())['content-encoding'] ?? 'identity'}`);
  }
  const total = Object.values(sums).reduce((a, b) => a + b, 0);
  console.log(`${path.padEnd(18)} ${kib(sums.html)} ${kib(sums.bundle)} ${kib(sums.calls)} ${kib(sums.artifacts)} ${kib(total)}  ${[...encodings].join(' ')}`);
  await context.close();
}
await browser.close();
