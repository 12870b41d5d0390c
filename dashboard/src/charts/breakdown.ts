// One breakdown of the admitted members (professional level, gender, …) as horizontal
// bars, so long category names stay readable.

import { formatInt, formatPercent } from '../format';
import { t, type MessageKey } from '../i18n';
import type { BreakdownKey, Bucket, Lang } from '../types';
import { textTable } from './a11y';
import { baseTooltip, initChart, palette, tooltipBox, type Chart, type ChartOption } from './echarts';

/** ORDERED lists the dimensions whose categories form a scale and keep their order. */
export const ORDERED: Partial<Record<BreakdownKey, string[]>> = {
  professionalLevel: ['NONE', 'INTERMEDIATE', 'COLLEGE', 'UNIVERSITY', 'MASTER', 'DOCTOR'],
  ageBand: ['18_30', '31_40', '41_50', '51_60', 'OVER_60'],
  gender: ['MALE', 'FEMALE'],
  youthUnion: ['YES', 'NO'],
};

/** orderBuckets keeps ordered scales in scale order and sorts the rest by size. */
export function orderBuckets(key: BreakdownKey, buckets: Bucket[]): Bucket[] {
  const order = ORDERED[key];
  const copy = [...buckets];
  if (order) {
    const rank = (k: string): number => {
      const i = order.indexOf(k);
      return i < 0 ? order.length : i;
    };
    return copy.sort((a, b) => rank(a.key) - rank(b.key));
  }
  return copy.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

const ROW_HEIGHT = 32;

/** BreakdownView is one breakdown card. */
export interface BreakdownView {
  update(buckets: Bucket[], lang: Lang): void;
  resize(): void;
}

/** createBreakdownChart draws one dimension into `canvasEl`, its table into `altEl`. */
export function createBreakdownChart(key: BreakdownKey, canvasEl: HTMLElement, altEl: HTMLElement): BreakdownView {
  let chart: Chart | null = null;

  function update(raw: Bucket[], lang: Lang): void {
    const p = palette();
    const buckets = orderBuckets(key, raw);
    const title = t(lang, `bd${key}` as MessageKey);
    altEl.replaceChildren(
      textTable(
        title,
        [t(lang, 'bdCategory'), t(lang, 'bdCount'), t(lang, 'bdShare')],
        buckets.map((b) => [b.label, formatInt(b.count, lang), formatPercent(b.share, lang, 1)]),
      ),
    );
    const empty = buckets.every((b) => b.count === 0);
    canvasEl.hidden = empty;
    canvasEl.parentElement?.classList.toggle('is-empty', empty);
    if (empty) return;

    canvasEl.style.height = `${Math.max(2, buckets.length) * ROW_HEIGHT + 16}px`;
    if (chart) chart.resize();
    else chart = initChart(canvasEl);

    const option: ChartOption = {
      animation: false,
      textStyle: { fontFamily: p.font, color: p.text },
      grid: { left: 4, right: 96, top: 4, bottom: 4, containLabel: true },
      tooltip: {
        ...baseTooltip(p),
        trigger: 'item',
        formatter: (params) => {
          const one = Array.isArray(params) ? params[0] : params;
          const b = buckets[one?.dataIndex ?? 0]!;
          return tooltipBox(title, [
            [b.label, `${formatInt(b.count, lang)} (${formatPercent(b.share, lang, 1)})`, 'admitted'],
          ]);
        },
      },
      xAxis: {
        type: 'value',
        show: false,
        max: (v: { max: number }) => Math.max(1, v.max),
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: buckets.map((b) => b.label),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: p.muted } },
        axisLabel: { color: p.text, fontSize: 12, width: 190, overflow: 'break', lineHeight: 14 },
      },
      series: [
        {
          type: 'bar',
          name: t(lang, 'bdCount'),
          barMaxWidth: 18,
          itemStyle: { color: p.admitted, borderRadius: [0, 2, 2, 0] },
          label: {
            show: true,
            position: 'right',
            color: p.text,
            fontSize: 12,
            formatter: ({ dataIndex }) => {
              const b = buckets[dataIndex]!;
              return `${formatInt(b.count, lang)} (${formatPercent(b.share, lang, 1)})`;
            },
          },
          data: buckets.map((b) => b.count),
        },
      ],
    };
    chart.setOption(option, { notMerge: true });
  }

  return { update, resize: () => chart?.resize() };
}
