// Entry point: makes the store, the router and the views, and starts the page.

import './styles.css';
import { createApp } from './app';
import { byId } from './dom';
import { storedLang, t } from './i18n';
import { createRouter } from './router';
import { parseState } from './state';
import { createStore } from './store';
import { DEFAULT_SORT } from './table';
import { createAccount } from './views/account';
import { createBreakdowns } from './views/breakdowns';
import { createChildrenCard } from './views/children-card';
import { createControls } from './views/controls';
import { createHeader } from './views/header';
import { createHeadlineCard } from './views/headline-card';
import { createKpis } from './views/kpis';
import { createLoginScreen } from './views/login';
import { followSize } from './views/print';
import { createSeriesCard } from './views/series-card';
import { createStatus } from './views/status';
import { createWithoutCard } from './views/without';

const today = new Date();
const store = createStore({
  view: parseState(location.search, storedLang() ?? 'vi'),
  endpoint: '/query',
  stats: null,
  sort: DEFAULT_SORT,
});
const router = createRouter(store);
const lang = () => store.get().view.lang;

// The views call the app back (sign in, sign out, try again) only after it exists.
const status = createStatus(store, router, () => void app.load());
const header = createHeader(router);
const series = createSeriesCard(store);
const breakdowns = createBreakdowns(store);
const content = byId('content');

const app = createApp(store, router, {
  main: byId('main'),
  content,
  login: createLoginScreen({ lang, submit: (u, p) => app.signIn(u, p) }),
  account: createAccount(store, () => app.signOut()),
  status,
  controls: createControls({ router, today, badPeriod: () => status.show('error', t(lang(), 'errBadPeriod')) }),
  header,
  sections: [
    header,
    createHeadlineCard(store),
    createKpis(),
    series,
    createChildrenCard(store, router, today),
    breakdowns,
    createWithoutCard(router),
  ],
});

followSize({ store, content, header, series, breakdowns });

void app.start();
