// The child-organizations table: sortable, each row opens that organization.

import { h } from './dom';
import { formatDate, formatInt, formatPercent } from './format';
import { t, type MessageKey } from './i18n';
import type { ChildStats, Lang } from './types';

export type SortKey = 'need' | 'name' | 'admitted' | 'target' | 'attainment' | 'trainees' | 'recognized' | 'left';
export interface Sort {
  key: SortKey;
  dir: 1 | -1;
}

/**
 * DEFAULT_SORT orders by need: the organizations that admitted nobody against a target
 * first, then the others with a target by attainment ascending, then those without one.
 */
export const DEFAULT_SORT: Sort = { key: 'need', dir: 1 };

/** needRank is a row's group in the order by need (lower comes first). */
function needRank(c: ChildStats): number {
  if (c.admitted === 0 && (c.target ?? 0) > 0) return 0;
  return c.targetAttainment !== null ? 1 : 2;
}

/** isLagging marks a row that admitted nobody or is behind the share of the target due by now. */
export function isLagging(c: ChildStats, elapsed: number): boolean {
  if (c.admitted === 0) return true;
  return c.targetAttainment !== null && c.targetAttainment < elapsed;
}

function sortValue(c: ChildStats, key: SortKey): number | string {
  switch (key) {
    case 'need':
      // Group, then attainment within the group (a fraction below 1 000 000 %).
      return needRank(c) * 1e4 + Math.min(c.targetAttainment ?? 0, 9999);
    case 'name':
      return c.organization.name;
    case 'admitted':
      return c.admitted;
    case 'target':
      return c.target ?? Number.POSITIVE_INFINITY;
    case 'attainment':
      return c.targetAttainment ?? Number.POSITIVE_INFINITY;
    case 'trainees':
      return c.trainees;
    case 'recognized':
      return c.recognized;
    case 'left':
      return c.leftOrDisciplined;
  }
}

/** sortChildren orders rows; missing values (no target) always go last. */
export function sortChildren(rows: ChildStats[], sort: Sort, lang: Lang): ChildStats[] {
  const collator = new Intl.Collator(lang === 'vi' ? 'vi' : 'en', { numeric: true });
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    let d: number;
    if (typeof va === 'string' || typeof vb === 'string') d = collator.compare(String(va), String(vb)) * sort.dir;
    else if (va === vb) d = 0;
    else if (va === Number.POSITIVE_INFINITY) d = 1;
    else if (vb === Number.POSITIVE_INFINITY) d = -1;
    else d = (va - vb) * sort.dir;
    return d || collator.compare(a.organization.name, b.organization.name);
  });
}

interface Column {
  key: SortKey;
  label: MessageKey;
  numeric: boolean;
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'colName', numeric: false },
  { key: 'admitted', label: 'colAdmitted', numeric: true },
  { key: 'target', label: 'colTarget', numeric: true },
  { key: 'attainment', label: 'colAttainment', numeric: true },
  { key: 'trainees', label: 'colTraineesShort', numeric: true },
  { key: 'recognized', label: 'colRecognition', numeric: true },
  { key: 'left', label: 'colLeft', numeric: true },
];

/** csvRows turns the table into a CSV header and rows, in the given order. */
export function csvRows(rows: ChildStats[], lang: Lang): { header: string[]; rows: (string | number | null)[][] } {
  const header = [
    'colCode',
    'colName',
    'colAdmitted',
    'colTarget',
    'colAttainment',
    'colTrainees',
    'colRecognized',
    'colNotRecognized',
    'colLeft',
  ].map((k) => t(lang, k as MessageKey));
  return {
    header,
    rows: rows.map((c) => [
      c.organization.code,
      c.organization.name,
      c.admitted,
      c.target,
      c.targetAttainment === null ? null : formatPercent(c.targetAttainment, lang, 1),
      c.trainees,
      c.recognized,
      c.notRecognized,
      c.leftOrDisciplined,
    ]),
  };
}

export interface TableOptions {
  lang: Lang;
  sort: Sort;
  elapsed: number;
  onSort(sort: Sort): void;
  onOpen(orgId: string): void;
}

/** renderChildTable builds the table element for the rows, sorted as asked. */
export function renderChildTable(children: ChildStats[], o: TableOptions): HTMLTableElement {
  const { lang } = o;
  const rows = sortChildren(children, o.sort, lang);
  const maxAttainment = Math.max(1, ...rows.map((r) => r.targetAttainment ?? 0));

  const head = h(
    'tr',
    {},
    COLUMNS.map((col) => {
      const active = o.sort.key === col.key;
      const label = t(lang, col.label);
      const btn = h(
        'button',
        { type: 'button', class: 'sort', title: t(lang, 'sortBy', { c: label }) },
        label,
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (o.sort.dir === 1 ? '▴' : '▾') : ''),
      );
      btn.addEventListener('click', () => {
        const dir: 1 | -1 = active ? (o.sort.dir === 1 ? -1 : 1) : col.numeric ? -1 : 1;
        o.onSort({ key: col.key, dir });
      });
      return h(
        'th',
        {
          scope: 'col',
          class: col.numeric ? 'num' : null,
          'aria-sort': active ? (o.sort.dir === 1 ? 'ascending' : 'descending') : null,
        },
        btn,
      );
    }),
  );

  const body = rows.map((c) => {
    const lag = isLagging(c, o.elapsed);
    const pct = c.targetAttainment;
    const bar = h('span', { class: 'meter', 'aria-hidden': 'true' });
    if (pct !== null) {
      const fill = h('span', { class: lag ? 'meter-fill lag' : 'meter-fill' });
      fill.style.width = `${Math.min(100, (pct / maxAttainment) * 100)}%`;
      const mark = h('span', { class: 'meter-target' });
      mark.style.left = `${Math.min(100, (1 / maxAttainment) * 100)}%`;
      bar.append(fill, mark);
    }
    const tr = h(
      'tr',
      { tabindex: 0, class: lag ? 'lagging' : null, 'data-org-id': c.organization.id },
      h(
        'th',
        { scope: 'row', class: 'name' },
        lag ? h('span', { class: 'warn-mark', title: t(lang, 'lagging') }, '▲ ') : null,
        c.organization.name,
        c.organization.dissolvedOn
          ? h(
              'span',
              { class: 'dissolved' },
              ` (${t(lang, 'dissolvedOn', { d: formatDate(c.organization.dissolvedOn) })}${
                c.organization.mergedInto ? `, ${t(lang, 'mergedInto', { p: c.organization.mergedInto.name })}` : ''
              })`,
            )
          : null,
        lag ? h('span', { class: 'visually-hidden' }, ` (${t(lang, 'lagging')})`) : null,
      ),
      h('td', { class: 'num' }, formatInt(c.admitted, lang)),
      h('td', { class: 'num' }, c.target === null ? t(lang, 'none') : formatInt(c.target, lang)),
      h(
        'td',
        { class: 'num attainment' },
        h('span', {}, pct === null ? t(lang, 'none') : formatPercent(pct, lang, 1)),
        pct === null ? null : bar,
      ),
      h('td', { class: 'num' }, formatInt(c.trainees, lang)),
      h('td', { class: 'num' }, `${formatInt(c.recognized, lang)} / ${formatInt(c.notRecognized, lang)}`),
      h('td', { class: 'num' }, formatInt(c.leftOrDisciplined, lang)),
    );
    tr.addEventListener('click', () => o.onOpen(c.organization.id));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        o.onOpen(c.organization.id);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
        if (next instanceof HTMLElement) next.focus();
      }
    });
    return tr;
  });

  return h('table', { class: 'children', id: 'children-table' }, h('thead', {}, head), h('tbody', {}, body));
}
