// The breadcrumb from the top of the tree down to the current organization.

import { h } from './dom';
import { t } from './i18n';
import type { Lang, Organization } from './types';

/** renderBreadcrumb lists "All › ancestors › current"; every entry but the last is a link. */
export function renderBreadcrumb(
  org: Organization | null,
  lang: Lang,
  href: (orgId: string | null) => string,
  open: (orgId: string | null) => void,
): HTMLElement {
  const trail: { id: string | null; name: string }[] = [{ id: null, name: t(lang, 'top') }];
  if (org) {
    for (const a of org.ancestors) trail.push({ id: a.id, name: a.name });
    trail.push({ id: org.id, name: org.name });
  }
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
