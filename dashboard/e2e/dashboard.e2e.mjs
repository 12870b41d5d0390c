#!/usr/bin/env node
// End-to-end test of the dashboard in Debian's Chromium against a running ketnap server.
//
//   KETNAP_URL=http://127.0.0.1:8080 npm run e2e
//   npm run e2e -- --mock        (development only: serves dist/ with e2e/mock-server.mjs)
//
// The server (with the demo data) is started by the caller. The test fails, never
// skips, when Chromium or the server is missing. It prints "N passed, M failed" last.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(here, 'artifacts');
const QUERY = readFileSync(join(here, '..', 'src', 'dashboard.graphql'), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PERIOD = { from: '2015-01-01', to: '2020-06-30' };
const TIMEOUT = 20_000;

const results = [];
let page;
let context;
let mock;

function log(line) {
  process.stdout.write(`${line}\n`);
}

function finish(code) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`${passed} passed, ${failed} failed`);
  process.exit(code ?? (failed > 0 ? 1 : 0));
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    log(`FAIL ${name}: ${err?.message ?? err}`);
  }
}

// ---- Formatting, as the dashboard writes numbers ------------------------------------

const LOCALE = { vi: 'vi-VN', en: 'en-GB' };
const fmtInt = (n, lang) => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(n);
const fmtPct = (r, lang) => new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(r);

// ---- The API, queried directly with the dashboard's own query ----------------------

let apiUrl;

async function resolveApi(base) {
  let api = '/query';
  try {
    const res = await fetch(new URL('config.json', `${base}/`));
    if (res.ok) api = (await res.json()).api || api;
  } catch {
    // The default applies.
  }
  return new URL(api, `${base}/`).toString();
}

async function gql(vars, lang = 'vi') {
  const res = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang },
    body: JSON.stringify({ query: QUERY, variables: { org: null, granularity: 'QUARTER', ...vars } }),
  });
  const body = await res.json().catch(() => null);
  assert(res.ok, `API answered HTTP ${res.status}`);
  assert(body && !body.errors, `API errors: ${JSON.stringify(body?.errors)}`);
  return body.data.stats;
}

// ---- Page helpers --------------------------------------------------------------------

async function waitReady() {
  await page.waitForSelector('main[data-status="ready"], main[data-status="error"]', { timeout: TIMEOUT });
  const status = await page.getAttribute('main', 'data-status');
  if (status !== 'ready') {
    const text = await page.textContent('#status');
    throw new Error(`the page shows an error: ${text?.trim()}`);
  }
}

async function open(base, query) {
  await page.goto(`${base}/${query}`, { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
  await waitReady();
}

const text = async (sel) => ((await page.textContent(sel, { timeout: TIMEOUT })) ?? '').trim();
const dataValue = async (sel) => page.getAttribute(sel, 'data-value', { timeout: TIMEOUT });
const param = (name) => new URL(page.url()).searchParams.get(name);

/** compareWithApi checks the KPI row and the child table against an API answer. */
async function compareWithApi(s, lang) {
  assertEqual(await text('#kpi-admitted .kpi-value'), fmtInt(s.admitted, lang), 'admitted');
  assertEqual(Number(await dataValue('#kpi-admitted .kpi-value')), s.admitted, 'admitted (raw)');
  if (s.targetAttainment === null) {
    assertEqual(await dataValue('#kpi-target .kpi-value'), '', 'attainment without target');
  } else {
    assertEqual(await text('#kpi-target .kpi-value'), fmtPct(s.targetAttainment, lang), 'attainment');
    assertEqual(Number(await dataValue('#kpi-target .kpi-value')), s.targetAttainment, 'attainment (raw)');
    assert((await text('#kpi-target .kpi-detail')).includes(fmtInt(s.target, lang)), 'target shown');
  }
  assertEqual(Number(await dataValue('#kpi-classes .kpi-value')), s.classes, 'classes');
  assert((await text('#kpi-classes .kpi-detail')).includes(fmtInt(s.trainees, lang)), 'trainees shown');
  assertEqual(Number(await dataValue('#kpi-pipeline .kpi-value')), s.pipeline, 'pipeline');
  assertEqual(Number(await dataValue('#kpi-recognition .recognized strong')), s.recognized, 'recognized');
  assertEqual(Number(await dataValue('#kpi-recognition .not-recognized strong')), s.notRecognized, 'not recognized');
  assertEqual(Number(await dataValue('#kpi-recognition .left strong')), s.leftOrDisciplined, 'left or disciplined');
  const rows = await page.$$eval('#children-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-org-id')));
  assertEqual(rows.length, s.children.length, 'child rows');
  assertEqual([...rows].sort().join(), s.children.map((c) => c.organization.id).sort().join(), 'child ids');
  const bars = await page.$$eval('#series-alt tbody tr', (trs) => trs.length);
  assertEqual(bars, s.series.length, 'series buckets');
  assert((await text('#headline')).includes(fmtInt(s.admitted, lang)), 'headline carries the admitted count');
}

/** row selects the child-table row of an organization (IDs are opaque strings). */
const row = (id) => `#children-table tbody tr[data-org-id="${String(id).replace(/["\\]/g, '\\$&')}"]`;

/** rowFigures reads one child row as the user sees it. */
async function rowFigures(id) {
  return page.$eval(row(id), (tr) => [...tr.children].map((c) => c.textContent.trim()));
}

// ---- The run --------------------------------------------------------------------------

async function main() {
  const useMock = process.argv.includes('--mock');
  let base = (process.env.KETNAP_URL || '').replace(/\/+$/, '');

  await check('Chromium is installed', async () => {
    assert(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  });
  if (!existsSync(CHROMIUM)) finish(1);

  if (!base && useMock) {
    assert(existsSync(join(here, '..', 'dist', 'index.html')), 'run `npm run build` before `npm run e2e -- --mock`');
    const { startMockServer } = await import('./mock-server.mjs');
    mock = await startMockServer(0);
    base = mock.url;
    log(`using the mock server at ${base}`);
  }
  await check('server address is given (KETNAP_URL)', async () => {
    assert(base, 'set KETNAP_URL to the ketnap server, e.g. http://127.0.0.1:8080');
  });
  if (!base) finish(1);

  apiUrl = await resolveApi(base);
  const profile = mkdtempSync(join(tmpdir(), 'ketnap-e2e-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: 'vi-VN',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
  });
  const apiPosts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(apiUrl)) apiPosts.push(r.url());
  });

  const period = `?from=${PERIOD.from}&to=${PERIOD.to}`;
  let top;
  let child;

  try {
    await check('the API answers the dashboard query', async () => {
      top = await gql({ ...PERIOD });
      assert(top.children.length > 0, 'the top of the tree has no organizations');
    });

    await check('top view shows 1.004 admissions and at least 167% of the target', async () => {
      apiPosts.length = 0;
      await open(base, `${period}&lang=vi`);
      assertEqual(await text('#kpi-admitted .kpi-value'), '1.004', 'admitted');
      const pct = await text('#kpi-target .kpi-value');
      const value = Number(pct.replace('%', '').replace(/\./g, '').replace(',', '.'));
      assert(value >= 167, `attainment ${pct} is below 167%`);
      assert((await text('#headline')).startsWith('Từ 01/01/2015 đến 30/06/2020'), 'headline period');
      assert((await text('#headline')).includes('đã kết nạp 1.004 đảng viên'), 'headline count');
      assertEqual(apiPosts.length, 1, 'GraphQL requests for one view');
    });

    await check('top view matches the API', async () => {
      assert(top, 'no API answer');
      await compareWithApi(top, 'vi');
      assertEqual(param('from'), PERIOD.from, 'from in the URL');
      assertEqual(param('to'), PERIOD.to, 'to in the URL');
      assertEqual(param('granularity'), 'QUARTER', 'granularity in the URL');
      assertEqual(param('org'), null, 'org in the URL');
    });

    await check('clicking a child row shows that child exactly as the API returns it', async () => {
      assert(top, 'no API answer');
      const first = top.children[0];
      const shown = await rowFigures(first.organization.id);
      assertEqual(shown[1], fmtInt(first.admitted, 'vi'), 'admitted in the row');
      await page.click(row(first.organization.id));
      await waitReady();
      assertEqual(param('org'), first.organization.id, 'org in the URL');
      child = await gql({ ...PERIOD, org: first.organization.id });
      assertEqual(await text('#org-name'), child.organization.name, 'heading');
      assertEqual(child.admitted, first.admitted, 'row and drill-down agree');
      await compareWithApi(child, 'vi');
      const crumbs = await page.$$eval('#breadcrumb li', (lis) => lis.map((li) => li.textContent.trim()));
      assertEqual(crumbs[crumbs.length - 1], child.organization.name, 'last breadcrumb entry');
    });

    await check('Enter on a focused row drills down one more level', async () => {
      assert(child && child.children.length > 0, 'the first organization has no children to open');
      const target = child.children[child.children.length - 1];
      await page.focus(row(target.organization.id));
      await page.keyboard.press('Enter');
      await waitReady();
      assertEqual(param('org'), target.organization.id, 'org in the URL');
      const s = await gql({ ...PERIOD, org: target.organization.id });
      assertEqual(await text('#org-name'), s.organization.name, 'heading');
      await compareWithApi(s, 'vi');
    });

    await check('back and forward follow the history', async () => {
      assert(child, 'no child view');
      await page.goBack();
      await waitReady();
      assertEqual(param('org'), child.organization.id, 'org after back');
      assertEqual(await text('#org-name'), child.organization.name, 'heading after back');
      await page.goForward();
      await waitReady();
      assert(param('org') !== child.organization.id, 'forward returns to the deeper view');
      await page.goBack();
      await waitReady();
    });

    await check('the breadcrumb goes back to the top', async () => {
      await page.click('#breadcrumb li:first-child a');
      await waitReady();
      assertEqual(param('org'), null, 'org in the URL');
      assertEqual(await text('#kpi-admitted .kpi-value'), '1.004', 'admitted at the top');
      assertEqual(await page.$$eval('#breadcrumb li', (l) => l.length), 1, 'breadcrumb length');
    });

    await check('a link reproduces the view', async () => {
      assert(child, 'no child view');
      await open(base, `?org=${encodeURIComponent(child.organization.id)}&from=${PERIOD.from}&to=${PERIOD.to}&granularity=YEAR&lang=vi`);
      assertEqual(await text('#org-name'), child.organization.name, 'heading');
      assertEqual(await page.$eval('#granularity', (s) => s.value), 'YEAR', 'granularity select');
      const years = await page.$$eval('#series-alt tbody tr', (trs) => trs.length);
      assertEqual(years, 6, 'yearly buckets 2015–2020');
    });

    await check('the child table downloads as CSV with a BOM and one row per child', async () => {
      assert(child, 'no child view');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
      const path = join(profile, 'children.csv');
      await download.saveAs(path);
      const bytes = readFileSync(path);
      assert(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'no UTF-8 BOM');
      const lines = bytes.toString('utf8').slice(1).split('\r\n').filter((l) => l !== '');
      assertEqual(lines.length, child.children.length + 1, 'CSV lines (header + children)');
      assert(lines[0].startsWith('Mã,Tổ chức đảng,Kết nạp,Chỉ tiêu'), `Vietnamese header: ${lines[0]}`);
      for (const c of child.children) {
        assert(lines.some((l) => l.startsWith(`${c.organization.code},`)), `missing row for ${c.organization.code}`);
      }
      assert(download.suggestedFilename().endsWith('.csv'), 'file name');
    });

    await check('the English switch works and is remembered', async () => {
      await open(base, `${period}&lang=vi`);
      await page.click('#lang-en');
      await waitReady();
      assertEqual(param('lang'), 'en', 'lang in the URL');
      assertEqual(await text('#kpi-admitted .kpi-value'), '1,004', 'admitted in English');
      assertEqual(await text('#kpi-admitted .kpi-label'), 'Admitted', 'KPI label');
      assertEqual(await page.getAttribute('html', 'lang'), 'en', 'document language');
      assert((await text('#headline')).startsWith('From 01/01/2015 to 30/06/2020'), 'English headline');
      await open(base, period);
      assertEqual(param('lang'), 'en', 'remembered language in the URL');
      assertEqual(await text('#kpi-admitted .kpi-value'), '1,004', 'remembered language');
      await page.click('#lang-vi');
      await waitReady();
      assertEqual(await text('#kpi-admitted .kpi-value'), '1.004', 'back to Vietnamese');
    });

    await check('keyboard users reach the table rows with a visible focus', async () => {
      // From the last column header, Tab reaches the first row.
      await page.focus('#children-table thead th:last-child button');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        return {
          isRow: el?.matches('#children-table tbody tr:first-child') ?? false,
          outline: el ? getComputedStyle(el).outlineStyle : 'none',
        };
      });
      assert(focused.isRow, 'Tab did not reach the first row');
      assert(focused.outline !== 'none', 'focused row has no visible outline');
      await page.screenshot({ path: join(ARTIFACTS, 'focus.png'), clip: { x: 0, y: 0, width: 1280, height: 800 } });
    });

    await check('at 768 px the page is one column', async () => {
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.waitForTimeout(200);
      const [a, b] = await page.$$eval('.columns > *', (els) => els.map((e) => e.getBoundingClientRect().left));
      assertEqual(a, b, 'table and breakdowns start at the same left edge');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 0, `page scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-768.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    await check('screenshot saved', async () => {
      await open(base, `${period}&lang=vi`);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-full.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: join(ARTIFACTS, 'dashboard-print.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
      await page.emulateMedia({ media: 'screen' });
      assert(existsSync(join(ARTIFACTS, 'dashboard.png')), 'no screenshot');
    });

    await check('a refused request is explained in plain words', async () => {
      await page.route(`${apiUrl}**`, (route) => route.fulfill({ status: 403, contentType: 'application/json', body: '{"errors":[{"message":"forbidden"}]}' }));
      await page.goto(`${base}/${period}&lang=vi`);
      await page.waitForSelector('main[data-status="error"]');
      assert((await text('#status')).includes('không có quyền xem số liệu'), 'permission message');
      await page.unroute(`${apiUrl}**`);
    });

    await check('no script errors or CSP violations on the page', async () => {
      assertEqual(pageErrors.length, 0, `script errors: ${pageErrors.join(' | ')}`);
    });
  } finally {
    await context?.close().catch(() => {});
    mock?.server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main()
  .then(() => finish())
  .catch((err) => {
    log(`FAIL e2e run: ${err?.stack ?? err}`);
    results.push({ name: 'e2e run', ok: false });
    finish(1);
  });
