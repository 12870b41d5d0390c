// The signed-in session: the bearer token and the user's profile (`me`), kept in
// sessionStorage only, so they die with the tab and never reach localStorage, a cookie
// or the URL. Nothing here talks to the network.

import type { Me, Role } from './types';

export const TOKEN_KEY = 'ketnap.token';
export const ME_KEY = 'ketnap.me';

// Me (the answer of the Me query, generated from the schema) is re-exported for callers
// that deal with the session only. Its `organization` is the root of the user's scope;
// null for ADMIN (the whole tree).
export type { Me, Role };

/** StorageLike is the part of the Web Storage API the session needs (tests pass a fake). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

let storageOverride: StorageLike | null | undefined;
let memoryToken: string | null = null;
let memoryMe: Me | null = null;

/** useStorage replaces sessionStorage (tests); `undefined` restores the default. */
export function useStorage(s: StorageLike | null | undefined): void {
  storageOverride = s;
  memoryToken = null;
  memoryMe = null;
}

function store(): StorageLike | null {
  if (storageOverride !== undefined) return storageOverride;
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    // Storage disabled: the session then lives in memory, for this page only.
    return null;
  }
}

function read(key: string): string | null {
  try {
    return store()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    const s = store();
    if (value === null) s?.removeItem(key);
    else s?.setItem(key, value);
  } catch {
    // Quota or privacy mode: the in-memory copy still serves this page.
  }
}

/** getToken returns the bearer token, or null when nobody is signed in. */
export function getToken(): string | null {
  return read(TOKEN_KEY) ?? memoryToken;
}

/** getMe returns the cached profile of the signed-in user, if it was fetched. */
export function getMe(): Me | null {
  if (memoryMe) return memoryMe;
  const raw = read(ME_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Me;
    if (typeof v?.username !== 'string' || typeof v.role !== 'string') return null;
    memoryMe = v;
    return v;
  } catch {
    return null;
  }
}

/** setToken starts a session (and forgets the profile of any previous one). */
export function setToken(token: string): void {
  memoryToken = token;
  memoryMe = null;
  write(TOKEN_KEY, token);
  write(ME_KEY, null);
}

/** setMe caches the profile beside the token. */
export function setMe(me: Me): void {
  memoryMe = me;
  write(ME_KEY, JSON.stringify(me));
}

/** clearSession forgets the token and the profile. */
export function clearSession(): void {
  memoryToken = null;
  memoryMe = null;
  write(TOKEN_KEY, null);
  write(ME_KEY, null);
}

/** authHeaders is the Authorization header for the current token (empty when signed out). */
export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** scopeRoot is the organization a user's view starts from (null: the whole tree). */
export function scopeRoot(me: Me | null): string | null {
  return me?.organization?.id ?? null;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** onUnauthenticated registers what to do when the server no longer accepts the token. */
export function onUnauthenticated(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** sessionEnded drops the session and tells the listeners (the page shows the login screen). */
export function sessionEnded(): void {
  clearSession();
  for (const fn of listeners) fn();
}
