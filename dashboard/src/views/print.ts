// Chart sizes: the charts follow the width of their cards, except while printing, when
// the series chart takes the A4 content width (190 mm at 96 dpi) so its text keeps its
// size, and the printed header gets today's date.

import type { Store } from '../store';
import type { Breakdowns } from './breakdowns';
import type { Header } from './header';
import type { SeriesCard } from './series-card';

const PRINT_CHART = { width: 718, height: 200 };

export interface SizingOptions {
  store: Store;
  /** content is the element whose size the charts follow. */
  content: HTMLElement;
  header: Header;
  series: SeriesCard;
  breakdowns: Breakdowns;
}

/** followSize resizes the charts with the page and for print. */
export function followSize({ store, content, header, series, breakdowns }: SizingOptions): void {
  let printing = false;

  new ResizeObserver(() => {
    if (printing) return;
    series.resize();
    breakdowns.resize();
  }).observe(content);

  function enterPrint(): void {
    if (printing) return;
    printing = true;
    header.stampPrintDate(store.get().view.lang);
    series.resize(PRINT_CHART);
  }

  function leavePrint(): void {
    if (!printing) return;
    printing = false;
    series.resize();
  }

  window.addEventListener('beforeprint', enterPrint);
  window.addEventListener('afterprint', leavePrint);
  window.matchMedia('print').addEventListener('change', (e) => (e.matches ? enterPrint() : leavePrint()));
}
