// The GraphQL transport (bearer token, language, error classification) and the one
// request a view makes.

import query from './dashboard.graphql?raw';
import { authHeaders, sessionEnded } from './session';
import type { DashboardQuery, DashboardQueryVariables } from './generated/graphql';
import type { Lang, Stats } from './types';

/** DASHBOARD_QUERY fetches everything one view shows, in a single request. */
export const DASHBOARD_QUERY: string = query;

/** DashboardVariables are the dashboard query's variables (generated from the query). */
export type DashboardVariables = DashboardQueryVariables;

/** ApiErrorKind tells the page which plain-words message to show. */
export type ApiErrorKind = 'unreachable' | 'unauthenticated' | 'forbidden' | 'rateLimited' | 'server' | 'notFound';

/** ApiError is a failed request, classified for the user. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** The server's own wording per language (`extensions.vi` / `extensions.en`), if any. */
    readonly localized: Partial<Record<Lang, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string; vi?: unknown; en?: unknown };
}

export interface GraphQLResponse<T = unknown> {
  data?: T | null;
  errors?: GraphQLError[];
}

const KIND_BY_CODE: Record<string, ApiErrorKind> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  RATE_LIMITED: 'rateLimited',
  NOT_FOUND: 'notFound',
};
// When several errors come back, the one that matters most to the user wins.
const PRIORITY: ApiErrorKind[] = ['unauthenticated', 'rateLimited', 'forbidden', 'notFound'];

function localizedOf(e: GraphQLError): Partial<Record<Lang, string>> {
  const out: Partial<Record<Lang, string>> = {};
  const x = e.extensions;
  if (typeof x?.vi === 'string' && x.vi.trim() !== '') out.vi = x.vi;
  if (typeof x?.en === 'string' && x.en.trim() !== '') out.en = x.en;
  return out;
}

/**
 * classify turns an HTTP status and a decoded body into the `data` of the answer or an
 * ApiError. HTTP 401 means the token is missing, expired or revoked; 403 is a refusal.
 */
export function classify<T>(status: number, body: GraphQLResponse<T> | null): T {
  if (status === 401) throw new ApiError('unauthenticated', `HTTP ${status}`, body?.errors?.[0] ? localizedOf(body.errors[0]) : {});
  if (status === 403) throw new ApiError('forbidden', `HTTP ${status}`, body?.errors?.[0] ? localizedOf(body.errors[0]) : {});
  const errors = body?.errors ?? [];
  for (const kind of PRIORITY) {
    const e = errors.find((x) => KIND_BY_CODE[x.extensions?.code ?? ''] === kind);
    if (e) throw new ApiError(kind, e.message, localizedOf(e));
  }
  if (errors.length > 0) {
    throw new ApiError('server', errors.map((e) => e.message).join('; '), errors.length === 1 ? localizedOf(errors[0]!) : {});
  }
  if (status < 200 || status >= 300) {
    throw new ApiError(status >= 500 ? 'unreachable' : 'server', `HTTP ${status}`);
  }
  if (body?.data === null || body?.data === undefined) throw new ApiError('server', 'empty response');
  return body.data;
}

/**
 * classifyResponse is `classify` for the dashboard query: it returns the stats. The
 * answer is checked for a null `stats` although the schema makes it non-null: a broken
 * or intercepted answer must end in an ApiError, not in a TypeError while drawing.
 */
export function classifyResponse(status: number, body: GraphQLResponse<{ stats: DashboardQuery['stats'] | null }> | null): Stats {
  return asStats(classify(status, body).stats);
}

/** asStats checks that the answer holds stats; see ChildStats for its children. */
function asStats(stats: DashboardQuery['stats'] | null | undefined): Stats {
  if (!stats) throw new ApiError('server', 'empty response');
  return stats as Stats;
}

export interface RequestOptions {
  lang: Lang;
  signal?: AbortSignal;
  /**
   * Whether to send the bearer token and to end the session when the server refuses it
   * (default true). The login mutation sets false: its UNAUTHENTICATED means a wrong
   * password, not an expired session.
   */
  auth?: boolean;
  /**
   * Whether an UNAUTHENTICATED answer ends the session (clears the token and shows the
   * login screen). Default: the value of `auth`.
   */
  endSession?: boolean;
}

/** graphql posts one operation to the API and returns its `data`, or throws an ApiError. */
export async function graphql<T>(
  endpoint: string,
  queryText: string,
  variables: Record<string, unknown>,
  opts: RequestOptions,
): Promise<T> {
  const auth = opts.auth ?? true;
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': opts.lang,
        ...(auth ? authHeaders() : {}),
      },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ query: queryText, variables }),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('unreachable', String(err));
  }
  let body: GraphQLResponse<T> | null = null;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    body = null;
  }
  if (body === null && res.ok) throw new ApiError('unreachable', 'invalid JSON');
  try {
    return classify(res.status, body);
  } catch (err) {
    if ((opts.endSession ?? auth) && err instanceof ApiError && err.kind === 'unauthenticated') sessionEnded();
    throw err;
  }
}

/** fetchStats runs the dashboard query against the configured endpoint. */
export async function fetchStats(
  endpoint: string,
  vars: DashboardVariables,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Stats> {
  const data = await graphql<DashboardQuery>(endpoint, DASHBOARD_QUERY, { ...vars }, { lang, signal });
  return asStats(data.stats);
}

/** sameOrigin tells whether a (relative) address points at `origin`. */
export function sameOrigin(address: string, origin: string): boolean {
  try {
    return new URL(address, `${origin}/`).origin === origin;
  } catch {
    return false;
  }
}

/**
 * resolveEndpoint reads config.json beside index.html; `?api=` overrides it, but only
 * with an address on the page's own origin or on an origin config.json lists in
 * `apiOrigins`: the requests carry the bearer token, and a crafted link must not
 * send it (or the password typed into the login form) anywhere the host did not allow.
 */
export async function resolveEndpoint(search: string, origin: string = globalThis.location?.origin ?? ''): Promise<string> {
  const override = new URLSearchParams(search).get('api');
  if (override && sameOrigin(override, origin)) return override;
  let cfg: { api?: unknown; apiOrigins?: unknown } = {};
  try {
    const res = await fetch('config.json', { cache: 'no-cache' });
    if (res.ok) cfg = (await res.json()) as typeof cfg;
  } catch {
    // Fall through to the default: the API on the same origin.
  }
  if (override && Array.isArray(cfg.apiOrigins)) {
    const allowed = cfg.apiOrigins.filter((o): o is string => typeof o === 'string');
    if (allowed.some((o) => sameOrigin(override, o.replace(/\/+$/, '')))) return override;
  }
  if (typeof cfg.api === 'string' && cfg.api !== '') return cfg.api;
  return '/query';
}
