// Entry point: reads the view from the URL, makes the one request, draws the page.

import './styles.css';
import { ApiError, fetchStats, resolveEndpoint } from './api';
import { fetchMe, login, logout } from './auth';
import { createBreakdownChart, type BreakdownView } from './charts/breakdown';
import { createSeriesChart } from './charts/series';
import { downloadCsv, toCsv } from './csv';
import { byId, h } from './dom';
import { formatDate, parseDisplayDate, toISODate } from './format';
import { headline } from './headline';
import { rememberLang, storedLang, t, type MessageKey } from './i18n';
import { renderKpis } from './kpi';
import { createLoginScreen, type LoginNotice } from './login';
import { renderBreadcrumb } from './nav';
import { getMe, getToken, onUnauthenticated, scopeRoot, type Me } from './session';
import {
  elapsedFraction,
  matchPreset,
  parseState,
  presets,
  sameState,
  serializeState,
  type PresetId,
  type ViewState,
} from './state';
import { csvRows, DEFAULT_SORT, renderChildTable, sortChildren, type Sort } from './table';
import { BREAKDOWNS, type BreakdownKey, type Granularity, type Lang, type Stats } from './types';
import { renderWithout } from './without';

const today = new Date();
let state: ViewState = parseState(location.search, storedLang() ?? 'vi');
let endpoint = '/query';
let stats: Stats | null = null;
let sort: Sort = DEFAULT_SORT;
let inflight: AbortController | null = null;

const el = {
  main: byId('main'),
  content: byId('content'),
  status: byId('status'),
  period: byId<HTMLSelectElement>('period'),
  customRange: byId('custom-range'),
  from: byId<HTMLInputElement>('from'),
  to: byId<HTMLInputElement>('to'),
  granularity: byId<HTMLSelectElement>('granularity'),
  controls: byId<HTMLFormElement>('controls'),
  langVi: byId<HTMLButtonElement>('lang-vi'),
  langEn: byId<HTMLButtonElement>('lang-en'),
  headline: byId('headline'),
  copy: byId<HTMLButtonElement>('copy'),
  copyStatus: byId('copy-status'),
  kpis: byId('kpis'),
  childrenWrap: byId('children-wrap'),
  exportCsv: byId<HTMLButtonElement>('export-csv'),
  breakdownList: byId('breakdown-list'),
  withoutCount: byId('without-count'),
  withoutList: byId('without-list'),
  withoutCard: byId('without-card'),
  breadcrumb: byId('breadcrumb'),
  orgName: byId('org-name'),
  periodLine: byId('period-line'),
  printHeader: byId('print-header'),
  accountCaption: byId('account-caption'),
  accountName: byId('account-name'),
  logout: byId<HTMLButtonElement>('logout'),
};

const series = createSeriesChart(byId('series-chart'), byId('series-alt'), byId('series-note'));
const breakdowns = new Map<BreakdownKey, BreakdownView>();
for (const [key] of BREAKDOWNS) {
  const canvas = h('div', { class: 'chart chart-breakdown', 'aria-hidden': 'true' });
  const alt = h('div', { class: 'alt-table' });
  const card = h(
    'section',
    { class: 'card breakdown-card', 'aria-labelledby': `bd-${key}-title`, 'data-dimension': key },
    h('h3', { id: `bd-${key}-title` }),
    h('p', { class: 'card-sub' }),
    canvas,
    h('p', { class: 'empty-note' }),
    alt,
  );
  el.breakdownList.append(card);
  breakdowns.set(key, createBreakdownChart(key, canvas, alt));
}

// ---- Signing in and out ------------------------------------------------------------

const loginScreen = createLoginScreen({
  lang: () => state.lang,
  submit: async (username, password) => {
    await login(endpoint, username, password, state.lang);
    enterApp();
  },
});

// Any request the server answers with UNAUTHENTICATED (expired or revoked token) ends
// the session: the session module has dropped the token; show the login screen. The URL
// keeps the view, so signing in again returns to it.
onUnauthenticated(() => showLogin('expired'));

/** showLogin hides the dashboard (and forgets its figures) and shows the login screen. */
function showLogin(notice?: LoginNotice): void {
  inflight?.abort();
  inflight = null;
  if (document.body.dataset.view !== 'login') clearDashboard();
  document.body.dataset.view = 'login';
  el.main.hidden = true;
  el.main.removeAttribute('aria-busy');
  loginScreen.show(notice);
  document.title = `${t(state.lang, 'loginTitle')} · ${t(state.lang, 'appTitle')}`;
}

/** enterApp leaves the login screen for the view in the URL. */
function enterApp(): void {
  const fromLogin = loginScreen.visible;
  loginScreen.hide();
  document.body.dataset.view = 'app';
  el.main.hidden = false;
  renderAccount(getMe());
  void load();
  if (fromLogin) el.main.focus();
}

function renderAccount(me: Me | null): void {
  el.accountCaption.textContent = `${t(state.lang, 'account')}:`;
  el.accountName.textContent = me?.username ?? '';
  el.accountName.title = me ? t(state.lang, `role${me.role}` as MessageKey) : '';
  el.logout.textContent = t(state.lang, 'logout');
}

let drawn = false;

/** clearDashboard removes the figures of the last view from the page. */
function clearDashboard(): void {
  stats = null;
  sort = DEFAULT_SORT;
  el.content.hidden = true;
  for (const e of [el.headline, el.kpis, el.childrenWrap, el.withoutCount, el.withoutList, el.breadcrumb, el.orgName, el.periodLine, el.printHeader, el.status]) {
    e.replaceChildren();
  }
  if (drawn) {
    series.update([], state.granularity, state.lang);
    for (const c of breakdowns.values()) c.update([], state.lang);
    drawn = false;
  }
  renderAccount(null);
}

el.logout.addEventListener('click', async () => {
  el.logout.disabled = true;
  try {
    await logout(endpoint, state.lang);
  } finally {
    el.logout.disabled = false;
    showLogin('signedOut');
  }
});

// ---- Navigation -------------------------------------------------------------------

function hrefFor(next: Partial<ViewState>): string {
  return serializeState({ ...state, ...next }, location.search);
}

/** navigate moves to a new view, adds it to the history, and loads it. */
function navigate(next: Partial<ViewState>): void {
  const target = { ...state, ...next };
  if (sameState(target, state)) return;
  const langChanged = target.lang !== state.lang;
  if (target.org !== state.org) sort = DEFAULT_SORT;
  state = target;
  history.pushState(null, '', serializeState(state, location.search));
  if (langChanged) {
    rememberLang(state.lang);
    applyStaticText();
  }
  syncControls();
  void load();
}

window.addEventListener('popstate', () => {
  const prevLang = state.lang;
  state = parseState(location.search, storedLang() ?? state.lang);
  if (state.lang !== prevLang) applyStaticText();
  syncControls();
  void load();
});

const openOrg = (org: string | null): void => navigate({ org });

// ---- Controls ---------------------------------------------------------------------

const PRESET_LABEL: Record<PresetId, MessageKey> = {
  thisYear: 'presetThisYear',
  lastYear: 'presetLastYear',
  term2020: 'presetTerm2020',
  term2025: 'presetTerm2025',
  last5: 'presetLast5',
  custom: 'presetCustom',
};

function fillPeriodOptions(): void {
  const L = state.lang;
  const opts = presets(today).map((p) => {
    const y1 = p.from.slice(0, 4);
    const y2 = p.to.slice(0, 4);
    const years = y1 === y2 ? y1 : `${y1}–${y2}`;
    const label = p.id === 'term2020' || p.id === 'term2025' ? t(L, PRESET_LABEL[p.id]) : `${t(L, PRESET_LABEL[p.id])} (${years})`;
    return h('option', { value: p.id }, label);
  });
  opts.push(h('option', { value: 'custom' }, `${t(L, 'presetCustom')}…`));
  el.period.replaceChildren(...opts);
}

function syncControls(): void {
  const preset = matchPreset(state.from, state.to, today);
  el.period.value = preset;
  el.customRange.hidden = preset !== 'custom';
  el.from.value = formatDate(state.from);
  el.to.value = formatDate(state.to);
  el.granularity.value = state.granularity;
  el.langVi.setAttribute('aria-pressed', String(state.lang === 'vi'));
  el.langEn.setAttribute('aria-pressed', String(state.lang === 'en'));
}

el.period.addEventListener('change', () => {
  const id = el.period.value as PresetId;
  if (id === 'custom') {
    el.customRange.hidden = false;
    el.from.focus();
    return;
  }
  const p = presets(today).find((x) => x.id === id);
  if (p) navigate({ from: p.from, to: p.to });
});

el.controls.addEventListener('submit', (e) => {
  e.preventDefault();
  const from = parseDisplayDate(el.from.value);
  const to = parseDisplayDate(el.to.value);
  if (!from || !to || from > to) {
    showStatus('error', t(state.lang, 'errBadPeriod'));
    return;
  }
  navigate({ from, to });
});

el.granularity.addEventListener('change', () => navigate({ granularity: el.granularity.value as Granularity }));
el.langVi.addEventListener('click', () => navigate({ lang: 'vi' }));
el.langEn.addEventListener('click', () => navigate({ lang: 'en' }));
byId('print').addEventListener('click', () => window.print());

el.copy.addEventListener('click', async () => {
  const text = el.headline.textContent ?? '';
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(el.headline);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    ok = document.execCommand?.('copy') ?? false;
  }
  el.copyStatus.textContent = t(state.lang, ok ? 'copied' : 'copyFailed');
  window.setTimeout(() => (el.copyStatus.textContent = ''), 2500);
});

el.exportCsv.addEventListener('click', () => {
  if (!stats) return;
  const rows = sortChildren(stats.children, sort, state.lang);
  const { header, rows: data } = csvRows(rows, state.lang);
  const code = stats.organization?.code ?? 'toan-bo';
  const safe = code.replace(/[^\p{L}\p{N}_-]+/gu, '-');
  downloadCsv(`ketnap-${safe}-${state.from}-${state.to}.csv`, toCsv(header, data));
});

// ---- Static text ------------------------------------------------------------------

function setText(id: string, key: MessageKey): void {
  byId(id).textContent = t(state.lang, key);
}

function applyStaticText(): void {
  const L = state.lang;
  document.documentElement.lang = L;
  byId('skip-link').textContent = L === 'vi' ? 'Bỏ qua phần điều khiển' : 'Skip to the figures';
  setText('app-title', 'appTitle');
  setText('app-subtitle', 'appSubtitle');
  setText('label-period', 'period');
  setText('label-from', 'fromDate');
  setText('label-to', 'toDate');
  setText('apply', 'apply');
  setText('label-granularity', 'granularity');
  setText('label-lang', 'language');
  setText('print', 'print');
  setText('copy', 'copy');
  setText('children-title', 'childrenTitle');
  setText('export-csv', 'exportCsv');
  setText('breakdowns-title', 'breakdownsTitle');
  setText('without-title', 'withoutTitle');
  byId('kpis').setAttribute('aria-label', L === 'vi' ? 'Chỉ số chính' : 'Key figures');
  byId('breadcrumb').setAttribute('aria-label', t(L, 'breadcrumbLabel'));
  for (const g of ['YEAR', 'QUARTER', 'MONTH'] as const) {
    const o = el.granularity.querySelector<HTMLOptionElement>(`option[value="${g}"]`);
    if (o) o.textContent = t(L, g);
  }
  fillPeriodOptions();
  loginScreen.applyText(L);
  renderAccount(getMe());
  if (document.body.dataset.view === 'login') document.title = `${t(L, 'loginTitle')} · ${t(L, 'appTitle')}`;
  const legend = byId('series-legend');
  legend.replaceChildren(
    h('li', {}, h('span', { class: 'swatch swatch-admitted', 'aria-hidden': 'true' }), t(L, 'legendAdmitted')),
    h('li', {}, h('span', { class: 'swatch swatch-target', 'aria-hidden': 'true' }), t(L, 'legendTarget')),
    h('li', {}, h('span', { class: 'warn-mark', 'aria-hidden': 'true' }, '▲'), t(L, 'legendZero')),
  );
  for (const [key] of BREAKDOWNS) {
    const card = el.breakdownList.querySelector(`[data-dimension="${key}"]`);
    card!.querySelector('h3')!.textContent = t(L, `bd${key}` as MessageKey);
    card!.querySelector('.card-sub')!.textContent =
      L === 'vi' ? 'Số đảng viên mới kết nạp (tỷ lệ trong tổng số)' : 'New members admitted (share of the total)';
    card!.querySelector('.empty-note')!.textContent = t(L, 'bdEmpty');
  }
}

// ---- Loading and rendering --------------------------------------------------------

type StatusKind = 'loading' | 'error' | 'info' | 'none';

function showStatus(kind: StatusKind, message = '', action: 'retry' | 'top' | null = null): void {
  el.status.className = `status status-${kind}`;
  el.status.replaceChildren();
  if (kind === 'none') return;
  el.status.append(h('span', {}, message));
  if (action === 'retry') {
    const b = h('button', { type: 'button', class: 'btn' }, t(state.lang, 'retry'));
    b.addEventListener('click', () => void load());
    el.status.append(' ', b);
  } else if (action === 'top') {
    const a = h('a', { href: hrefFor({ org: null }), class: 'btn btn-quiet status-link' }, t(state.lang, 'backToScope'));
    a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      openOrg(null);
    });
    el.status.append(' ', a);
  }
}

function errorMessage(err: unknown): string {
  const L = state.lang;
  if (err instanceof ApiError) {
    switch (err.kind) {
      case 'forbidden':
        return t(L, 'errForbidden');
      case 'notFound':
        return t(L, 'errNotFound');
      case 'unreachable':
        return t(L, 'errUnreachable');
      case 'rateLimited':
        return err.localized[L] ?? t(L, 'loginRateLimited');
      case 'unauthenticated':
        return t(L, 'loginExpired');
      case 'server':
        return `${t(L, 'errServer')} ${err.message}`;
    }
  }
  return t(L, 'errUnreachable');
}

async function load(): Promise<void> {
  if (!getToken()) {
    showLogin();
    return;
  }
  inflight?.abort();
  const ctrl = new AbortController();
  inflight = ctrl;
  const view = { ...state };
  el.main.setAttribute('aria-busy', 'true');
  el.main.dataset.status = 'loading';
  el.content.classList.add('is-loading');
  showStatus('loading', t(view.lang, 'loading'));
  try {
    // The profile is fetched at login; only a session without it (an older tab) asks here.
    const me = getMe() ?? (await fetchMe(endpoint, view.lang, ctrl.signal));
    if (ctrl.signal.aborted) return;
    renderAccount(me);
    // Without `org` in the URL the view is the top of the user's scope.
    const org = view.org ?? scopeRoot(me);
    const s = await fetchStats(endpoint, { org, from: view.from, to: view.to, granularity: view.granularity }, view.lang, ctrl.signal);
    if (ctrl.signal.aborted) return;
    stats = s;
    render(s, view, me);
    drawn = true;
    showStatus(s.admitted === 0 ? 'info' : 'none', s.admitted === 0 ? t(view.lang, 'emptyPeriod') : '');
    el.content.hidden = false;
    el.main.dataset.status = 'ready';
    // The first view's time to figures, for the end-to-end timing check.
    if (performance.getEntriesByName('ketnap-first-view').length === 0) performance.mark('ketnap-first-view');
    delete el.main.dataset.error;
  } catch (err) {
    if (ctrl.signal.aborted) return;
    // An ended session has already brought up the login screen.
    if (err instanceof ApiError && err.kind === 'unauthenticated') return;
    stats = null;
    el.content.hidden = true;
    el.orgName.textContent = t(view.lang, 'appTitle');
    el.breadcrumb.replaceChildren();
    // Refused or unknown organization: trying again will not help, going to the top will.
    const refused = err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'notFound');
    showStatus('error', errorMessage(err), refused ? (view.org !== null ? 'top' : null) : 'retry');
    el.main.dataset.status = 'error';
    el.main.dataset.error = err instanceof ApiError ? err.kind : 'unreachable';
  } finally {
    if (inflight === ctrl) {
      inflight = null;
      el.main.removeAttribute('aria-busy');
      el.content.classList.remove('is-loading');
    }
  }
}

/** subjectName is what the headline calls the organization being shown. */
function subjectName(s: Stats, lang: Lang): string {
  if (s.organization) return s.organization.name;
  if (s.children.length === 1) return s.children[0]!.organization.name;
  return t(lang, 'allOrganizations');
}

function render(s: Stats, view: ViewState, me: Me): void {
  const L = view.lang;
  const name = s.organization?.name ?? t(L, 'topTitle');
  const periodText = t(L, 'periodText', { from: formatDate(s.from), to: formatDate(s.to) });
  document.title = `${name} · ${t(L, 'appTitle')}`;

  el.breadcrumb.replaceChildren(
    renderBreadcrumb(s.organization, L, (id) => hrefFor({ org: id }), openOrg, scopeRoot(me)),
  );
  el.orgName.textContent = s.organization ? s.organization.name : t(L, 'topTitle');
  el.periodLine.textContent = `${periodText} · ${t(L, 'granularity').toLowerCase()} ${t(L, view.granularity).toLowerCase()}`;

  el.headline.textContent = headline(
    {
      subject: subjectName(s, L),
      from: s.from,
      to: s.to,
      admitted: s.admitted,
      targetAttainment: s.targetAttainment,
      professionalLevel: s.professionalLevel,
    },
    L,
  );
  el.kpis.replaceChildren(...renderKpis(s, L));

  byId('series-title').textContent = t(L, `seriesTitle${view.granularity}`);
  series.update(s.series, view.granularity, L);

  renderChildren(s, view);

  for (const [key, chart] of breakdowns) chart.update(s[key] ?? [], L);
  const noQuality = s.admitted === 0;
  el.breakdownList.hidden = noQuality;
  byId('breakdowns-empty').textContent = noQuality ? t(L, 'bdEmpty') : '';

  renderWithout(s.withoutAdmissions, s.withoutAdmissionsCount, L, el.withoutCount, el.withoutList, (id) => hrefFor({ org: id }), openOrg);

  el.printHeader.replaceChildren(
    h('strong', {}, name),
    h('span', {}, periodText),
    h('span', { id: 'printed-on' }, `${t(L, 'printedOn')} ${formatDate(toISODate(new Date()))}`),
  );
}

function renderChildren(s: Stats, view: ViewState): void {
  const L = view.lang;
  const hint = byId('children-hint');
  el.exportCsv.disabled = s.children.length === 0;
  if (s.children.length === 0) {
    hint.textContent = '';
    el.childrenWrap.replaceChildren(h('p', { class: 'empty' }, t(L, 'childrenNone')));
    return;
  }
  hint.replaceChildren(t(L, 'childrenHint'), ' ', h('span', { class: 'lag-hint' }, t(L, 'childrenLagging')));
  el.childrenWrap.replaceChildren(
    renderChildTable(s.children, {
      lang: L,
      sort,
      elapsed: elapsedFraction(s.from, s.to, today),
      onSort: (next) => {
        sort = next;
        renderChildren(s, view);
        el.childrenWrap.querySelector<HTMLElement>('th[aria-sort] button')?.focus();
      },
      onOpen: (id) => openOrg(id),
    }),
  );
}

// Charts follow the width of their cards, except while printing, when the series
// chart takes the A4 content width (190 mm at 96 dpi) so its text keeps its size.
const PRINT_CHART = { width: 718, height: 200 };
let printing = false;

const resizeObserver = new ResizeObserver(() => {
  if (printing) return;
  series.resize();
  for (const c of breakdowns.values()) c.resize();
});
resizeObserver.observe(el.content);

function enterPrint(): void {
  if (printing) return;
  printing = true;
  const printed = document.getElementById('printed-on');
  if (printed) printed.textContent = `${t(state.lang, 'printedOn')} ${formatDate(toISODate(new Date()))}`;
  series.resize(PRINT_CHART);
}

function leavePrint(): void {
  if (!printing) return;
  printing = false;
  series.resize();
}

window.addEventListener('beforeprint', enterPrint);
window.addEventListener('afterprint', leavePrint);
window.matchMedia('print').addEventListener('change', (e) => (e.matches ? enterPrint() : leavePrint()));

// ---- Start ------------------------------------------------------------------------

async function start(): Promise<void> {
  history.replaceState(null, '', serializeState(state, location.search));
  applyStaticText();
  syncControls();
  endpoint = await resolveEndpoint(location.search);
  if (getToken()) enterApp();
  else showLogin(null);
}

void start();
