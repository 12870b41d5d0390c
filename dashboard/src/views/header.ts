// The page heading: breadcrumb, organization name, period line, the window title and
// the header printed on paper.

import { byId, h } from '../dom';
import { formatDate, toISODate } from '../format';
import { t } from '../i18n';
import { renderBreadcrumb } from '../nav';
import type { Links } from '../router';
import { scopeRoot } from '../session';
import type { Lang } from '../types';
import type { Section } from './section';

/** Header is the heading section; it also names the page when loading failed. */
export interface Header extends Section {
  /** showFailed leaves only the application's name (the view could not be loaded). */
  showFailed(lang: Lang): void;
  /** stampPrintDate writes today's date into the printed header. */
  stampPrintDate(lang: Lang): void;
}

const printedOn = (lang: Lang): string => `${t(lang, 'printedOn')} ${formatDate(toISODate(new Date()))}`;

/** createHeader fills #breadcrumb, #org-name, #period-line and #print-header. */
export function createHeader(links: Links): Header {
  const breadcrumb = byId('breadcrumb');
  const orgName = byId('org-name');
  const periodLine = byId('period-line');
  const printHeader = byId('print-header');

  return {
    applyText(L) {
      byId('skip-link').textContent = L === 'vi' ? 'Bỏ qua phần điều khiển' : 'Skip to the figures';
      byId('app-title').textContent = t(L, 'appTitle');
      byId('app-subtitle').textContent = t(L, 'appSubtitle');
      breadcrumb.setAttribute('aria-label', t(L, 'breadcrumbLabel'));
    },
    render({ stats: s, view, me }) {
      const L = view.lang;
      const name = s.organization?.name ?? t(L, 'topTitle');
      const periodText = t(L, 'periodText', { from: formatDate(s.from), to: formatDate(s.to) });
      document.title = `${name} · ${t(L, 'appTitle')}`;
      breadcrumb.replaceChildren(renderBreadcrumb(s.organization, L, links.href, links.open, scopeRoot(me)));
      orgName.textContent = name;
      periodLine.textContent = `${periodText} · ${t(L, 'granularity').toLowerCase()} ${t(L, view.granularity).toLowerCase()}`;
      printHeader.replaceChildren(
        h('strong', {}, name),
        h('span', {}, periodText),
        h('span', { id: 'printed-on' }, printedOn(L)),
      );
    },
    showFailed(L) {
      orgName.textContent = t(L, 'appTitle');
      breadcrumb.replaceChildren();
    },
    stampPrintDate(L) {
      const el = document.getElementById('printed-on');
      if (el) el.textContent = printedOn(L);
    },
    clear() {
      for (const e of [breadcrumb, orgName, periodLine, printHeader]) e.replaceChildren();
    },
  };
}
