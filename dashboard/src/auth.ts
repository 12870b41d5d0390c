// Signing in and out, and the profile of the signed-in user.

import { ApiError, graphql } from './api';
import { t } from './i18n';
import type { LoginMutation, LoginMutationVariables, LogoutMutation, MeQuery } from './generated/graphql';
import { clearSession, getToken, setMe, setToken } from './session';
import type { Lang, Me } from './types';

// The operations are tagged /* GraphQL */ so that `npm run codegen` reads them.
export const LOGIN_MUTATION = /* GraphQL */ `mutation Login($u: String!, $p: String!) {
  login(username: $u, password: $p) { token expiresAt }
}`;
export const LOGOUT_MUTATION = /* GraphQL */ `mutation Logout { logout }`;
export const ME_QUERY = /* GraphQL */ `query Me { me { username role organization { id code name } } }`;

/** fetchMe asks who the token belongs to and caches the answer beside it. */
export async function fetchMe(endpoint: string, lang: Lang, signal?: AbortSignal, endSession = true): Promise<Me> {
  const data = await graphql<MeQuery>(endpoint, ME_QUERY, {}, { lang, signal, endSession });
  if (!data.me) throw new ApiError('unauthenticated', 'no user');
  setMe(data.me);
  return data.me;
}

/**
 * login exchanges a username and password for a token, keeps it in sessionStorage and
 * fetches the user's profile. Wrong credentials throw ApiError('unauthenticated').
 */
export async function login(endpoint: string, username: string, password: string, lang: Lang): Promise<Me> {
  const variables: LoginMutationVariables = { u: username, p: password };
  const data = await graphql<LoginMutation>(endpoint, LOGIN_MUTATION, variables, { lang, auth: false });
  const token = data.login?.token;
  if (!token) throw new ApiError('server', 'no token in the answer');
  setToken(token);
  try {
    return await fetchMe(endpoint, lang, undefined, false);
  } catch (err) {
    clearSession();
    throw err;
  }
}

/** logout revokes the token on the server (best effort) and forgets the session. */
export async function logout(endpoint: string, lang: Lang): Promise<void> {
  if (!getToken()) return;
  try {
    // A refused token needs no "session expired" notice: the user is leaving anyway.
    await graphql<LogoutMutation>(endpoint, LOGOUT_MUTATION, {}, { lang, endSession: false });
  } catch {
    // Already expired or the server is unreachable: the local session ends anyway.
  } finally {
    clearSession();
  }
}

/** loginErrorText says in plain words, in the current language, why signing in failed. */
export function loginErrorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) {
    const own = err.localized[lang];
    switch (err.kind) {
      case 'unauthenticated':
        return own ?? t(lang, 'loginWrong');
      case 'rateLimited':
        return own ?? t(lang, 'loginRateLimited');
      case 'unreachable':
        return t(lang, 'loginUnreachable');
      default:
        return own ?? `${t(lang, 'loginServer')} ${err.message}`;
    }
  }
  return t(lang, 'loginUnreachable');
}
