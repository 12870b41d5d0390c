// Types mirroring the server's GraphQL contract (the subset the dashboard asks for).

export type Granularity = 'YEAR' | 'QUARTER' | 'MONTH';
export type Lang = 'vi' | 'en';

export type OrganizationKind =
  | 'BLOC'
  | 'GRASSROOTS_COMMITTEE'
  | 'GRASSROOTS_BRANCH'
  | 'SUB_COMMITTEE'
  | 'BRANCH';

export interface OrgRef {
  id: string;
  code: string;
  name: string;
  kind: OrganizationKind;
}

export interface Organization extends OrgRef {
  sector: string;
  ancestors: OrgRef[];
}

export interface Point {
  start: string;
  end: string;
  label: string;
  admitted: number;
  target: number | null;
}

export interface Bucket {
  key: string;
  label: string;
  count: number;
  share: number;
}

/** ChildStats is one row of the child-organizations table. */
export interface ChildStats {
  organization: OrgRef & { sector: string };
  admitted: number;
  target: number | null;
  targetAttainment: number | null;
  trainees: number;
  recognized: number;
  notRecognized: number;
  leftOrDisciplined: number;
}

export interface WithoutAdmission extends OrgRef {
  parent: { id: string; name: string } | null;
}

/** BreakdownKey names the GraphQL aliases used for the breakdowns. */
export const BREAKDOWNS = [
  ['professionalLevel', 'PROFESSIONAL_LEVEL'],
  ['gender', 'GENDER'],
  ['ethnicity', 'ETHNICITY'],
  ['youthUnion', 'YOUTH_UNION'],
  ['ageBand', 'AGE_BAND'],
  ['occupation', 'OCCUPATION'],
  ['sector', 'SECTOR'],
] as const;

export type BreakdownKey = (typeof BREAKDOWNS)[number][0];

export interface Stats extends Record<BreakdownKey, Bucket[]> {
  organization: Organization | null;
  from: string;
  to: string;
  admitted: number;
  target: number | null;
  targetAttainment: number | null;
  membersAtStart: number | null;
  admissionRate: number | null;
  classes: number;
  trainees: number;
  pipeline: number;
  recognized: number;
  notRecognized: number;
  leftOrDisciplined: number;
  series: Point[];
  children: ChildStats[];
  /** The first organizations without admissions, by code (the query's $withoutFirst). */
  withoutAdmissions: WithoutAdmission[];
  withoutAdmissionsCount: number;
}
