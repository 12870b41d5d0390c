// The view state: the one module that holds what the page is drawn from. Views read it
// with get(), change it with update(), and hear of changes through subscribe(); no other
// module keeps mutable state of the view. (The session, token and profile, lives in
// session.ts, in sessionStorage.)

import type { ViewState } from './state';
import type { Sort } from './table';
import type { Stats } from './types';

/** AppState is everything the page is drawn from. */
export interface AppState {
  /** What the URL names: organization, period, granularity and language. */
  readonly view: ViewState;
  /** The GraphQL endpoint (config.json beside index.html, or ?api=). */
  readonly endpoint: string;
  /** The answer on the page; null while none is shown (signed out, loading failed). */
  readonly stats: Stats | null;
  /** The order of the child-organizations table. */
  readonly sort: Sort;
}

/** Listener hears of a change, with the state before it. */
export type Listener = (next: AppState, prev: AppState) => void;

/** Store owns the AppState. */
export interface Store {
  get(): AppState;
  /** update replaces the given fields and tells the listeners, unless nothing changed. */
  update(patch: Partial<AppState>): void;
  /** subscribe registers a listener; the returned function removes it. */
  subscribe(fn: Listener): () => void;
}

/** createStore makes the store; the page has one, made in main.ts. */
export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    update(patch) {
      const keys = Object.keys(patch) as (keyof AppState)[];
      if (keys.every((k) => Object.is(patch[k], state[k]))) return;
      const prev = state;
      state = { ...state, ...patch };
      for (const fn of [...listeners]) fn(state, prev);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
  };
}
