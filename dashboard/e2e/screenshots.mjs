#!/usr/bin/env node
// Pictures of the dashboard for review: the login screen (Vietnamese, English, a wrong
// password), then, signed in as KETNAP_E2E_USER (default: the demo leadership user),
// 1280×800, 768 wide, print (PDF), English and error states, against the ketnap server
// at KETNAP_URL (`ketnap serve --demo`). SCREEN_ORG picks the organization of the views
// (default: the top of the user's scope).
//
//   npm run build && KETNAP_URL=http://127.0.0.1:8080 npm run screenshots   → e2e/artifacts/screens/*

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'artifacts', 'screens');
mkdirSync(out, { recursive: true });

const base = (process.env.KETNAP_URL || '').replace(/\/+$/, '');
if (!base) {
  console.error('set KETNAP_URL to the ketnap server, e.g. http://127.0.0.1:8080 (ketnap serve --demo)');
  process.exit(1);
}

const org = process.env.SCREEN_ORG ? `&org=${encodeURIComponent(process.env.SCREEN_ORG)}` : '';
const views = {
  bloc: `?from=2015-01-01&to=2020-06-30${org}&lang=vi`,
  top: '?from=2015-01-01&to=2020-06-30&lang=vi',
  term: `?from=2020-01-01&to=2025-12-31${org}&granularity=MONTH&lang=vi`,
  en: `?from=2015-01-01&to=2020-06-30${org}&lang=en`,
};
// Error states, made by answering the page's API requests in the browser.
const failures = {
  error: (route) => route.abort('connectionrefused'),
  forbidden: (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ data: null, errors: [{ message: 'Không có quyền / Forbidden', extensions: { code: 'FORBIDDEN' } }] }),
    }),
};
// The VIEWER that `serve --demo` creates for the demo bloc (graph/auth/demo.go).
const USER = process.env.KETNAP_E2E_USER || 'lanhdao';
const PASSWORD = process.env.KETNAP_E2E_PASSWORD || 'demo-lanhdao-2026';

async function both(name) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(100);
  await page.screenshot({ path: join(out, `${name}-1280.png`) });
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(100);
  await page.screenshot({ path: join(out, `${name}-768.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
  console.log(`${name}: the login screen`);
}

const profile = mkdtempSync(join(tmpdir(), 'ketnap-shots-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
page.on('pageerror', (e) => console.error('page error:', e.message));
try {
  await page.goto(`${base}/?from=2015-01-01&to=2020-06-30&lang=vi`);
  await page.waitForSelector('#login:not([hidden])');
  await both('login-vi');
  await page.fill('#login-username', USER);
  await page.fill('#login-password', 'wrong-password');
  await page.press('#login-password', 'Enter');
  await page.waitForFunction(() => document.querySelector('#login-error')?.textContent?.trim());
  await both('login-error-vi');
  await page.click('#lang-en');
  await page.waitForFunction(() => document.querySelector('#login-title')?.textContent === 'Sign in');
  await both('login-error-en');
  await page.fill('#login-username', '');
  await page.click('#login-submit');
  await page.waitForTimeout(100);
  await page.reload();
  await page.waitForSelector('#login:not([hidden])');
  await both('login-en');
  await page.click('#lang-vi');
  await page.fill('#login-username', USER);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('main#main[data-status="ready"], main#main[data-status="error"]');
  const shots = [
    ...Object.entries(views).map(([name, q]) => [name, q, null]),
    ...Object.entries(failures).map(([name, fail]) => [name, `${views.bloc}`, fail]),
  ];
  for (const [name, q, fail] of shots) {
    await page.setViewportSize({ width: 1280, height: 800 });
    if (fail) await page.route((url) => url.pathname.endsWith('/query'), fail);
    await page.goto(`${base}/${q}`);
    await page.waitForSelector('main[data-status="ready"], main[data-status="error"]');
    await page.screenshot({ path: join(out, `${name}-1280.png`) });
    await page.screenshot({ path: join(out, `${name}-1280-full.png`), fullPage: true });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(out, `${name}-768.png`) });
    await page.screenshot({ path: join(out, `${name}-768-full.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(out, `${name}-print.pdf`), format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    if (fail) await page.unrouteAll();
    console.log(`${name}: ${base}/${q}`);
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`pictures in ${out}`);
