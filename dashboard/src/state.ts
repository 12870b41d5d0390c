// The view state lives in the URL, so that a link reproduces the view.

import { parseISODate, toISODate } from './format';
import type { Granularity, Lang } from './types';

/** ViewState is everything that defines what the page shows. */
export interface ViewState {
  org: string | null;
  from: string;
  to: string;
  granularity: Granularity;
  lang: Lang;
  /** The tree the figures count by: as it stood on each fact's date (the default), or today's. */
  tree: TreeView;
}

/** TreeView is the organization tree the statistics count by. */
export type TreeView = 'AS_OF' | 'CURRENT';

/** DEFAULT_PERIOD is the 2020–2025 term, the period leaders report on most. */
export const DEFAULT_PERIOD = { from: '2020-01-01', to: '2025-12-31' } as const;

const GRANULARITIES: readonly Granularity[] = ['YEAR', 'QUARTER', 'MONTH'];
const STATE_KEYS = ['org', 'from', 'to', 'granularity', 'lang', 'tree'] as const;

function isGranularity(s: string | null): s is Granularity {
  return s !== null && (GRANULARITIES as readonly string[]).includes(s);
}

/**
 * parseState reads the view from a query string. Invalid or missing values fall back to
 * defaults; a reversed period falls back to the default period as a whole.
 */
export function parseState(search: string, fallbackLang: Lang = 'vi'): ViewState {
  const q = new URLSearchParams(search);
  const org = q.get('org');
  let from = q.get('from') ?? '';
  let to = q.get('to') ?? '';
  if (!parseISODate(from) || !parseISODate(to) || from > to) {
    from = DEFAULT_PERIOD.from;
    to = DEFAULT_PERIOD.to;
  }
  const g = q.get('granularity');
  const l = q.get('lang');
  return {
    org: org && org.trim() !== '' ? org : null,
    from,
    to,
    granularity: isGranularity(g) ? g : 'QUARTER',
    lang: l === 'vi' || l === 'en' ? l : fallbackLang,
    tree: q.get('tree') === 'CURRENT' ? 'CURRENT' : 'AS_OF',
  };
}

/**
 * serializeState writes the view as a query string ("?org=…&from=…"). Parameters that
 * are not part of the view (such as `api`) are kept from `keep`.
 */
export function serializeState(s: ViewState, keep = ''): string {
  const q = new URLSearchParams(keep);
  for (const k of STATE_KEYS) q.delete(k);
  const out = new URLSearchParams();
  if (s.org) out.set('org', s.org);
  out.set('from', s.from);
  out.set('to', s.to);
  out.set('granularity', s.granularity);
  out.set('lang', s.lang);
  if (s.tree === 'CURRENT') out.set('tree', s.tree);
  for (const [k, v] of q) out.append(k, v);
  return `?${out.toString()}`;
}

/** sameState tells whether two views show the same thing. */
export function sameState(a: ViewState, b: ViewState): boolean {
  return STATE_KEYS.every((k) => a[k] === b[k]);
}

export type PresetId = 'thisYear' | 'lastYear' | 'term2020' | 'term2025' | 'last5' | 'custom';

export interface Preset {
  id: Exclude<PresetId, 'custom'>;
  from: string;
  to: string;
}

/** presets lists the period shortcuts, computed for the given day. */
export function presets(today: Date): Preset[] {
  const y = today.getFullYear();
  return [
    { id: 'thisYear', from: `${y}-01-01`, to: `${y}-12-31` },
    { id: 'lastYear', from: `${y - 1}-01-01`, to: `${y - 1}-12-31` },
    { id: 'term2020', from: '2020-01-01', to: '2025-12-31' },
    { id: 'term2025', from: '2025-01-01', to: '2030-12-31' },
    // Five full calendar years, so that yearly targets apply whole.
    { id: 'last5', from: `${y - 5}-01-01`, to: `${y - 1}-12-31` },
  ];
}

/** matchPreset finds the shortcut a period corresponds to, or 'custom'. */
export function matchPreset(from: string, to: string, today: Date): PresetId {
  return presets(today).find((p) => p.from === from && p.to === to)?.id ?? 'custom';
}

/** elapsedFraction is the share of [from, to] already past on `today` (0..1). */
export function elapsedFraction(from: string, to: string, today: Date): number {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + 86_400_000;
  const now = Date.parse(`${toISODate(today)}T00:00:00Z`) + 86_400_000;
  if (!(end > start)) return 1;
  return Math.min(1, Math.max(0, (now - start) / (end - start)));
}
