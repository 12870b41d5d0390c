#!/usr/bin/env node
// End-to-end test of the dashboard in Debian's Chromium against a running ketnap server.
//
//   KETNAP_URL=http://127.0.0.1:8080 npm run e2e
//   bash e2e/run.sh ../bin/ketnap       (starts `ketnap serve --demo` for the run)
//
// The server (`ketnap serve --demo`: the demo data and users) is started by the caller.
// The test signs in through the login form as KETNAP_E2E_USER / KETNAP_E2E_PASSWORD
// (default: the demo leadership user, lanhdao / demo-lanhdao-2026) and queries the API
// directly with the same token for its comparisons. It fails, never skips, when Chromium or the server is missing. It prints
// "N passed, M failed" last.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// The VIEWER that `serve --demo` creates for the demo bloc (graph/auth/demo.go).
const USER = process.env.KETNAP_E2E_USER || 'lanhdao';
const PASSWORD = process.env.KETNAP_E2E_PASSWORD || 'demo-lanhdao-2026';
const TOKEN_KEY = 'ketnap.token';
const ME_QUERY = 'query Me { me { username role organization { id code name } } }';
const LOGIN_MUTATION = 'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt } }';

const results = [];
let page;
let context;

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
const fmtPct = (r, lang) =>
  new Intl.NumberFormat(LOCALE[lang], { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r);

// ---- The API, queried directly with the dashboard's own query ----------------------

let apiUrl;
/** The token the page got by signing in, and who it belongs to. */
let token = null;
let me = null;
/** The root of the user's scope: the view without `org` in the URL (null: the whole tree). */
const scope = () => me?.organization?.id ?? null;

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

/** api posts one GraphQL operation, with `tok` as the bearer token when given. */
async function api(query, variables = {}, { tok = token, lang = 'vi' } = {}) {
  const res = await fetch(apiUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Accept-Language': lang,
      ...(tok ? { Authorization: `Bearer ${tok}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => null);
  return { status: res.status, body, code: body?.errors?.[0]?.extensions?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : null) };
}

/** gql runs the dashboard's own query with the page's token; no `org` means the user's scope. */
async function gql(vars, lang = 'vi') {
  const { status, body } = await api(QUERY, { org: scope(), granularity: 'QUARTER', ...vars }, { lang });
  assert(status === 200, `API answered HTTP ${status}`);
  assert(body && !body.errors, `API errors: ${JSON.stringify(body?.errors)}`);
  return body.data.stats;
}

// ---- Page helpers --------------------------------------------------------------------

async function waitReady() {
  await page.waitForSelector('#main[data-status="ready"], #main[data-status="error"], body[data-view="login"]', { timeout: TIMEOUT });
  if ((await page.getAttribute('body', 'data-view')) === 'login') throw new Error('the login screen is shown instead of the dashboard');
  const status = await page.getAttribute('#main', 'data-status');
  if (status !== 'ready') {
    const text = await page.textContent('#status');
    throw new Error(`the page shows an error: ${text?.trim()}`);
  }
}

const loginShown = () => page.waitForSelector('body[data-view="login"] #login:not([hidden])', { timeout: TIMEOUT });
const storedToken = () => page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY);

/** signIn fills the login form with the keyboard and waits for the dashboard. */
async function signIn(user = USER, password = PASSWORD) {
  await loginShown();
  await page.fill('#login-username', '');
  await page.focus('#login-username');
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  // Signing in takes a password hash on the server: wait for its answer
  // (the dashboard, or an error under the form) before looking.
  await page.waitForFunction(
    () => document.body.dataset.view !== 'login' || document.querySelector('#login form')?.getAttribute('aria-busy') !== 'true',
    null,
    { timeout: TIMEOUT },
  );
  await waitReady();
  token = await storedToken();
  assert(token, 'no token in sessionStorage after signing in');
}

async function open(base, query) {
  await page.goto(`${base}/${query}`, { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
  await waitReady();
}

/** The demo data holds 1.004 admissions in 2015-01-01..2020-06-30, all in the one bloc. */
const holdsAll = (s) => scope() === null || s.organization?.ancestors.length === 0;

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
  const without = await page.$$eval('#without-list li', (lis) => lis.length);
  assertEqual(without, s.withoutAdmissions.length, 'organizations without admissions listed');
  if (s.withoutAdmissionsCount > 0) {
    assert((await text('#without-count')).includes(fmtInt(s.withoutAdmissionsCount, lang)), 'count of organizations without admissions');
  }
}

/** row selects the child-table row of an organization (IDs are opaque strings). */
const row = (id) => `#children-table tbody tr[data-org-id="${String(id).replace(/["\\]/g, '\\$&')}"]`;

/** rowFigures reads one child row as the user sees it. */
async function rowFigures(id) {
  return page.$eval(row(id), (tr) => [...tr.children].map((c) => c.textContent.trim()));
}

// ---- The run --------------------------------------------------------------------------

async function main() {
  const base = (process.env.KETNAP_URL || '').replace(/\/+$/, '');

  await check('Chromium is installed', async () => {
    assert(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  });
  if (!existsSync(CHROMIUM)) finish(1);

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
    if (r.method() === 'POST' && r.url().startsWith(apiUrl)) apiPosts.push({ url: r.url(), auth: r.headers().authorization ?? null, body: r.postData() ?? '' });
  });

  const period = `?from=${PERIOD.from}&to=${PERIOD.to}`;
  let top;
  let child;

  try {
    await check('without a token the login screen comes first: a proper form, in Vietnamese', async () => {
      apiPosts.length = 0;
      await page.goto(`${base}/${period}&lang=vi`, { waitUntil: 'domcontentloaded' });
      await loginShown();
      assert(await page.isHidden('#main'), 'the dashboard is visible behind the login screen');
      assert(await page.isHidden('#period'), 'the dashboard controls are visible');
      assertEqual(await text('#login h1'), 'Đăng nhập', 'heading');
      assertEqual(await text('label[for="login-username"]'), 'Tên đăng nhập', 'username label');
      assertEqual(await text('label[for="login-password"]'), 'Mật khẩu', 'password label');
      assertEqual(await text('#login-form button[type="submit"]'), 'Đăng nhập', 'button');
      assertEqual(await page.getAttribute('#login-username', 'autocomplete'), 'username', 'username autocomplete');
      assertEqual(await page.getAttribute('#login-password', 'autocomplete'), 'current-password', 'password autocomplete');
      assertEqual(await page.getAttribute('#login-password', 'type'), 'password', 'password field type');
      assertEqual(await page.$eval('#login-username', (i) => i.form?.id), 'login-form', 'fields inside the form');
      assertEqual(await page.evaluate(() => document.activeElement?.id), 'login-username', 'focus starts in the username field');
      assertEqual(apiPosts.length, 0, 'API requests before signing in');
    });

    await check('the login screen follows the EN switch', async () => {
      await page.click('#lang-en');
      await page.waitForFunction(() => document.querySelector('#login h1')?.textContent === 'Sign in');
      assertEqual(await text('label[for="login-username"]'), 'Username', 'username label');
      assertEqual(await text('label[for="login-password"]'), 'Password', 'password label');
      assertEqual(await text('#login-submit'), 'Sign in', 'button');
      assertEqual(await page.getAttribute('html', 'lang'), 'en', 'document language');
      await page.click('#lang-vi');
      await page.waitForFunction(() => document.querySelector('#login h1')?.textContent === 'Đăng nhập');
      assertEqual(param('from'), PERIOD.from, 'the view stays in the URL');
    });

    await check('a wrong password shows the error in plain words and stays on the login screen', async () => {
      // The server's wording for wrong credentials, from an unknown user ("same as a wrong
      // password"), so that the user under test collects a single failed attempt.
      const ref = await api(LOGIN_MUTATION, { u: 'e2e-no-such-user', p: 'x' }, { tok: null });
      assertEqual(ref.code, 'UNAUTHENTICATED', 'API code for wrong credentials');
      const expected = ref.body.errors[0].extensions?.vi;
      const before = page.url();
      await page.fill('#login-username', USER);
      await page.fill('#login-password', `${PASSWORD}-wrong`);
      await page.press('#login-password', 'Enter');
      await page.waitForFunction(() => document.querySelector('#login-error')?.textContent?.trim());
      const shown = await text('#login-error');
      if (expected) assertEqual(shown, expected, 'the server’s Vietnamese message');
      else assert(/không đúng/.test(shown), `message: ${shown}`);
      assert(!shown.includes(' / '), `both languages shown: ${shown}`);
      await loginShown();
      assert(await page.isHidden('#main'), 'the dashboard opened');
      assertEqual(page.url(), before, 'URL');
      assertEqual(await storedToken(), null, 'token after a wrong password');
      assertEqual(await page.inputValue('#login-password'), '', 'password field emptied');
      assertEqual(await page.getAttribute('#login-password', 'aria-invalid'), 'true', 'password marked');
      assertEqual(await page.evaluate(() => document.activeElement?.id), 'login-password', 'focus back in the password field');
    });

    await check('signing in through the form opens the view in the URL', async () => {
      apiPosts.length = 0;
      await signIn();
      assertEqual(param('from'), PERIOD.from, 'from in the URL');
      assertEqual(param('to'), PERIOD.to, 'to in the URL');
      assertEqual(param('lang'), 'vi', 'lang in the URL');
      assertEqual(await text('#account-name'), USER, 'username in the header');
      assert(await page.isVisible('#logout'), 'no logout button');
      const r = await api(ME_QUERY);
      assert(r.status === 200 && !r.body.errors, `me: ${JSON.stringify(r.body?.errors)}`);
      me = r.body.data.me;
      assertEqual(me.username, USER, 'me.username');
      const stats = apiPosts.filter((p) => p.body.includes('stats('));
      assertEqual(stats.length, 1, 'stats requests after signing in');
    });

    await check('the token is kept in sessionStorage only', async () => {
      assert(token, 'not signed in');
      const local = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`));
      assert(!local.some((v) => v.includes(token)), `token in localStorage: ${local.join(', ')}`);
      assert(!(await page.evaluate(() => document.cookie)).includes(token), 'token in a cookie');
      assert(!page.url().includes(token), 'token in the URL');
    });

    await check('the API refuses requests without a token and answers with it', async () => {
      const anon = await api(ME_QUERY, {}, { tok: null });
      assertEqual(anon.code, 'UNAUTHENTICATED', 'me without a token');
      top = await gql({ ...PERIOD });
      assert(top.children.length > 0, 'the top of the scope has no organizations');
      if (scope()) assertEqual(top.organization?.id, scope(), 'the top is the scope root');
    });

    await check('top view shows 1.004 admissions and at least 167% of the target', async () => {
      assert(top, 'no API answer');
      apiPosts.length = 0;
      await open(base, `${period}&lang=vi`);
      const all = holdsAll(top);
      assertEqual(await text('#kpi-admitted .kpi-value'), all ? '1.004' : fmtInt(top.admitted, 'vi'), 'admitted');
      if (all) {
        const pct = await text('#kpi-target .kpi-value');
        const value = Number(pct.replace('%', '').replace(/\./g, '').replace(',', '.'));
        assert(value >= 167, `attainment ${pct} is below 167%`);
        assert((await text('#headline')).includes('đã kết nạp 1.004 đảng viên'), 'headline count');
      }
      assert((await text('#headline')).startsWith('Từ 01/01/2015 đến 30/06/2020'), 'headline period');
      assertEqual(apiPosts.length, 1, 'GraphQL requests for one view');
      assertEqual(apiPosts[0].auth, `Bearer ${token}`, 'Authorization header');
    });

    await check('the breadcrumb starts at the top of the user’s scope', async () => {
      const crumbs = await page.$$eval('#breadcrumb li', (lis) => lis.map((li) => li.textContent.trim()));
      if (me?.organization) {
        assertEqual(crumbs[0], top.organization.name, 'first entry');
        assert(!crumbs.includes('Toàn bộ'), 'an entry above the scope is shown');
      } else {
        assertEqual(crumbs[0], 'Toàn bộ', 'first entry');
      }
    });

    await check('top view matches the API', async () => {
      assert(top, 'no API answer');
      await compareWithApi(top, 'vi');
      assertEqual(param('from'), PERIOD.from, 'from in the URL');
      assertEqual(param('to'), PERIOD.to, 'to in the URL');
      assertEqual(param('granularity'), 'QUARTER', 'granularity in the URL');
      assertEqual(param('org'), null, 'org in the URL');
    });

    await check('the children table puts first the organization that admitted nobody against a target', async () => {
      assert(top, 'no API answer');
      const rank = (c) => (c.admitted === 0 && (c.target ?? 0) > 0 ? 0 : c.targetAttainment !== null ? 1 : 2);
      const best = Math.min(...top.children.map(rank));
      const want = top.children.filter((c) => rank(c) === best).sort((a, b) => (a.targetAttainment ?? 0) - (b.targetAttainment ?? 0));
      const first = await page.$eval('#children-table tbody tr:first-child', (tr) => tr.getAttribute('data-org-id'));
      const firstChild = top.children.find((c) => c.organization.id === first);
      assert(firstChild, 'the first row is not a child');
      assertEqual(rank(firstChild), best, `the first row's need (${firstChild.organization.name})`);
      assertEqual(firstChild.targetAttainment ?? 0, want[0].targetAttainment ?? 0, 'the first row is the furthest behind');
      const pcts = await page.$$eval('#children-table tbody td', (tds) => tds.map((td) => td.textContent.trim()).filter((x) => x.endsWith('%')));
      for (const p of pcts) assert(/^[\d.]+,\d%$/.test(p), `a percentage without exactly one decimal: ${p}`);
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
      assertEqual(await text('#kpi-admitted .kpi-value'), fmtInt(top.admitted, 'vi'), 'admitted at the top');
      if (holdsAll(top)) assertEqual(fmtInt(top.admitted, 'vi'), '1.004', 'admitted in the demo data');
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
      assertEqual(await text('#kpi-admitted .kpi-value'), fmtInt(top.admitted, 'en'), 'admitted in English');
      assertEqual(await text('#kpi-admitted .kpi-label'), 'Admitted', 'KPI label');
      assertEqual(await page.getAttribute('html', 'lang'), 'en', 'document language');
      assert((await text('#headline')).startsWith('From 01/01/2015 to 30/06/2020'), 'English headline');
      await open(base, period);
      assertEqual(param('lang'), 'en', 'remembered language in the URL');
      assertEqual(await text('#kpi-admitted .kpi-value'), fmtInt(top.admitted, 'en'), 'remembered language');
      await page.click('#lang-vi');
      await waitReady();
      assertEqual(await text('#kpi-admitted .kpi-value'), fmtInt(top.admitted, 'vi'), 'back to Vietnamese');
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

    await check('the first view\'s time to figures is measured (recorded in BENCHMARKS.md, not asserted)', async () => {
      const times = [];
      for (let i = 0; i < 5; i++) {
        await page.goto(`${base}/${period}&lang=vi`, { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
        await waitReady();
        times.push(await page.evaluate(() => performance.getEntriesByName('ketnap-first-view')[0]?.startTime ?? NaN));
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      writeFileSync(join(ARTIFACTS, 'first-view.json'), JSON.stringify({ runs: times, median }, null, 2));
      log(`     first view: median ${Math.round(median)} ms, runs ${times.map(Math.round).join(', ')} ms`);
      assert(Number.isFinite(median), 'the page set no first-view mark');
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
      await page.waitForSelector('#main[data-status="error"]');
      assert((await text('#status')).includes('không có quyền xem số liệu'), 'permission message');
      await page.unroute(`${apiUrl}**`);
    });

    await check('FORBIDDEN for an organization shows "no permission" and a way back', async () => {
      assert(child, 'no child view');
      const forbidden = {
        errors: [{ message: 'Không có quyền / Forbidden', path: ['stats'], extensions: { code: 'FORBIDDEN', vi: 'Không có quyền', en: 'Forbidden' } }],
        data: null,
      };
      await page.route(`${apiUrl}**`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(forbidden) }));
      await page.goto(`${base}/?org=${encodeURIComponent(child.organization.id)}&from=${PERIOD.from}&to=${PERIOD.to}&lang=vi`);
      await page.waitForSelector('#main[data-status="error"]');
      await page.unroute(`${apiUrl}**`);
      assertEqual(await page.getAttribute('#main', 'data-error'), 'forbidden', 'error kind');
      assert((await text('#status')).includes('không có quyền xem số liệu của tổ chức đảng này'), 'permission message');
      assert(await page.isHidden('#content'), 'figures shown');
      assert(await page.isVisible('#login') === false, 'FORBIDDEN must not sign the user out');
      assertEqual(await storedToken(), token, 'token kept');
      await page.click('#status a');
      await waitReady();
      assertEqual(param('org'), null, 'back at the top');
    });

    await check('an expired or revoked token brings back the login screen; signing in returns to the view', async () => {
      assert(child, 'no child view');
      await page.evaluate((k) => sessionStorage.setItem(k, 'e2e-revoked-token'), TOKEN_KEY);
      const view = `?org=${encodeURIComponent(child.organization.id)}&from=${PERIOD.from}&to=${PERIOD.to}&granularity=YEAR&lang=vi`;
      await page.goto(`${base}/${view}`);
      await loginShown();
      assert((await text('#login-notice')).includes('hết hạn'), 'session-expired notice');
      assertEqual(await storedToken(), null, 'the refused token is dropped');
      assertEqual(param('org'), child.organization.id, 'the view stays in the URL');
      await signIn();
      assertEqual(param('org'), child.organization.id, 'org after signing in');
      assertEqual(param('granularity'), 'YEAR', 'granularity after signing in');
      assertEqual(await text('#org-name'), child.organization.name, 'heading after signing in');
    });

    await check('logout returns to the login screen, revokes the token, and survives a reload', async () => {
      const old = token;
      assert(old, 'not signed in');
      await page.click('#logout');
      await loginShown();
      assert(await page.isHidden('#main'), 'the dashboard is still visible');
      assertEqual(await storedToken(), null, 'token after logout');
      assert((await text('#login-notice')).includes('đăng xuất'), 'signed-out notice');
      assertEqual(await page.$$eval('#kpis > *', (k) => k.length), 0, 'figures left in the page');
      const after = await api(ME_QUERY, {}, { tok: old });
      assertEqual(after.code, 'UNAUTHENTICATED', 'the old token after logout');
      apiPosts.length = 0;
      await page.reload({ waitUntil: 'domcontentloaded' });
      await loginShown();
      await page.waitForTimeout(300);
      assertEqual(apiPosts.length, 0, 'API requests after the reload');
      token = null;
    });

    await check('no script errors or CSP violations on the page', async () => {
      assertEqual(pageErrors.length, 0, `script errors: ${pageErrors.join(' | ')}`);
    });
  } finally {
    await context?.close().catch(() => {});
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
