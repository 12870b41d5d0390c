// The card of admissions per year, quarter or month against the target pace.

import { createSeriesChart } from '../charts/series';
import { byId, h } from '../dom';
import { t } from '../i18n';
import type { Store } from '../store';
import type { Section } from './section';

/** SeriesCard is the #series-card section. */
export interface SeriesCard extends Section {
  /** resize follows the card, or takes an explicit size (for print). */
  resize(size?: { width: number; height: number }): void;
}

/** createSeriesCard draws the chart into #series-chart, its table into #series-alt. */
export function createSeriesCard(store: Store): SeriesCard {
  const chart = createSeriesChart(byId('series-chart'), byId('series-alt'), byId('series-note'));
  const title = byId('series-title');
  const legend = byId('series-legend');
  // Whether the chart shows figures, which clear() must then remove.
  let drawn = false;

  return {
    applyText(L) {
      legend.replaceChildren(
        h('li', {}, h('span', { class: 'swatch swatch-admitted', 'aria-hidden': 'true' }), t(L, 'legendAdmitted')),
        h('li', {}, h('span', { class: 'swatch swatch-target', 'aria-hidden': 'true' }), t(L, 'legendTarget')),
        h('li', {}, h('span', { class: 'warn-mark', 'aria-hidden': 'true' }, '▲'), t(L, 'legendZero')),
      );
    },
    render({ stats, view }) {
      title.textContent = t(view.lang, `seriesTitle${view.granularity}`);
      chart.update(stats.series, view.granularity, view.lang);
      drawn = true;
    },
    clear() {
      if (!drawn) return;
      const { granularity, lang } = store.get().view;
      chart.update([], granularity, lang);
      drawn = false;
    },
    resize: (size) => chart.resize(size),
  };
}
