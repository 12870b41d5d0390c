import { describe, expect, it } from 'vitest';
import { parseState } from '../src/state';
import { createStore, type AppState } from '../src/store';
import { DEFAULT_SORT } from '../src/table';

const initial = (): AppState => ({ view: parseState('', 'vi'), endpoint: '/query', stats: null, sort: DEFAULT_SORT });

describe('store', () => {
  it('replaces the patched fields and tells the listeners, with the state before', () => {
    const store = createStore(initial());
    const seen: [string, string][] = [];
    store.subscribe((next, prev) => seen.push([prev.endpoint, next.endpoint]));
    const before = store.get();
    store.update({ endpoint: '/api' });
    expect(store.get().endpoint).toBe('/api');
    expect(store.get().view).toBe(before.view);
    expect(before.endpoint).toBe('/query');
    expect(seen).toEqual([['/query', '/api']]);
  });

  it('stays quiet when nothing changed', () => {
    const store = createStore(initial());
    let calls = 0;
    store.subscribe(() => calls++);
    store.update({ endpoint: '/query', sort: DEFAULT_SORT });
    store.update({});
    expect(calls).toBe(0);
  });

  it('stops telling a listener that unsubscribed', () => {
    const store = createStore(initial());
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.update({ endpoint: '/a' });
    off();
    store.update({ endpoint: '/b' });
    expect(calls).toBe(1);
  });
});
