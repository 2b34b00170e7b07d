// Screenshots of the dashboard for the README: `node scripts/screenshots.mjs http://127.0.0.1:3000`.
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
for (const [path, name, click] of [['/', 'home', 'toggle-details'], ['/crypto', 'crypto'], ['/nutrition', 'nutrition']]) {
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated="true"]');
  if (click) await page.getByTestId(click).click();
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
}
await browser.close();
