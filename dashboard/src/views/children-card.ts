// The child-organizations card: the sortable table (table.ts), each row opening that
// organization, and its CSV export.

import { downloadCsv, toCsv } from '../csv';
import { byId, h } from '../dom';
import { t } from '../i18n';
import type { Links } from '../router';
import { elapsedFraction } from '../state';
import type { Store } from '../store';
import { csvRows, renderChildTable, sortChildren } from '../table';
import type { Section, Shown } from './section';

/** createChildrenCard fills #children-card; the table's order is the store's `sort`. */
export function createChildrenCard(store: Store, links: Links, today: Date): Section {
  const wrap = byId('children-wrap');
  const hint = byId('children-hint');
  const exportCsv = byId<HTMLButtonElement>('export-csv');

  exportCsv.addEventListener('click', () => {
    const { stats, sort, view } = store.get();
    if (!stats) return;
    const rows = sortChildren(stats.children, sort, view.lang);
    const { header, rows: data } = csvRows(rows, view.lang);
    const code = stats.organization?.code ?? 'toan-bo';
    const safe = code.replace(/[^\p{L}\p{N}_-]+/gu, '-');
    downloadCsv(`ketnap-${safe}-${view.from}-${view.to}.csv`, toCsv(header, data));
  });

  function render(shown: Shown): void {
    const { stats: s, view } = shown;
    const L = view.lang;
    exportCsv.disabled = s.children.length === 0;
    if (s.children.length === 0) {
      hint.textContent = '';
      wrap.replaceChildren(h('p', { class: 'empty' }, t(L, 'childrenNone')));
      return;
    }
    hint.replaceChildren(t(L, 'childrenHint'), ' ', h('span', { class: 'lag-hint' }, t(L, 'childrenLagging')));
    wrap.replaceChildren(
      renderChildTable(s.children, {
        lang: L,
        sort: store.get().sort,
        elapsed: elapsedFraction(s.from, s.to, today),
        onSort: (next) => {
          store.update({ sort: next });
          render(shown);
          wrap.querySelector<HTMLElement>('th[aria-sort] button')?.focus();
        },
        onOpen: (id) => links.open(id),
      }),
    );
  }

  return {
    applyText(L) {
      byId('children-title').textContent = t(L, 'childrenTitle');
      exportCsv.textContent = t(L, 'exportCsv');
    },
    render,
    clear: () => wrap.replaceChildren(),
  };
}
