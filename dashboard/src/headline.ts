// The headline sentence, written in the register of a committee's report so that
// leaders can paste it as is.

import { formatDate, formatInt, formatPercent } from './format';
import { t } from './i18n';
import type { Bucket, Lang } from './types';

/** HeadlineInput is the part of Stats the sentence is built from. */
export interface HeadlineInput {
  subject: string;
  from: string;
  to: string;
  admitted: number;
  targetAttainment: number | null;
  professionalLevel: Bucket[];
}

function count(buckets: Bucket[], keys: string[]): number {
  return buckets.filter((b) => keys.includes(b.key)).reduce((s, b) => s + b.count, 0);
}

/** headline writes the sentence; clauses whose number is missing or zero are left out. */
export function headline(h: HeadlineInput, lang: Lang): string {
  const period = t(lang, 'periodText', { from: formatDate(h.from), to: formatDate(h.to) });
  const n = formatInt(h.admitted, lang);
  if (h.admitted <= 0) {
    return lang === 'vi'
      ? `${period}, ${h.subject} chưa kết nạp được đảng viên nào.`
      : `${period}, ${h.subject} admitted no new members.`;
  }
  const pct = (c: number): string => formatPercent(c / h.admitted, lang, 1);
  const degree = count(h.professionalLevel, ['COLLEGE', 'UNIVERSITY']);
  const master = count(h.professionalLevel, ['MASTER']);
  const hasTarget = h.targetAttainment !== null && Number.isFinite(h.targetAttainment);

  if (lang === 'vi') {
    let s = `${period}, ${h.subject} đã kết nạp ${n} đảng viên`;
    if (hasTarget) s += `, đạt ${formatPercent(h.targetAttainment!, lang, 1)} chỉ tiêu`;
    const parts: string[] = [];
    if (degree > 0) {
      parts.push(`${formatInt(degree, lang)} đảng viên có trình độ cao đẳng, đại học (${pct(degree)})`);
    }
    if (master > 0) {
      parts.push(`${formatInt(master, lang)} đảng viên có trình độ thạc sĩ (${pct(master)})`);
    }
    if (parts.length > 0) s += `; trong đó ${parts.join(', ')}`;
    return `${s}.`;
  }

  let s = `${period}, ${h.subject} admitted ${n} new ${h.admitted === 1 ? 'member' : 'members'}`;
  if (hasTarget) s += `, ${formatPercent(h.targetAttainment!, lang, 1)} of the target`;
  const parts: string[] = [];
  if (degree > 0) parts.push(`${formatInt(degree, lang)} (${pct(degree)}) hold a college or university degree`);
  if (master > 0) {
    parts.push(
      degree > 0
        ? `${formatInt(master, lang)} (${pct(master)}) a master's degree`
        : `${formatInt(master, lang)} (${pct(master)}) hold a master's degree`,
    );
  }
  if (parts.length > 0) s += `; of them, ${parts.join(' and ')}`;
  return `${s}.`;
}
