import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const base = process.argv[2] ?? 'http://127.0.0.1:8090';
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kn-')), { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'], viewport: { width: 1280, height: 800 } });
const page = await ctx.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const urls = (process.argv[3] ?? '/?from=2015-01-01&to=2020-06-30').split(',');
let i = 0;
for (const u of urls) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(base + u);
  await page.waitForSelector('#kpi-admitted, .status-error', { timeout: 10000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shot-${i}-1280.png` });
  await page.screenshot({ path: `/tmp/shot-${i}-1280-full.png`, fullPage: true });
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shot-${i}-768-full.png`, fullPage: true }); await page.screenshot({ path: `/tmp/shot-${i}-768.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: `/tmp/shot-${i}.pdf`, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  i++;
}
await ctx.close();
