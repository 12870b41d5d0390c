// Computes the GraphQL `Stats` value from the fixture, as the real server would.

import { admissions, classes, orgs, pipeline, targets } from './fixture.mjs';

const DAY = 86_400_000;
const ms = (iso) => Date.parse(`${iso}T00:00:00Z`);
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const addMonths = (isoDate, n) => {
  const d = new Date(ms(isoDate));
  d.setUTCMonth(d.getUTCMonth() + n);
  return iso(d.getTime());
};

const LABELS = {
  PROFESSIONAL_LEVEL: {
    vi: { NONE: 'Chưa qua đào tạo', INTERMEDIATE: 'Trung cấp', COLLEGE: 'Cao đẳng', UNIVERSITY: 'Đại học', MASTER: 'Thạc sĩ', DOCTOR: 'Tiến sĩ' },
    en: { NONE: 'No professional training', INTERMEDIATE: 'Intermediate', COLLEGE: 'College', UNIVERSITY: 'University', MASTER: "Master's", DOCTOR: 'Doctorate' },
  },
  GENDER: { vi: { MALE: 'Nam', FEMALE: 'Nữ' }, en: { MALE: 'Men', FEMALE: 'Women' } },
  YOUTH_UNION: { vi: { YES: 'Đoàn viên', NO: 'Không phải đoàn viên' }, en: { YES: 'Youth Union members', NO: 'Not Youth Union members' } },
  AGE_BAND: {
    vi: { '18_30': 'Từ 18 đến 30 tuổi', '31_40': 'Từ 31 đến 40 tuổi', '41_50': 'Từ 41 đến 50 tuổi', '51_60': 'Từ 51 đến 60 tuổi', OVER_60: 'Trên 60 tuổi' },
    en: { '18_30': '18 to 30', '31_40': '31 to 40', '41_50': '41 to 50', '51_60': '51 to 60', OVER_60: 'Over 60' },
  },
  OCCUPATION: {
    vi: { CIVIL_SERVANT: 'Cán bộ, công chức', PUBLIC_EMPLOYEE: 'Viên chức', SOE_EMPLOYEE: 'Người lao động doanh nghiệp nhà nước', WORKER: 'Công nhân', FARMER: 'Nông dân', ARMED_FORCES: 'Lực lượng vũ trang', STUDENT: 'Học sinh, sinh viên', BUSINESS_OWNER: 'Chủ doanh nghiệp tư nhân', OTHER: 'Khác' },
    en: { CIVIL_SERVANT: 'Civil servants', PUBLIC_EMPLOYEE: 'Public employees', SOE_EMPLOYEE: 'State enterprise staff', WORKER: 'Workers', FARMER: 'Farmers', ARMED_FORCES: 'Armed forces', STUDENT: 'Students', BUSINESS_OWNER: 'Private business owners', OTHER: 'Other' },
  },
  SECTOR: {
    vi: { PARTY_AGENCY: 'Cơ quan Đảng, Mặt trận, đoàn thể', STATE_AGENCY: 'Cơ quan hành chính nhà nước', PUBLIC_SERVICE: 'Đơn vị sự nghiệp', STATE_ENTERPRISE: 'Doanh nghiệp nhà nước', NON_STATE_ENTERPRISE: 'Doanh nghiệp ngoài khu vực nhà nước', ARMED_FORCES: 'Lực lượng vũ trang', COMMUNE: 'Xã, phường, thị trấn', OTHER: 'Khác' },
    en: { PARTY_AGENCY: 'Party and mass organizations', STATE_AGENCY: 'State administrative agencies', PUBLIC_SERVICE: 'Public service units', STATE_ENTERPRISE: 'State enterprises', NON_STATE_ENTERPRISE: 'Non-state enterprises', ARMED_FORCES: 'Armed forces', COMMUNE: 'Communes and wards', OTHER: 'Other' },
  },
  ETHNICITY: { vi: {}, en: {} },
};
const ORDER = {
  PROFESSIONAL_LEVEL: ['NONE', 'INTERMEDIATE', 'COLLEGE', 'UNIVERSITY', 'MASTER', 'DOCTOR'],
  AGE_BAND: ['18_30', '31_40', '41_50', '51_60', 'OVER_60'],
  GENDER: ['MALE', 'FEMALE'],
  YOUTH_UNION: ['YES', 'NO'],
};
const FIELD = { PROFESSIONAL_LEVEL: 'level', GENDER: 'gender', ETHNICITY: 'ethnicity', YOUTH_UNION: 'youth', AGE_BAND: 'age', OCCUPATION: 'occupation', SECTOR: 'sector' };

function subtree(id) {
  const out = new Set();
  const walk = (x) => {
    out.add(x);
    for (const c of orgs.get(x).children) walk(c);
  };
  walk(id);
  return out;
}

function orgValue(o, withAncestors = true) {
  const v = { id: o.id, code: o.code, name: o.name, kind: o.kind, sector: o.sector };
  if (withAncestors) {
    const anc = [];
    for (let p = o.parentId; p; p = orgs.get(p).parentId) anc.unshift(orgValue(orgs.get(p), false));
    v.ancestors = anc;
    v.parent = o.parentId ? orgValue(orgs.get(o.parentId), false) : null;
  }
  return v;
}

function yearFraction(y, from, to) {
  const a = Math.max(ms(from), ms(`${y}-01-01`));
  const b = Math.min(ms(to) + DAY, ms(`${y + 1}-01-01`));
  if (b <= a) return 0;
  return (b - a) / (ms(`${y + 1}-01-01`) - ms(`${y}-01-01`));
}

function targetFor(ids, from, to) {
  // The top-most organizations with a target inside the set carry it.
  let total = null;
  for (const id of ids) {
    const t = targets.get(id);
    if (!t) continue;
    const parent = orgs.get(id).parentId;
    if (parent && ids.has(parent) && targets.has(parent)) continue;
    for (const [y, n] of Object.entries(t)) {
      const f = yearFraction(Number(y), from, to);
      if (f > 0) total = (total ?? 0) + n * f;
    }
  }
  return total;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function buckets(from, to, granularity, lang) {
  const out = [];
  let start = from;
  while (start <= to) {
    const y = Number(start.slice(0, 4));
    const m = Number(start.slice(5, 7));
    let next;
    let label;
    if (granularity === 'YEAR') {
      next = `${y + 1}-01-01`;
      label = lang === 'vi' ? `Năm ${y}` : String(y);
    } else if (granularity === 'QUARTER') {
      const q = Math.floor((m - 1) / 3);
      next = q === 3 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 4).padStart(2, '0')}-01`;
      label = lang === 'vi' ? `Quý ${ROMAN[q]}/${y}` : `Q${q + 1} ${y}`;
    } else {
      next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
      label = lang === 'vi' ? `Tháng ${m}/${y}` : `${EN_MONTHS[m - 1]} ${y}`;
    }
    const end = iso(Math.min(ms(next) - DAY, ms(to)));
    out.push({ start, end, label });
    start = next;
  }
  return out;
}

/** computeStats returns the Stats object for an organization (or the virtual root). */
export function computeStats(orgId, from, to, lang, today = new Date()) {
  const root = orgId === null;
  if (!root && !orgs.has(orgId)) return null;
  const ids = root ? new Set([...orgs.keys()]) : subtree(orgId);
  const inPeriod = admissions.filter((a) => ids.has(a.org) && a.date >= from && a.date <= to);
  const admitted = inPeriod.length;
  const rawTarget = targetFor(ids, from, to);
  const target = rawTarget === null ? null : Math.round(rawTarget);
  const fromYear = `${from.slice(0, 4)}-01-01`;
  const members =
    [...ids].reduce((s, id) => s + (orgs.get(id).members ?? 0), 0) +
    admissions.filter((a) => ids.has(a.org) && a.date < fromYear).length;
  const horizon = iso(Math.min(ms(to), today.getTime()));
  const matured = inPeriod.filter((a) => addMonths(a.date, 12) <= horizon);
  const heldClasses = classes.filter((c) => ids.has(c.org) && c.date >= from && c.date <= to);
  const trainees = classes
    .filter((c) => c.date >= from && c.date <= to)
    .reduce((s, c) => s + Object.entries(c.trainees).reduce((t, [id, n]) => t + (ids.has(id) ? n : 0), 0), 0);

  const self = root ? null : orgs.get(orgId);
  const childIds = root ? [...orgs.values()].filter((o) => !o.parentId).map((o) => o.id) : self.children;

  const stats = {
    organization: root ? null : orgValue(self),
    from,
    to,
    admitted,
    target,
    targetAttainment: target ? admitted / target : null,
    membersAtStart: members || null,
    admissionRate: members ? admitted / members : null,
    classes: heldClasses.length,
    trainees,
    pipeline: [...ids].reduce((s, id) => s + (pipeline.get(id) ?? 0), 0),
    recognized: matured.filter((a) => a.outcome === 'RECOGNIZED').length,
    notRecognized: matured.filter((a) => a.outcome === 'NOT_RECOGNIZED').length,
    leftOrDisciplined: matured.filter((a) => a.outcome === 'LEFT').length,
    series: (granularity) => {
      const yearly = (id) => targets.get(id);
      return buckets(from, to, granularity, lang).map((b) => {
        const t = targetFor(ids, b.start, b.end);
        void yearly;
        return {
          ...b,
          admitted: inPeriod.filter((a) => a.date >= b.start && a.date <= b.end).length,
          target: t === null ? null : Math.round(t * 10) / 10,
        };
      });
    },
    breakdown: (dim) => {
      const field = FIELD[dim];
      const counts = new Map();
      for (const a of inPeriod) {
        const key = field === 'sector' ? orgs.get(a.org).sector : a[field];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const keys = ORDER[dim] ? ORDER[dim].filter((k) => counts.has(k) || dim !== 'AGE_BAND') : [...counts.keys()];
      return keys.map((key) => ({
        key,
        label: LABELS[dim][lang][key] ?? key,
        count: counts.get(key) ?? 0,
        share: admitted ? (counts.get(key) ?? 0) / admitted : 0,
      }));
    },
    children: () => childIds.map((id) => computeStats(id, from, to, lang, today)),
    withoutAdmissions: [...ids]
      .map((id) => orgs.get(id))
      .filter((o) => (o.kind === 'GRASSROOTS_COMMITTEE' || o.kind === 'GRASSROOTS_BRANCH'))
      .filter((o) => {
        const sub = subtree(o.id);
        return !inPeriod.some((a) => sub.has(a.org));
      })
      .map((o) => orgValue(o)),
  };
  return stats;
}

/** resolveDashboard materializes the fields the dashboard query asks for. */
export function resolveDashboard(vars, lang) {
  const s = computeStats(vars.org ?? null, vars.from, vars.to, lang);
  if (!s) return null;
  const dims = {
    professionalLevel: 'PROFESSIONAL_LEVEL',
    gender: 'GENDER',
    ethnicity: 'ETHNICITY',
    youthUnion: 'YOUTH_UNION',
    ageBand: 'AGE_BAND',
    occupation: 'OCCUPATION',
    sector: 'SECTOR',
  };
  const without = [...s.withoutAdmissions].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const out = {
    ...s,
    series: s.series(vars.granularity ?? 'QUARTER'),
    children: s.children(),
    withoutAdmissions: without.slice(0, vars.withoutFirst ?? 200),
    withoutAdmissionsCount: without.length,
  };
  delete out.breakdown;
  for (const [alias, dim] of Object.entries(dims)) out[alias] = s.breakdown(dim);
  out.children = out.children.map((c) => {
    const { series, breakdown, children, withoutAdmissions, ...rest } = c;
    void series, breakdown, children, withoutAdmissions;
    return rest;
  });
  return out;
}
