// The controls above the page: period (shortcuts or a custom range), granularity,
// language and print.

import { byId, h } from '../dom';
import { formatDate, parseDisplayDate } from '../format';
import { t, type MessageKey } from '../i18n';
import type { Router } from '../router';
import { matchPreset, presets, type PresetId, type ViewState } from '../state';
import type { Granularity, Lang } from '../types';

/** Controls is the #controls form and the buttons beside it. */
export interface Controls {
  applyText(lang: Lang): void;
  /** sync makes the controls show the view. */
  sync(view: ViewState): void;
}

const PRESET_LABEL: Record<PresetId, MessageKey> = {
  thisYear: 'presetThisYear',
  lastYear: 'presetLastYear',
  term2020: 'presetTerm2020',
  term2025: 'presetTerm2025',
  last5: 'presetLast5',
  custom: 'presetCustom',
};

export interface ControlsOptions {
  router: Router;
  /** today dates the period shortcuts (this year, last year, …). */
  today: Date;
  /** badPeriod tells the user that the custom range is not a period. */
  badPeriod(): void;
}

/** createControls wires the controls to the router. */
export function createControls({ router, today, badPeriod }: ControlsOptions): Controls {
  const period = byId<HTMLSelectElement>('period');
  const customRange = byId('custom-range');
  const fromInput = byId<HTMLInputElement>('from');
  const toInput = byId<HTMLInputElement>('to');
  const granularity = byId<HTMLSelectElement>('granularity');
  const treeView = byId<HTMLSelectElement>('tree');
  const langVi = byId<HTMLButtonElement>('lang-vi');
  const langEn = byId<HTMLButtonElement>('lang-en');

  period.addEventListener('change', () => {
    const id = period.value as PresetId;
    if (id === 'custom') {
      customRange.hidden = false;
      fromInput.focus();
      return;
    }
    const p = presets(today).find((x) => x.id === id);
    if (p) router.navigate({ from: p.from, to: p.to });
  });

  byId<HTMLFormElement>('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    const from = parseDisplayDate(fromInput.value);
    const to = parseDisplayDate(toInput.value);
    if (!from || !to || from > to) {
      badPeriod();
      return;
    }
    router.navigate({ from, to });
  });

  granularity.addEventListener('change', () => router.navigate({ granularity: granularity.value as Granularity }));
  treeView.addEventListener('change', () => router.navigate({ tree: treeView.value === 'CURRENT' ? 'CURRENT' : 'AS_OF' }));
  langVi.addEventListener('click', () => router.navigate({ lang: 'vi' }));
  langEn.addEventListener('click', () => router.navigate({ lang: 'en' }));
  byId('print').addEventListener('click', () => window.print());

  function fillPeriodOptions(L: Lang): void {
    const opts = presets(today).map((p) => {
      const y1 = p.from.slice(0, 4);
      const y2 = p.to.slice(0, 4);
      const years = y1 === y2 ? y1 : `${y1}–${y2}`;
      const label = p.id === 'term2020' || p.id === 'term2025' ? t(L, PRESET_LABEL[p.id]) : `${t(L, PRESET_LABEL[p.id])} (${years})`;
      return h('option', { value: p.id }, label);
    });
    opts.push(h('option', { value: 'custom' }, `${t(L, 'presetCustom')}…`));
    period.replaceChildren(...opts);
  }

  return {
    applyText(L) {
      const text = (id: string, key: MessageKey): void => {
        byId(id).textContent = t(L, key);
      };
      text('label-period', 'period');
      text('label-from', 'fromDate');
      text('label-to', 'toDate');
      text('apply', 'apply');
      text('label-granularity', 'granularity');
      text('label-lang', 'language');
      text('label-tree', 'treeView');
      for (const [v, key] of [['AS_OF', 'treeAsOf'], ['CURRENT', 'treeCurrent']] as const) {
        const o = treeView.querySelector<HTMLOptionElement>(`option[value="${v}"]`);
        if (o) o.textContent = t(L, key);
      }
      text('print', 'print');
      for (const g of ['YEAR', 'QUARTER', 'MONTH'] as const) {
        const o = granularity.querySelector<HTMLOptionElement>(`option[value="${g}"]`);
        if (o) o.textContent = t(L, g);
      }
      fillPeriodOptions(L);
    },
    sync(view) {
      const preset = matchPreset(view.from, view.to, today);
      period.value = preset;
      customRange.hidden = preset !== 'custom';
      fromInput.value = formatDate(view.from);
      toInput.value = formatDate(view.to);
      granularity.value = view.granularity;
      treeView.value = view.tree;
      langVi.setAttribute('aria-pressed', String(view.lang === 'vi'));
      langEn.setAttribute('aria-pressed', String(view.lang === 'en'));
    },
  };
}
