// Number and date formatting in the reader's language: 1.004 and 83,64% in Vietnamese.

import type { Granularity, Lang } from './types';

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

const intCache = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, min: number, max: number, style?: 'percent'): Intl.NumberFormat {
  const key = `${lang}|${min}|${max}|${style ?? ''}`;
  let f = intCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[lang], {
      style,
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      useGrouping: true,
    });
    intCache.set(key, f);
  }
  return f;
}

/** formatInt writes a count: 1.004 (vi), 1,004 (en). */
export function formatInt(n: number, lang: Lang): string {
  return numberFormat(lang, 0, 0).format(n);
}

/** formatDecimal writes a number with at most `digits` decimals: 2,8 (vi). */
export function formatDecimal(n: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, 0, digits).format(n);
}

/**
 * formatPercent writes a ratio as a percentage with exactly `digits` decimals, so a column
 * of them lines up on screen and in print: 0.8364 → 83,6% (vi), 0 → 0,0%.
 */
export function formatPercent(ratio: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, digits, digits, 'percent').format(ratio);
}

/** parseISODate reads YYYY-MM-DD strictly; it returns null for anything else. */
export function parseISODate(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** toISODate writes a local calendar date as YYYY-MM-DD. */
export function toISODate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** formatDate writes an ISO date as dd/mm/yyyy, the form used in both languages' reports. */
export function formatDate(iso: string): string {
  const p = parseISODate(iso);
  if (!p) return iso;
  return `${pad(p.d)}/${pad(p.m)}/${p.y}`;
}

/** parseDisplayDate reads dd/mm/yyyy (as typed by a person) into YYYY-MM-DD, or null. */
export function parseDisplayDate(s: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
  return parseISODate(iso) ? iso : null;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * bucketLabel names a time bucket the way reports do: "Quý I/2020", "Tháng 3/2020".
 * The server sends its own labels; this is the fallback and the reference for tests.
 */
export function bucketLabel(startISO: string, granularity: Granularity, lang: Lang): string {
  const p = parseISODate(startISO);
  if (!p) return startISO;
  switch (granularity) {
    case 'YEAR':
      return lang === 'vi' ? `Năm ${p.y}` : String(p.y);
    case 'QUARTER': {
      const q = Math.floor((p.m - 1) / 3);
      return lang === 'vi' ? `Quý ${ROMAN[q]}/${p.y}` : `Q${q + 1} ${p.y}`;
    }
    case 'MONTH':
      return lang === 'vi' ? `Tháng ${p.m}/${p.y}` : `${EN_MONTHS[p.m - 1]} ${p.y}`;
  }
}
