// The KPI row: one card per question a leader asks first.

import { byId, h } from '../dom';
import { formatDecimal, formatInt, formatPercent } from '../format';
import { t } from '../i18n';
import type { Lang, Stats } from '../types';
import type { Section } from './section';

function card(id: string, label: string, value: Node | string, detail: (Node | string)[], raw: number | null, tone = ''): HTMLElement {
  return h(
    'div',
    { class: `kpi ${tone}`.trim(), id: `kpi-${id}`, role: 'group', 'aria-labelledby': `kpi-${id}-label` },
    h('div', { class: 'kpi-label', id: `kpi-${id}-label` }, label),
    h('div', { class: 'kpi-value', 'data-value': raw === null ? '' : String(raw) }, value),
    h('div', { class: 'kpi-detail' }, detail),
  );
}

/** renderKpis builds the six cards for a Stats value. */
export function renderKpis(s: Stats, lang: Lang): HTMLElement[] {
  const n = (v: number): string => formatInt(v, lang);

  const admitted = card('admitted', t(lang, 'kpiAdmitted'), n(s.admitted), [t(lang, 'kpiAdmittedUnit')], s.admitted);

  const attainment =
    s.targetAttainment !== null && s.target !== null
      ? card(
          'target',
          t(lang, 'kpiTarget'),
          formatPercent(s.targetAttainment, lang, 1),
          [t(lang, 'kpiTargetOf', { t: n(s.target) })],
          s.targetAttainment,
          s.targetAttainment < 1 ? 'tone-warning' : '',
        )
      : card('target', t(lang, 'kpiTarget'), t(lang, 'none'), [t(lang, 'kpiNoTarget')], null);

  const rate =
    s.admissionRate !== null && s.membersAtStart !== null
      ? card(
          'rate',
          t(lang, 'kpiRate'),
          formatDecimal(s.admissionRate * 100, lang, 1),
          [t(lang, 'kpiRateUnit', { n: n(s.membersAtStart) })],
          s.admissionRate,
        )
      : card('rate', t(lang, 'kpiRate'), t(lang, 'none'), [t(lang, 'kpiNoRate')], null);

  const classes = card(
    'classes',
    t(lang, 'kpiClasses'),
    t(lang, 'kpiClassesValue', { c: n(s.classes) }),
    [t(lang, 'kpiTrainees', { t: n(s.trainees) })],
    s.classes,
  );

  const pipeline = card('pipeline', t(lang, 'kpiPipeline'), n(s.pipeline), [t(lang, 'kpiPipelineUnit')], s.pipeline);

  const line = (cls: string, value: number, label: string): HTMLElement =>
    h('li', { class: cls }, h('strong', { 'data-value': String(value) }, n(value)), ' ', label);
  const recognition = h(
    'div',
    { class: 'kpi kpi-wide', id: 'kpi-recognition', role: 'group', 'aria-labelledby': 'kpi-recognition-label' },
    h('div', { class: 'kpi-label', id: 'kpi-recognition-label' }, t(lang, 'kpiRecognition')),
    h(
      'ul',
      { class: 'kpi-list' },
      line('recognized', s.recognized, t(lang, 'kpiRecognized')),
      line('not-recognized', s.notRecognized, t(lang, 'kpiNotRecognized')),
      line('left', s.leftOrDisciplined, t(lang, 'kpiLeft')),
    ),
  );

  return [admitted, attainment, rate, classes, pipeline, recognition];
}

/** createKpis fills the #kpis row. */
export function createKpis(): Section {
  const el = byId('kpis');
  return {
    applyText(L) {
      el.setAttribute('aria-label', L === 'vi' ? 'Chỉ số chính' : 'Key figures');
    },
    render({ stats, view }) {
      el.replaceChildren(...renderKpis(stats, view.lang));
    },
    clear: () => el.replaceChildren(),
  };
}
