// The page's controller: which screen shows (login or dashboard), the one request a
// view makes, and drawing its answer into the sections. The state it works on is the
// store's; the DOM is the views'.

import { ApiError, fetchStats, resolveEndpoint } from './api';
import { fetchMe, login, logout } from './auth';
import { t } from './i18n';
import type { Router } from './router';
import { getMe, getToken, onUnauthenticated, scopeRoot } from './session';
import type { Store } from './store';
import { DEFAULT_SORT } from './table';
import type { Account } from './views/account';
import type { Controls } from './views/controls';
import type { Header } from './views/header';
import type { LoginNotice, LoginScreen } from './views/login';
import type { Section } from './views/section';
import { errorMessage, type Status } from './views/status';

/** Page is the views the controller drives. */
export interface Page {
  /** main holds the dashboard; content, the figures (hidden while there are none). */
  main: HTMLElement;
  content: HTMLElement;
  login: LoginScreen;
  account: Account;
  status: Status;
  controls: Controls;
  header: Header;
  /** sections are the parts that draw figures, the header among them, in page order. */
  sections: Section[];
}

/** App is what the views call back. */
export interface App {
  /** start shows the view in the URL, or the login screen. */
  start(): Promise<void>;
  /** load makes the view's request and draws the answer. */
  load(): Promise<void>;
  /** signIn signs in (it throws an ApiError when refused) and opens the view. */
  signIn(username: string, password: string): Promise<void>;
  /** signOut ends the session and shows the login screen. */
  signOut(): Promise<void>;
}

/** createApp wires the controller to the store and the views. */
export function createApp(store: Store, router: Router, page: Page): App {
  // The request of the view being loaded; a newer view aborts it.
  let inflight: AbortController | null = null;
  const lang = () => store.get().view.lang;

  // The view changes through the router (links, controls, back and forward).
  store.subscribe((next, prev) => {
    if (next.view === prev.view) return;
    if (next.view.lang !== prev.view.lang) applyText();
    page.controls.sync(next.view);
    void load();
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
    page.main.hidden = true;
    page.main.removeAttribute('aria-busy');
    page.login.show(notice);
    document.title = `${t(lang(), 'loginTitle')} · ${t(lang(), 'appTitle')}`;
  }

  /** enterApp leaves the login screen for the view in the URL. */
  function enterApp(): void {
    const fromLogin = page.login.visible;
    page.login.hide();
    document.body.dataset.view = 'app';
    page.main.hidden = false;
    page.account.render(getMe());
    void load();
    if (fromLogin) page.main.focus();
  }

  /** clearDashboard removes the figures of the last view from the page. */
  function clearDashboard(): void {
    store.update({ stats: null, sort: DEFAULT_SORT });
    page.content.hidden = true;
    for (const s of page.sections) s.clear();
    page.status.clear();
    page.account.render(null);
  }

  /** applyText writes the fixed text of the page in the current language. */
  function applyText(): void {
    const L = lang();
    document.documentElement.lang = L;
    page.controls.applyText(L);
    for (const s of page.sections) s.applyText(L);
    page.login.applyText(L);
    page.account.render(getMe());
    if (document.body.dataset.view === 'login') document.title = `${t(L, 'loginTitle')} · ${t(L, 'appTitle')}`;
  }

  async function load(): Promise<void> {
    if (!getToken()) {
      showLogin();
      return;
    }
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    const { view, endpoint } = store.get();
    page.main.setAttribute('aria-busy', 'true');
    page.main.dataset.status = 'loading';
    page.content.classList.add('is-loading');
    page.status.show('loading', t(view.lang, 'loading'));
    try {
      // The profile is fetched at login; only a session without it (an older tab) asks here.
      const me = getMe() ?? (await fetchMe(endpoint, view.lang, ctrl.signal));
      if (ctrl.signal.aborted) return;
      page.account.render(me);
      // Without `org` in the URL the view is the top of the user's scope.
      const org = view.org ?? scopeRoot(me);
      const stats = await fetchStats(endpoint, { org, from: view.from, to: view.to, granularity: view.granularity, tree: view.tree }, view.lang, ctrl.signal);
      if (ctrl.signal.aborted) return;
      store.update({ stats });
      for (const s of page.sections) s.render({ stats, view, me });
      page.status.show(stats.admitted === 0 ? 'info' : 'none', stats.admitted === 0 ? t(view.lang, 'emptyPeriod') : '');
      page.content.hidden = false;
      page.main.dataset.status = 'ready';
      // The first view's time to figures, for the end-to-end timing check.
      if (performance.getEntriesByName('ketnap-first-view').length === 0) performance.mark('ketnap-first-view');
      delete page.main.dataset.error;
    } catch (err) {
      if (ctrl.signal.aborted) return;
      // An ended session has already brought up the login screen.
      if (err instanceof ApiError && err.kind === 'unauthenticated') return;
      store.update({ stats: null });
      page.content.hidden = true;
      page.header.showFailed(view.lang);
      // Refused or unknown organization: trying again will not help, going to the top will.
      const refused = err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'notFound');
      page.status.show('error', errorMessage(err, lang()), refused ? (view.org !== null ? 'top' : null) : 'retry');
      page.main.dataset.status = 'error';
      page.main.dataset.error = err instanceof ApiError ? err.kind : 'unreachable';
    } finally {
      if (inflight === ctrl) {
        inflight = null;
        page.main.removeAttribute('aria-busy');
        page.content.classList.remove('is-loading');
      }
    }
  }

  return {
    async start() {
      router.normalize();
      applyText();
      page.controls.sync(store.get().view);
      store.update({ endpoint: await resolveEndpoint(location.search) });
      if (getToken()) enterApp();
      else showLogin(null);
    },
    load,
    async signIn(username, password) {
      await login(store.get().endpoint, username, password, lang());
      enterApp();
    },
    async signOut() {
      try {
        await logout(store.get().endpoint, lang());
      } finally {
        showLogin('signedOut');
      }
    },
  };
}
