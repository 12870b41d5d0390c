// Admissions per year, quarter or month as bars, with the target pace as a line.
// A bucket without admissions shows "0" and a warning mark, so it cannot pass for
// missing data.

import { h } from '../dom';
import { formatDecimal, formatInt, formatPercent } from '../format';
import { t } from '../i18n';
import type { Granularity, Lang, Point } from '../types';
import { textTable } from './a11y';
import { baseTooltip, initChart, palette, tooltipBox, type Chart, type ChartOption } from './echarts';

/** SeriesView is the admissions-over-time card. */
export interface SeriesView {
  update(points: Point[], granularity: Granularity, lang: Lang): void;
  /** resize follows the container, or takes an explicit size (for print). */
  resize(size?: { width: number; height: number }): void;
}

/** compactLabel puts the year on its own line: "Quý I/2020" → "Quý I\n2020". */
export function compactLabel(label: string): string {
  return label.replace(/[/ ](\d{4})$/, '\n$1');
}

/** createSeriesChart draws into `canvasEl` and writes the text alternative into `altEl`. */
export function createSeriesChart(canvasEl: HTMLElement, altEl: HTMLElement, noteEl: HTMLElement): SeriesView {
  let chart: Chart | null = null;

  function update(points: Point[], granularity: Granularity, lang: Lang): void {
    const p = palette();
    chart ??= initChart(canvasEl);
    const total = points.reduce((s, x) => s + x.admitted, 0);
    const hasTarget = points.some((x) => x.target !== null);
    const showValues = points.length <= 16;

    const option: ChartOption = {
      animation: false,
      textStyle: { fontFamily: p.font, color: p.text },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: {
        ...baseTooltip(p),
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          const i = list[0]?.dataIndex ?? 0;
          const pt = points[i]!;
          const rows: [string, string, string?][] = [
            [
              t(lang, 'legendAdmitted'),
              total > 0
                ? `${formatInt(pt.admitted, lang)} (${formatPercent(pt.admitted / total, lang, 1)})`
                : formatInt(pt.admitted, lang),
              pt.admitted === 0 ? 'warning' : 'admitted',
            ],
          ];
          if (pt.target !== null) {
            rows.push([t(lang, 'legendTarget'), formatDecimal(pt.target, lang, 1), 'target']);
            if (pt.target > 0) rows.push([t(lang, 'colAttainment'), formatPercent(pt.admitted / pt.target, lang, 1)]);
          }
          return tooltipBox(pt.label, rows);
        },
      },
      xAxis: {
        type: 'category',
        data: points.map((x) => compactLabel(x.label)),
        axisTick: { alignWithLabel: true },
        axisLine: { lineStyle: { color: p.muted } },
        axisLabel: { color: p.text, fontSize: 12, hideOverlap: true, lineHeight: 15 },
      },
      yAxis: {
        type: 'value',
        name: t(lang, 'axisAdmitted'),
        nameLocation: 'end',
        nameGap: 14,
        nameTextStyle: { color: p.muted, fontSize: 12, align: 'left' },
        minInterval: 1,
        axisLabel: { color: p.muted, formatter: (v: number) => formatInt(v, lang) },
        splitLine: { lineStyle: { color: p.rule } },
      },
      series: [
        {
          type: 'bar',
          name: t(lang, 'legendAdmitted'),
          barMaxWidth: 36,
          itemStyle: { color: p.admitted, borderRadius: [2, 2, 0, 0] },
          label: {
            show: showValues,
            position: 'top',
            color: p.text,
            fontSize: 12,
            formatter: ({ value }) => formatInt(Number(value), lang),
          },
          data: points.map((x) =>
            x.admitted === 0
              ? {
                  value: 0,
                  label: {
                    show: true,
                    position: 'top',
                    distance: 4,
                    formatter: '{w|▲}\n0',
                    color: p.warning,
                    fontWeight: 'bold',
                    fontSize: 13,
                    lineHeight: 15,
                    rich: { w: { color: p.warning, fontSize: 12, lineHeight: 14 } },
                  },
                }
              : x.admitted,
          ),
        },
        {
          type: 'line',
          name: t(lang, 'legendTarget'),
          data: points.map((x) => x.target),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: points.length > 30 ? 0 : 5,
          lineStyle: { color: p.target, width: 2, type: 'dashed' },
          itemStyle: { color: p.target },
          z: 3,
        },
      ],
    };
    chart.setOption(option, { notMerge: true });

    // Text alternative and the note listing empty buckets.
    const zero = points.filter((x) => x.admitted === 0);
    noteEl.replaceChildren();
    if (zero.length > 0) {
      noteEl.append(
        h('span', { class: 'warn-mark', 'aria-hidden': 'true' }, '▲ '),
        t(lang, zero.length === 1 ? 'zeroBucketsOne' : 'zeroBuckets', { n: formatInt(zero.length, lang), list: zero.map((x) => x.label).join(', ') }),
      );
    }
    const header = [t(lang, granularity), t(lang, 'legendAdmitted')];
    if (hasTarget) header.push(t(lang, 'legendTarget'));
    altEl.replaceChildren(
      textTable(
        t(lang, `seriesTitle${granularity}`),
        header,
        points.map((x) => {
          const row = [x.label, formatInt(x.admitted, lang)];
          if (hasTarget) row.push(x.target === null ? t(lang, 'none') : formatDecimal(x.target, lang, 1));
          return row;
        }),
      ),
    );
  }

  return {
    update,
    resize: (size) => {
      if (!chart) return;
      chart.resize(size ? { width: size.width, height: size.height } : undefined);
      // Draw now rather than on the next frame: printing does not wait for one.
      chart.getZr().flush();
    },
  };
}
