import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchStats, graphql, resolveEndpoint, sameOrigin } from '../src/api';
import { login, loginErrorText, logout } from '../src/auth';
import {
  authHeaders,
  clearSession,
  getMe,
  getToken,
  ME_KEY,
  onUnauthenticated,
  scopeRoot,
  setMe,
  setToken,
  TOKEN_KEY,
  useStorage,
  type Me,
} from '../src/session';

/** A Map-backed Storage that records every call. */
function fakeStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: vi.fn((k: string) => data.get(k) ?? null),
    setItem: vi.fn((k: string, v: string) => void data.set(k, String(v))),
    removeItem: vi.fn((k: string) => void data.delete(k)),
  };
}

const VIEWER: Me = { username: 'viewer', role: 'VIEWER', organization: { id: 'org-bl', code: 'BL', name: 'Khối' } };

type Reply = { status?: number; body: unknown } | Error;

/** stubFetch answers each call with the next reply and records the requests. */
function stubFetch(...replies: Reply[]) {
  const calls: { url: string; headers: Record<string, string>; body: { query: string; variables: Record<string, unknown> } }[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
    const r = replies.shift();
    if (!r) throw new Error('unexpected request');
    if (r instanceof Error) throw r;
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

const unauth = (vi_ = 'Sai mật khẩu', en = 'Wrong password') => ({
  body: { errors: [{ message: `${vi_} / ${en}`, extensions: { code: 'UNAUTHENTICATED', vi: vi_, en } }], data: null },
});

let session: ReturnType<typeof fakeStorage>;
let local: ReturnType<typeof fakeStorage>;

beforeEach(() => {
  session = fakeStorage();
  local = fakeStorage();
  vi.stubGlobal('localStorage', local);
  useStorage(session);
});

afterEach(() => {
  clearSession();
  useStorage(undefined);
  vi.unstubAllGlobals();
});

describe('session storage', () => {
  it('keeps the token and the profile in sessionStorage only', () => {
    setToken('tok-1');
    setMe(VIEWER);
    expect(session.data.get(TOKEN_KEY)).toBe('tok-1');
    expect(JSON.parse(session.data.get(ME_KEY)!)).toEqual(VIEWER);
    expect(getToken()).toBe('tok-1');
    expect(getMe()).toEqual(VIEWER);
    expect(local.setItem).not.toHaveBeenCalled();
  });

  it('forgets the previous profile with a new token, and everything on clear', () => {
    setToken('tok-1');
    setMe(VIEWER);
    setToken('tok-2');
    expect(getMe()).toBeNull();
    clearSession();
    expect(getToken()).toBeNull();
    expect(session.data.size).toBe(0);
  });

  it('reads the session another page load left behind', () => {
    session.data.set(TOKEN_KEY, 'tok-old');
    session.data.set(ME_KEY, JSON.stringify(VIEWER));
    useStorage(session); // drops the in-memory copies, as a reload would
    expect(getToken()).toBe('tok-old');
    expect(getMe()?.username).toBe('viewer');
  });

  it('ignores a damaged profile', () => {
    session.data.set(ME_KEY, '{not json');
    expect(getMe()).toBeNull();
    session.data.set(ME_KEY, '{"x":1}');
    expect(getMe()).toBeNull();
  });

  it('falls back to memory when storage throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    useStorage(broken);
    setToken('tok-mem');
    expect(getToken()).toBe('tok-mem');
    clearSession();
    expect(getToken()).toBeNull();
  });

  it('builds the Authorization header from the token', () => {
    expect(authHeaders()).toEqual({});
    setToken('abc.def');
    expect(authHeaders()).toEqual({ Authorization: 'Bearer abc.def' });
  });

  it('starts a scoped user at the root of the scope and ADMIN at the top', () => {
    expect(scopeRoot(VIEWER)).toBe('org-bl');
    expect(scopeRoot({ username: 'admin', role: 'ADMIN', organization: null })).toBeNull();
    expect(scopeRoot(null)).toBeNull();
  });
});

describe('requests', () => {
  it('sends the bearer token and the language on every API request', async () => {
    setToken('tok-1');
    const calls = stubFetch({ body: { data: { stats: { admitted: 3 } } } }, { body: { data: { x: 1 } } });
    await fetchStats('/query', { org: 'org-bl', from: '2020-01-01', to: '2020-12-31', granularity: 'YEAR' }, 'en');
    await graphql('/query', 'query { x }', {}, { lang: 'vi' });
    for (const c of calls) expect(c.headers.Authorization).toBe('Bearer tok-1');
    expect(calls[0]!.headers['Accept-Language']).toBe('en');
    expect(calls[0]!.body.variables.org).toBe('org-bl');
  });

  it('sends no Authorization header without a token', async () => {
    const calls = stubFetch({ body: { data: { x: 1 } } });
    await graphql('/query', 'query { x }', {}, { lang: 'vi' });
    expect(calls[0]!.headers.Authorization).toBeUndefined();
  });

  it('ends the session on UNAUTHENTICATED (HTTP 200 with an error, or 401)', async () => {
    for (const reply of [unauth(), { status: 401, body: { errors: [{ message: 'no' }] } }]) {
      setToken('tok-1');
      const ended = vi.fn();
      const off = onUnauthenticated(ended);
      stubFetch(reply);
      await expect(graphql('/query', 'query { x }', {}, { lang: 'vi' })).rejects.toMatchObject({ kind: 'unauthenticated' });
      expect(getToken()).toBeNull();
      expect(session.data.has(TOKEN_KEY)).toBe(false);
      expect(ended).toHaveBeenCalledTimes(1);
      off();
    }
  });

  it('keeps the session on FORBIDDEN', async () => {
    setToken('tok-1');
    const ended = vi.fn();
    const off = onUnauthenticated(ended);
    stubFetch({ body: { errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] } });
    await expect(graphql('/query', 'query { x }', {}, { lang: 'vi' })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(getToken()).toBe('tok-1');
    expect(ended).not.toHaveBeenCalled();
    off();
  });

  it('reports a network failure as unreachable', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    await expect(graphql('/query', 'query { x }', {}, { lang: 'vi' })).rejects.toMatchObject({ kind: 'unreachable' });
  });
});

describe('login and logout', () => {
  it('stores the token, then fetches and caches the profile with it', async () => {
    const calls = stubFetch({ body: { data: { login: { token: 'tok-new', expiresAt: '2030-01-01T00:00:00Z' } } } }, { body: { data: { me: VIEWER } } });
    const me = await login('/query', 'viewer', 'secret', 'vi');
    expect(me).toEqual(VIEWER);
    expect(calls[0]!.headers.Authorization).toBeUndefined();
    expect(calls[0]!.body.variables).toEqual({ u: 'viewer', p: 'secret' });
    expect(calls[0]!.body.query).toContain('login(username: $u, password: $p)');
    expect(calls[1]!.headers.Authorization).toBe('Bearer tok-new');
    expect(calls[1]!.body.query).toContain('me {');
    expect(getToken()).toBe('tok-new');
    expect(getMe()).toEqual(VIEWER);
    expect(local.setItem).not.toHaveBeenCalled();
  });

  it('a wrong password is an error in words, not an ended session', async () => {
    const ended = vi.fn();
    const off = onUnauthenticated(ended);
    stubFetch(unauth('Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.'));
    const err = await login('/query', 'viewer', 'bad', 'vi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('unauthenticated');
    expect(ended).not.toHaveBeenCalled();
    expect(getToken()).toBeNull();
    expect(loginErrorText(err, 'vi')).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(loginErrorText(err, 'en')).toBe('Wrong username or password.');
    off();
  });

  it('falls back to its own words when the server gives none', () => {
    expect(loginErrorText(new ApiError('unauthenticated', 'x'), 'vi')).toMatch(/không đúng/);
    expect(loginErrorText(new ApiError('rateLimited', 'x'), 'en')).toMatch(/Too many/);
    expect(loginErrorText(new ApiError('unreachable', 'x'), 'vi')).toMatch(/Không kết nối/);
    expect(loginErrorText(new Error('?'), 'en')).toMatch(/cannot be reached/);
  });

  it('does not keep a token when the profile cannot be fetched', async () => {
    stubFetch({ body: { data: { login: { token: 'tok-new', expiresAt: 'x' } } } }, { status: 502, body: {} });
    await expect(login('/query', 'viewer', 'secret', 'vi')).rejects.toBeInstanceOf(ApiError);
    expect(getToken()).toBeNull();
  });

  it('logout revokes the token on the server and forgets it', async () => {
    setToken('tok-1');
    setMe(VIEWER);
    const calls = stubFetch({ body: { data: { logout: true } } });
    await logout('/query', 'vi');
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok-1');
    expect(calls[0]!.body.query).toMatch(/mutation\b.*\blogout\b/);
    expect(getToken()).toBeNull();
    expect(getMe()).toBeNull();
  });

  it('logout forgets the token even when the server refuses or is down', async () => {
    const ended = vi.fn();
    const off = onUnauthenticated(ended);
    for (const reply of [unauth(), new TypeError('down')]) {
      setToken('tok-1');
      stubFetch(reply);
      await logout('/query', 'vi');
      expect(getToken()).toBeNull();
    }
    expect(ended).not.toHaveBeenCalled();
    off();
  });
});

describe('endpoint', () => {
  it('accepts ?api= only on the page origin, so the token never leaves it', async () => {
    const origin = 'https://ketnap.example';
    expect(sameOrigin('/query-2', origin)).toBe(true);
    expect(sameOrigin('https://ketnap.example/api', origin)).toBe(true);
    expect(sameOrigin('https://evil.example/q', origin)).toBe(false);
    expect(sameOrigin('//evil.example/q', origin)).toBe(false);
    expect(await resolveEndpoint('?api=/query-403', origin)).toBe('/query-403');
    stubFetch({ body: { api: '/query' } });
    expect(await resolveEndpoint('?api=https://evil.example/q', origin)).toBe('/query');
  });

  it('accepts ?api= on an origin config.json allows, for a dashboard hosted apart from the API', async () => {
    const origin = 'https://dashboard.example';
    const config = (cfg: unknown) => vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(cfg), { status: 200 })));
    config({ api: 'https://api.example/query', apiOrigins: ['https://api.example', 'https://staging.example/'] });
    expect(await resolveEndpoint('', origin)).toBe('https://api.example/query');
    expect(await resolveEndpoint('?api=https://staging.example/query', origin)).toBe('https://staging.example/query');
    config({ api: 'https://api.example/query', apiOrigins: ['https://api.example'] });
    expect(await resolveEndpoint('?api=https://evil.example/query', origin)).toBe('https://api.example/query');
  });
});
