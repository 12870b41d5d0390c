// Names for the parts of the API's answers the dashboard works with. Every type here is
// derived from src/generated/graphql.ts (`npm run codegen`, from the server's schema and
// the dashboard's own operations), so a change to the schema or to a query that the code
// does not follow fails `tsc`.

import type { DashboardQuery, Granularity, MeQuery, OrganizationKind, UserRole } from './generated/graphql';

export type { Granularity, OrganizationKind };

/** Lang is the language of the page (and of the server's labels, via Accept-Language). */
export type Lang = 'vi' | 'en';

type RawStats = DashboardQuery['stats'];
type RawChild = RawStats['children'][number];

/** Organization is the organization a view is about, with the path down to it. */
export type Organization = NonNullable<RawStats['organization']>;

/** OrgRef is an organization as the breadcrumb names it. */
export type OrgRef = Organization['ancestors'][number];

/** Point is one bucket of the admissions series. */
export type Point = RawStats['series'][number];

/** Bucket is one value of a breakdown. */
export type Bucket = RawStats['professionalLevel'][number];

/** WithoutAdmission is a grassroots organization that admitted nobody in the period. */
export type WithoutAdmission = RawStats['withoutAdmissions'][number];

/**
 * ChildStats is one row of the child-organizations table. The schema types a child's
 * `organization` as Stats.organization, which is null only for the all-roots view; a
 * child is always one organization, so it is never null here.
 */
export type ChildStats = Omit<RawChild, 'organization'> & { organization: NonNullable<RawChild['organization']> };

/** Stats is the dashboard query's answer for one view. */
export type Stats = Omit<RawStats, 'children'> & { children: ChildStats[] };

/** Role is what a user may do (`me.role`). */
export type Role = UserRole;

/** Me is the signed-in user, as the Me query returns it. */
export type Me = MeQuery['me'];

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

