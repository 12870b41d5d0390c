// The one GraphQL request a view makes, and the classification of its failures.

import query from './dashboard.graphql?raw';
import type { Granularity, Lang, Stats } from './types';

/** DASHBOARD_QUERY fetches everything one view shows, in a single request. */
export const DASHBOARD_QUERY: string = query;

export interface DashboardVariables {
  org: string | null;
  from: string;
  to: string;
  granularity: Granularity;
}

/** ApiErrorKind tells the page which plain-words message to show. */
export type ApiErrorKind = 'unreachable' | 'forbidden' | 'server' | 'notFound';

/** ApiError is a failed dashboard request, classified for the user. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

interface GraphQLResponse {
  data?: { stats: Stats | null } | null;
  errors?: GraphQLError[];
}

const FORBIDDEN_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
const NOT_FOUND_CODES = new Set(['NOT_FOUND']);

/** classifyResponse turns an HTTP status and a decoded body into Stats or an ApiError. */
export function classifyResponse(status: number, body: GraphQLResponse | null): Stats {
  if (status === 401 || status === 403) {
    throw new ApiError('forbidden', `HTTP ${status}`);
  }
  const errors = body?.errors ?? [];
  for (const e of errors) {
    const code = e.extensions?.code ?? '';
    if (FORBIDDEN_CODES.has(code)) throw new ApiError('forbidden', e.message);
    if (NOT_FOUND_CODES.has(code)) throw new ApiError('notFound', e.message);
  }
  if (errors.length > 0) {
    throw new ApiError('server', errors.map((e) => e.message).join('; '));
  }
  if (status < 200 || status >= 300) {
    throw new ApiError(status >= 500 ? 'unreachable' : 'server', `HTTP ${status}`);
  }
  const stats = body?.data?.stats;
  if (!stats) throw new ApiError('server', 'empty response');
  return stats;
}

/** fetchStats runs the dashboard query against the configured endpoint. */
export async function fetchStats(
  endpoint: string,
  vars: DashboardVariables,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Stats> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': lang,
      },
      credentials: 'same-origin',
      body: JSON.stringify({ query: DASHBOARD_QUERY, variables: vars }),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('unreachable', String(err));
  }
  let body: GraphQLResponse | null = null;
  try {
    body = (await res.json()) as GraphQLResponse;
  } catch {
    body = null;
  }
  if (body === null && res.ok) throw new ApiError('unreachable', 'invalid JSON');
  return classifyResponse(res.status, body);
}

/** resolveEndpoint reads config.json beside index.html; `?api=` overrides it. */
export async function resolveEndpoint(search: string): Promise<string> {
  const override = new URLSearchParams(search).get('api');
  if (override) return override;
  try {
    const res = await fetch('config.json', { cache: 'no-cache' });
    if (res.ok) {
      const cfg = (await res.json()) as { api?: unknown };
      if (typeof cfg.api === 'string' && cfg.api !== '') return cfg.api;
    }
  } catch {
    // Fall through to the default: the API on the same origin.
  }
  return '/query';
}
