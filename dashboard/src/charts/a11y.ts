// Text alternatives: every chart carries a visually hidden table with its figures.

import { h } from '../dom';

/** textTable builds a table (hidden on screen unless its container says otherwise). */
export function textTable(caption: string, header: string[], rows: string[][]): HTMLTableElement {
  return h(
    'table',
    { class: 'data-table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))),
    ),
  );
}
