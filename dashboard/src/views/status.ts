// The status line above the figures: loading, an empty period, or what went wrong in
// plain words, with the one action that helps (try again, or back to the top).

import { ApiError } from '../api';
import { byId, h } from '../dom';
import { t } from '../i18n';
import type { Links } from '../router';
import type { Store } from '../store';
import type { Lang } from '../types';

export type StatusKind = 'loading' | 'error' | 'info' | 'none';
export type StatusAction = 'retry' | 'top' | null;

/** Status is the #status line. */
export interface Status {
  show(kind: StatusKind, message?: string, action?: StatusAction): void;
  clear(): void;
}

/** errorMessage says in plain words, in the language, why the view could not be shown. */
export function errorMessage(err: unknown, L: Lang): string {
  if (err instanceof ApiError) {
    switch (err.kind) {
      case 'forbidden':
        return t(L, 'errForbidden');
      case 'notFound':
        return t(L, 'errNotFound');
      case 'unreachable':
        return t(L, 'errUnreachable');
      case 'rateLimited':
        return err.localized[L] ?? t(L, 'loginRateLimited');
      case 'unauthenticated':
        return t(L, 'loginExpired');
      case 'server':
        return `${t(L, 'errServer')} ${err.message}`;
    }
  }
  return t(L, 'errUnreachable');
}

/** createStatus draws into #status; `retry` loads the view again. */
export function createStatus(store: Store, links: Links, retry: () => void): Status {
  const el = byId('status');
  return {
    show(kind, message = '', action = null) {
      const L = store.get().view.lang;
      el.className = `status status-${kind}`;
      el.replaceChildren();
      if (kind === 'none') return;
      el.append(h('span', {}, message));
      if (action === 'retry') {
        const b = h('button', { type: 'button', class: 'btn' }, t(L, 'retry'));
        b.addEventListener('click', retry);
        el.append(' ', b);
      } else if (action === 'top') {
        const a = h('a', { href: links.href(null), class: 'btn btn-quiet status-link' }, t(L, 'backToScope'));
        a.addEventListener('click', (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          links.open(null);
        });
        el.append(' ', a);
      }
    },
    clear: () => el.replaceChildren(),
  };
}
