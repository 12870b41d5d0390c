// Grassroots organizations that admitted nobody in the period.

import { byId, h } from '../dom';
import { formatInt } from '../format';
import { t, type MessageKey } from '../i18n';
import type { Links } from '../router';
import type { Lang, WithoutAdmission } from '../types';
import type { Section } from './section';

/**
 * renderWithout fills the count line and the list: total organizations in
 * all, orgs the first of them by code (a national view can have thousands).
 */
export function renderWithout(
  orgs: WithoutAdmission[],
  total: number,
  lang: Lang,
  countEl: HTMLElement,
  listEl: HTMLElement,
  href: (orgId: string) => string,
  open: (orgId: string) => void,
): void {
  let count =
    total === 0
      ? t(lang, 'withoutNone')
      : t(lang, total === 1 ? 'withoutCountOne' : 'withoutCount', { n: formatInt(total, lang) });
  if (total > orgs.length) count += ' ' + t(lang, 'withoutFirst', { n: formatInt(orgs.length, lang) });
  countEl.textContent = count;
  countEl.classList.toggle('warn-text', total > 0);
  const collator = new Intl.Collator(lang === 'vi' ? 'vi' : 'en');
  const sorted = [...orgs].sort((a, b) => collator.compare(a.name, b.name));
  listEl.replaceChildren(
    ...sorted.map((o) => {
      const a = h('a', { href: href(o.id) }, o.name);
      a.addEventListener('click', (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        open(o.id);
      });
      const meta = [t(lang, `kind${o.kind}` as MessageKey)];
      if (o.parent) meta.push(t(lang, 'withoutParent', { p: o.parent.name }));
      return h('li', {}, a, h('span', { class: 'meta' }, meta.join(', ')));
    }),
  );
}

/** createWithoutCard fills #without-card: the count and the list of organizations. */
export function createWithoutCard(links: Links): Section {
  const count = byId('without-count');
  const list = byId('without-list');
  return {
    applyText(L) {
      byId('without-title').textContent = t(L, 'withoutTitle');
    },
    render({ stats: s, view }) {
      renderWithout(s.withoutAdmissions, s.withoutAdmissionsCount, view.lang, count, list, links.href, links.open);
    },
    clear() {
      count.replaceChildren();
      list.replaceChildren();
    },
  };
}
