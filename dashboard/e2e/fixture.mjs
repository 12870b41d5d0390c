// Deterministic demo data for the mock server: the Bạc Liêu provincial-agencies bloc
// (about thirty grassroots organizations), with admissions from 2015 to 2025. For
// 2015-01-01..2020-06-30 it yields 1.004 admissions against a target of 600 (167,3%),
// 880 with a college or university degree and 53 with a master's degree, as in the
// source article. Stats are computed from individual records, so every period and
// organization is consistent.

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20150101);
const pick = (weights) => {
  const entries = Object.entries(weights);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [k, w] of entries) if ((r -= w) < 0) return k;
  return entries[entries.length - 1][0];
};
const shuffle = (a) => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

// ---- Organizations ----------------------------------------------------------------

export const orgs = new Map();
function addOrg(o) {
  orgs.set(o.id, { ...o, children: [] });
  if (o.parentId) orgs.get(o.parentId).children.push(o.id);
  return o.id;
}

const BLOC = addOrg({
  id: 'org-bl',
  code: 'BL-KCQ',
  name: 'Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu',
  kind: 'BLOC',
  sector: 'PARTY_AGENCY',
  parentId: null,
  weight: 0,
  members: 0,
});

// name, kind (C = grassroots committee, B = grassroots branch), sector, weight, members
const GRASSROOTS = [
  ['Đảng bộ Sở Y tế', 'C', 'STATE_AGENCY', 9, 260],
  ['Đảng bộ Bệnh viện Đa khoa tỉnh', 'C', 'PUBLIC_SERVICE', 10, 310],
  ['Đảng bộ Sở Giáo dục và Đào tạo', 'C', 'STATE_AGENCY', 7, 190],
  ['Đảng bộ Trường Cao đẳng Y tế', 'C', 'PUBLIC_SERVICE', 5, 120],
  ['Đảng bộ Trường Cao đẳng Kinh tế – Kỹ thuật', 'C', 'PUBLIC_SERVICE', 4, 110],
  ['Đảng bộ Sở Nông nghiệp và Phát triển nông thôn', 'C', 'STATE_AGENCY', 6, 180],
  ['Đảng bộ Sở Tài chính', 'C', 'STATE_AGENCY', 3, 75],
  ['Đảng bộ Sở Kế hoạch và Đầu tư', 'C', 'STATE_AGENCY', 2.5, 62],
  ['Đảng bộ Sở Giao thông vận tải', 'C', 'STATE_AGENCY', 3, 88],
  ['Đảng bộ Sở Tài nguyên và Môi trường', 'C', 'STATE_AGENCY', 3, 84],
  ['Đảng bộ Sở Lao động – Thương binh và Xã hội', 'C', 'STATE_AGENCY', 3.5, 96],
  ['Đảng bộ Sở Văn hóa, Thể thao và Du lịch', 'C', 'STATE_AGENCY', 3, 90],
  ['Đảng bộ Đài Phát thanh và Truyền hình tỉnh', 'C', 'PUBLIC_SERVICE', 2.5, 70],
  ['Đảng bộ Cơ quan Văn phòng Tỉnh ủy', 'C', 'PARTY_AGENCY', 2, 85],
  ['Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc tỉnh', 'C', 'PARTY_AGENCY', 1.5, 48],
  ['Đảng bộ Công ty Điện lực Bạc Liêu', 'C', 'STATE_ENTERPRISE', 4, 140],
  ['Đảng bộ Công ty Cổ phần Cấp nước Bạc Liêu', 'C', 'STATE_ENTERPRISE', 1.5, 52],
  ['Chi bộ Sở Tư pháp', 'B', 'STATE_AGENCY', 1, 24],
  ['Chi bộ Sở Khoa học và Công nghệ', 'B', 'STATE_AGENCY', 1, 22],
  ['Chi bộ Sở Công Thương', 'B', 'STATE_AGENCY', 1.2, 27],
  ['Chi bộ Sở Thông tin và Truyền thông', 'B', 'STATE_AGENCY', 0.9, 19],
  ['Chi bộ Sở Nội vụ', 'B', 'STATE_AGENCY', 1, 26],
  ['Chi bộ Ban Quản lý dự án đầu tư xây dựng tỉnh', 'B', 'PUBLIC_SERVICE', 0.8, 21],
  ['Chi bộ Báo Bạc Liêu', 'B', 'PUBLIC_SERVICE', 0.8, 23],
  ['Chi bộ Hội Nông dân tỉnh', 'B', 'PARTY_AGENCY', 0.6, 18],
  ['Chi bộ Liên đoàn Lao động tỉnh', 'B', 'PARTY_AGENCY', 0.7, 20],
  ['Chi bộ Ngân hàng Nhà nước chi nhánh tỉnh Bạc Liêu', 'B', 'STATE_AGENCY', 0.7, 25],
  ['Chi bộ Bảo hiểm xã hội tỉnh', 'B', 'STATE_AGENCY', 1, 28],
  ['Chi bộ Công ty Cổ phần Muối Bạc Liêu', 'B', 'NON_STATE_ENTERPRISE', 0.15, 9],
  ['Chi bộ Công ty TNHH Thủy sản Phú Cường', 'B', 'NON_STATE_ENTERPRISE', 0, 6],
];

const SUB_BRANCHES = ['Chi bộ Văn phòng', 'Chi bộ Phòng Nghiệp vụ', 'Chi bộ Phòng Tổ chức – Hành chính', 'Chi bộ Phòng Kế hoạch – Tài chính', 'Chi bộ Khối đơn vị trực thuộc'];

GRASSROOTS.forEach(([name, k, sector, weight, members], i) => {
  const id = `org-${String(i + 1).padStart(2, '0')}`;
  addOrg({
    id,
    code: `BL-KCQ-${String(i + 1).padStart(2, '0')}`,
    name,
    kind: k === 'C' ? 'GRASSROOTS_COMMITTEE' : 'GRASSROOTS_BRANCH',
    sector,
    parentId: BLOC,
    weight: k === 'C' ? 0 : weight,
    members: k === 'C' ? 0 : members,
  });
  if (k === 'C') {
    const n = 2 + (i % 4);
    for (let j = 0; j < n; j++) {
      addOrg({
        id: `${id}-${j + 1}`,
        code: `BL-KCQ-${String(i + 1).padStart(2, '0')}-${j + 1}`,
        name: SUB_BRANCHES[j],
        kind: 'BRANCH',
        sector,
        parentId: id,
        weight: (weight * (n - j)) / ((n * (n + 1)) / 2),
        members: Math.round((members * (n - j)) / ((n * (n + 1)) / 2)),
      });
    }
  }
});

const leaves = [...orgs.values()].filter((o) => o.children.length === 0);
const grassrootsOf = (o) => (o.kind === 'BRANCH' ? orgs.get(o.parentId) : o);

// ---- Targets ----------------------------------------------------------------------

const BLOC_TARGET = { 2015: 110, 2016: 110, 2017: 110, 2018: 110, 2019: 110, 2020: 100 };
for (let y = 2021; y <= 2025; y++) BLOC_TARGET[y] = 150;
for (let y = 2026; y <= 2030; y++) BLOC_TARGET[y] = 160;

/** targets.get(orgId)[year] is an organization's yearly target. */
export const targets = new Map();
targets.set(BLOC, BLOC_TARGET);
{
  const grass = orgs.get(BLOC).children.map((id) => orgs.get(id));
  const weightOf = (g) => (g.children.length ? g.children.reduce((s, c) => s + orgs.get(c).weight, 0) : g.weight);
  const total = grass.reduce((s, g) => s + weightOf(g), 0);
  // Targets are not proportional to size, so that some organizations lag behind.
  const spreadFactor = grass.map(() => 0.55 + rnd() * 1.9);
  for (const g of grass) targets.set(g.id, {});
  for (const [y, tgt] of Object.entries(BLOC_TARGET)) {
    // Largest remainder, so that the children's targets add up to the bloc's; each
    // organization gets at least 1 so that none is without a target.
    const raw = grass.map((g, i) => Math.max(1, ((tgt * weightOf(g)) / total) * spreadFactor[i]));
    const scale = tgt / raw.reduce((s, x) => s + x, 0);
    const exact = raw.map((x) => x * scale);
    const floor = exact.map(Math.floor);
    let left = tgt - floor.reduce((s, x) => s + x, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) if (left-- > 0) floor[i]++;
    grass.forEach((g, i) => (targets.get(g.id)[y] = Math.max(0, floor[i])));
  }
}

// ---- Admissions -------------------------------------------------------------------

const LEVELS_A = { NONE: 14, INTERMEDIATE: 55, COLLEGE: 160, UNIVERSITY: 720, MASTER: 53, DOCTOR: 2 };

function quarterCounts(total, quarters, zero) {
  const w = quarters.map(([y, q]) => (zero.has(`${y}-${q}`) ? 0 : [0.55, 0.95, 1.05, 1.45][q - 1] * (0.8 + rnd() * 0.4)));
  const sum = w.reduce((s, x) => s + x, 0);
  const c = w.map((x) => Math.floor((total * x) / sum));
  let left = total - c.reduce((s, x) => s + x, 0);
  for (let i = 0; left > 0; i = (i + 1) % c.length) if (w[i] > 0) (c[i]++, left--);
  return c;
}

function quarters(y1, q1, y2, q2) {
  const out = [];
  for (let y = y1, q = q1; y < y2 || (y === y2 && q <= q2); q === 4 ? (y++, (q = 1)) : q++) out.push([y, q]);
  return out;
}

const pad = (n) => String(n).padStart(2, '0');
function randomDate(y, q) {
  const m = (q - 1) * 3 + 1 + Math.floor(rnd() * 3);
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${pad(m)}-${pad(1 + Math.floor(rnd() * dim))}`;
}

const OCCUPATION_BY_SECTOR = {
  STATE_AGENCY: { CIVIL_SERVANT: 8, PUBLIC_EMPLOYEE: 2 },
  PUBLIC_SERVICE: { PUBLIC_EMPLOYEE: 8, CIVIL_SERVANT: 1, STUDENT: 1 },
  PARTY_AGENCY: { CIVIL_SERVANT: 9, PUBLIC_EMPLOYEE: 1 },
  STATE_ENTERPRISE: { SOE_EMPLOYEE: 8, WORKER: 2 },
  NON_STATE_ENTERPRISE: { WORKER: 7, BUSINESS_OWNER: 1, OTHER: 2 },
};

function leafFor() {
  return pick(Object.fromEntries(leaves.filter((l) => l.weight > 0).map((l) => [l.id, l.weight])));
}

function makeRecord(date, level) {
  const org = orgs.get(leafFor());
  const age = pick({ '18_30': 62, '31_40': 28, '41_50': 8, '51_60': 2 });
  return {
    org: org.id,
    date,
    level,
    gender: rnd() < 0.47 ? 'FEMALE' : 'MALE',
    ethnicity: pick({ Kinh: 88, Khmer: 8, Hoa: 4 }),
    youth: age === '18_30' ? (rnd() < 0.93 ? 'YES' : 'NO') : rnd() < 0.2 ? 'YES' : 'NO',
    age,
    occupation: pick(OCCUPATION_BY_SECTOR[org.sector] ?? { OTHER: 1 }),
    // Outcome after the 12 months of probation.
    outcome: pick({ RECOGNIZED: 970, NOT_RECOGNIZED: 12, LEFT: 18 }),
  };
}

/** admissions holds every admission, sorted by date. */
export const admissions = [];
{
  // 2015-01-01..2020-06-30: 1.004 admissions, with the article's quality mix; the
  // bloc admitted nobody in the first quarters of 2016 and 2019.
  const qa = quarters(2015, 1, 2020, 2);
  const ca = quarterCounts(1004, qa, new Set(['2016-1', '2019-1']));
  const levels = shuffle(Object.entries(LEVELS_A).flatMap(([k, n]) => Array(n).fill(k)));
  let li = 0;
  qa.forEach(([y, q], i) => {
    for (let k = 0; k < ca[i]; k++) admissions.push(makeRecord(randomDate(y, q), levels[li++]));
  });
  // 2020-07-01..2025-12-31: a steadier pace, one empty first quarter in 2022.
  const qb = quarters(2020, 3, 2025, 4);
  const cb = quarterCounts(1012, qb, new Set(['2022-1']));
  qb.forEach(([y, q], i) => {
    for (let k = 0; k < cb[i]; k++) {
      const level = pick({ NONE: 1, INTERMEDIATE: 5, COLLEGE: 12, UNIVERSITY: 72, MASTER: 8, DOCTOR: 0.5 });
      admissions.push(makeRecord(randomDate(y, q), level));
    }
  });
  admissions.sort((a, b) => (a.date < b.date ? -1 : 1));
}

// ---- Classes ----------------------------------------------------------------------

/** classes are awareness classes: held by an organization, trainees from leaves. */
export const classes = [];
{
  // 12 bloc classes for 963 trainees in 2015–2019, as in the article; then two a year.
  const blocDates = ['2015-05-12', '2015-10-20', '2016-04-18', '2016-09-26', '2017-03-20', '2017-08-14', '2017-11-06', '2018-04-09', '2018-09-17', '2019-04-15', '2019-08-19', '2019-11-11'];
  const sizes = [78, 82, 80, 84, 79, 81, 77, 83, 80, 82, 78, 79];
  blocDates.forEach((date, i) => classes.push({ org: BLOC, date, trainees: spread(sizes[i]) }));
  for (let y = 2020; y <= 2025; y++) {
    classes.push({ org: BLOC, date: `${y}-04-20`, trainees: spread(85) });
    classes.push({ org: BLOC, date: `${y}-10-12`, trainees: spread(90) });
  }
  // The largest grassroots committees hold their own classes.
  for (const id of ['org-01', 'org-02', 'org-03']) {
    for (let y = 2016; y <= 2025; y += 2) classes.push({ org: id, date: `${y}-06-15`, trainees: spread(30, id) });
  }
}

function spread(n, within) {
  const pool = leaves.filter((l) => l.weight > 0 && (!within || l.parentId === within));
  const out = {};
  for (let i = 0; i < n; i++) {
    const id = pick(Object.fromEntries(pool.map((l) => [l.id, l.weight])));
    out[id] = (out[id] ?? 0) + 1;
  }
  return out;
}

/** pipeline is the number of outstanding candidates each leaf follows today. */
export const pipeline = new Map(leaves.map((l) => [l.id, Math.round(l.weight * (1.5 + rnd() * 2))]));

export { BLOC, grassrootsOf };
