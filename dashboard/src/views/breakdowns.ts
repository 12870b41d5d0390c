// The breakdowns of the admitted members (professional level, gender, …): one card and
// one chart per dimension.

import { createBreakdownChart, type BreakdownView } from '../charts/breakdown';
import { byId, h } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { Store } from '../store';
import { BREAKDOWNS, type BreakdownKey } from '../types';
import type { Section } from './section';

/** Breakdowns is the #breakdowns section. */
export interface Breakdowns extends Section {
  resize(): void;
}

/** createBreakdowns adds one card per dimension to #breakdown-list. */
export function createBreakdowns(store: Store): Breakdowns {
  const list = byId('breakdown-list');
  const empty = byId('breakdowns-empty');
  const charts = new Map<BreakdownKey, BreakdownView>();
  const cards = new Map<BreakdownKey, HTMLElement>();
  for (const [key] of BREAKDOWNS) {
    const canvas = h('div', { class: 'chart chart-breakdown', 'aria-hidden': 'true' });
    const alt = h('div', { class: 'alt-table' });
    const card = h(
      'section',
      { class: 'card breakdown-card', 'aria-labelledby': `bd-${key}-title`, 'data-dimension': key },
      h('h3', { id: `bd-${key}-title` }),
      h('p', { class: 'card-sub' }),
      canvas,
      h('p', { class: 'empty-note' }),
      alt,
    );
    list.append(card);
    cards.set(key, card);
    charts.set(key, createBreakdownChart(key, canvas, alt));
  }
  // Whether the charts show figures, which clear() must then remove.
  let drawn = false;

  return {
    applyText(L) {
      byId('breakdowns-title').textContent = t(L, 'breakdownsTitle');
      for (const [key, card] of cards) {
        card.querySelector('h3')!.textContent = t(L, `bd${key}` as MessageKey);
        card.querySelector('.card-sub')!.textContent =
          L === 'vi' ? 'Số đảng viên mới kết nạp (tỷ lệ trong tổng số)' : 'New members admitted (share of the total)';
        card.querySelector('.empty-note')!.textContent = t(L, 'bdEmpty');
      }
    },
    render({ stats: s, view }) {
      const L = view.lang;
      for (const [key, chart] of charts) chart.update(s[key] ?? [], L);
      drawn = true;
      const noQuality = s.admitted === 0;
      list.hidden = noQuality;
      empty.textContent = noQuality ? t(L, 'bdEmpty') : '';
    },
    clear() {
      if (!drawn) return;
      const { lang } = store.get().view;
      for (const c of charts.values()) c.update([], lang);
      drawn = false;
    },
    resize() {
      for (const c of charts.values()) c.resize();
    },
  };
}
