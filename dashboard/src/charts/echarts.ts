// ECharts, trimmed to what the dashboard draws: bars, a line, a grid and tooltips.

import * as echarts from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** ChartOption is the option type for the charts this bundle can draw. */
export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption
>;

export type Chart = echarts.ECharts;

/** Palette holds one color per meaning, read from the stylesheet's custom properties. */
export interface Palette {
  admitted: string;
  target: string;
  warning: string;
  text: string;
  muted: string;
  rule: string;
  font: string;
}

/** palette reads the page's colors so CSS stays the single source of truth. */
export function palette(): Palette {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    admitted: v('--c-admitted', '#1d5fa6'),
    target: v('--c-target', '#3c3f46'),
    warning: v('--c-warning', '#a84b00'),
    text: v('--c-text', '#1b1f24'),
    muted: v('--c-muted', '#4b5563'),
    rule: v('--c-rule', '#e3e6ea'),
    font: v('--font', 'system-ui, sans-serif'),
  };
}

/** initChart creates a chart in `el`; charts are drawn without animation, as in print. */
export function initChart(el: HTMLElement): Chart {
  return echarts.init(el, null, { renderer: 'canvas' });
}

/** tooltipBox builds a tooltip's content from text lines, without HTML strings. */
export function tooltipBox(title: string, rows: [string, string, string?][]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'tip';
  const head = document.createElement('div');
  head.className = 'tip-title';
  head.textContent = title;
  box.append(head);
  for (const [label, value, swatch] of rows) {
    const row = document.createElement('div');
    row.className = 'tip-row';
    if (swatch) {
      const s = document.createElement('span');
      s.className = `swatch swatch-${swatch}`;
      s.setAttribute('aria-hidden', 'true');
      row.append(s);
    }
    const l = document.createElement('span');
    l.textContent = label;
    const val = document.createElement('strong');
    val.textContent = value;
    row.append(l, val);
    box.append(row);
  }
  return box;
}

/** baseTooltip is the common tooltip look. */
export function baseTooltip(p: Palette): TooltipComponentOption {
  return {
    confine: true,
    backgroundColor: '#ffffff',
    borderColor: p.rule,
    borderWidth: 1,
    padding: [8, 10],
    textStyle: { color: p.text, fontFamily: p.font, fontSize: 13 },
    extraCssText: 'box-shadow: 0 2px 8px rgba(0,0,0,.12);',
  };
}
