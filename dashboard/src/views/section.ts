// What every card or section of the dashboard offers the page.

import type { ViewState } from '../state';
import type { Lang, Me, Stats } from '../types';

/** Shown is one answer on the page: the stats, the view they answer, and the user. */
export interface Shown {
  stats: Stats;
  view: ViewState;
  me: Me;
}

/** Section is one part of the dashboard that draws figures. */
export interface Section {
  /** applyText writes the section's fixed text (titles, labels) in the language. */
  applyText(lang: Lang): void;
  /** render draws the figures of one answer. */
  render(shown: Shown): void;
  /** clear removes the figures (signing out), so that none stay in the page. */
  clear(): void;
}
