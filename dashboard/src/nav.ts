// The breadcrumb from the top of the user's scope down to the current organization.

import { h } from './dom';
import { t } from './i18n';
import type { Lang, Organization } from './types';

/** TrailEntry is one breadcrumb entry; `id` is where it leads (null: the top). */
export interface TrailEntry {
  id: string | null;
  name: string;
}

/**
 * breadcrumbTrail lists the entries from the top down to `org`. Without a scope root
 * (ADMIN) the top is "All"; with one, the trail starts at the scope root, which leads
 * to the top of the user's view (no `org` in the URL), and nothing above it is shown.
 */
export function breadcrumbTrail(org: Organization | null, scopeRoot: string | null, topName: string): TrailEntry[] {
  const path: TrailEntry[] = org ? [...org.ancestors.map((a) => ({ id: a.id, name: a.name })), { id: org.id, name: org.name }] : [];
  if (!scopeRoot) return [{ id: null, name: topName }, ...path];
  const i = path.findIndex((e) => e.id === scopeRoot);
  // Not below the scope root (the server refuses such views): show only the current entry.
  const trail = i >= 0 ? path.slice(i) : path.slice(-1);
  if (i >= 0) trail[0] = { id: null, name: trail[0]!.name };
  return trail.length > 0 ? trail : [{ id: null, name: topName }];
}

/** renderBreadcrumb draws the trail; every entry but the last is a link. */
export function renderBreadcrumb(
  org: Organization | null,
  lang: Lang,
  href: (orgId: string | null) => string,
  open: (orgId: string | null) => void,
  scopeRoot: string | null = null,
): HTMLElement {
  const trail = breadcrumbTrail(org, scopeRoot, t(lang, 'top'));
  const items = trail.map((entry, i) => {
    const last = i === trail.length - 1;
    if (last) return h('li', {}, h('span', { 'aria-current': 'page' }, entry.name));
    const a = h('a', { href: href(entry.id), 'data-org-id': entry.id ?? '' }, entry.name);
    a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      open(entry.id);
    });
    return h('li', {}, a);
  });
  return h('ol', {}, items);
}
