// Navigation: the view is in the URL, so moving to another view is a history entry, and
// back and forward are views too.

import { rememberLang, storedLang } from './i18n';
import { parseState, sameState, serializeState, type ViewState } from './state';
import type { Store } from './store';
import { DEFAULT_SORT } from './table';

/** Links are what links and rows that open an organization need. */
export interface Links {
  /** href is the address of the current view with `org` (null: the top of the scope). */
  href(org: string | null): string;
  /** open moves to that view. */
  open(org: string | null): void;
}

/** Router moves between views. */
export interface Router extends Links {
  /** hrefFor is the address of the current view with the given changes. */
  hrefFor(next: Partial<ViewState>): string;
  /** navigate moves to a new view and adds it to the history. */
  navigate(next: Partial<ViewState>): void;
  /** normalize writes the current view into the URL (without a new history entry). */
  normalize(): void;
}

/**
 * createRouter keeps the store's view and the URL in step: navigate pushes a history
 * entry, back and forward (popstate) read the URL again. The views that follow the view
 * subscribe to the store.
 */
export function createRouter(store: Store): Router {
  const hrefFor = (next: Partial<ViewState>): string => serializeState({ ...store.get().view, ...next }, location.search);

  function navigate(next: Partial<ViewState>): void {
    const { view, sort } = store.get();
    const target = { ...view, ...next };
    if (sameState(target, view)) return;
    history.pushState(null, '', serializeState(target, location.search));
    if (target.lang !== view.lang) rememberLang(target.lang);
    // Another organization starts with the table in its default order.
    store.update({ view: target, sort: target.org !== view.org ? DEFAULT_SORT : sort });
  }

  window.addEventListener('popstate', () => {
    store.update({ view: parseState(location.search, storedLang() ?? store.get().view.lang) });
  });

  return {
    hrefFor,
    navigate,
    href: (org) => hrefFor({ org }),
    open: (org) => navigate({ org }),
    normalize: () => history.replaceState(null, '', serializeState(store.get().view, location.search)),
  };
}
