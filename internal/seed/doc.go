// Package seed loads demo and synthetic data into ketnap's database.
//
// # Demo
//
// Demo loads the bloc of the source article, "Đảng bộ Khối Các cơ quan tỉnh
// Bạc Liêu" (code BL-KCQ): 39 grassroots organizations (23 committees, 16
// grassroots branches) across party agencies, state agencies, public
// service units, state and a few non-state enterprises, 117 subordinate
// branches, and 2015–2025 admissions with their people, classes and plans.
// Statuses describe DemoAsOf (31/12/2025). The article's figures hold
// exactly; tests check them through the GraphQL API:
//
//   - 1.004 admissions with admitted_on in 01/01/2015–30/06/2020 in the
//     bloc's subtree; 880 of them with professional level COLLEGE or
//     UNIVERSITY (87,65%; the article's 83,64% does not follow from its own
//     counts), 53 MASTER (5,28%);
//   - 12 AWARENESS classes organized in the bloc starting in
//     01/07/2015–30/06/2020, certifying 963 distinct candidates: a passed
//     enrollment in one of them, certificate_on (the class's last day)
//     inside the period. No certificate of another awareness class falls
//     in the period, so "certificate_on in the period" gives the same 963;
//     certificates of the NEW_MEMBER course do fall in it, so filter by kind
//     (candidates: hasEnrollmentsWith passed + certificateOn range, and
//     hasClassesWith kind AWARENESS + startsOn range);
//   - targets: the bloc's own AnnualPlan targets are 100, 105, 110, 110, 115
//     for 2015–2019 (540) and 120 for 2020. Counting 2020 pro rata by days
//     (182 of 366) gives 599,67 and 1.004 / 599,67 = 167,4% ("trên 167%");
//     counting the touched years whole gives 660 and 152,1%. Every grassroots
//     organization and branch has its own plan per year (target near its
//     actual admissions) and members_at_start (the bloc: 5.788 in 2015
//     growing to 6.284 in 2025, the sum of its organizations);
//   - no admissions at all in Q1/2016 and Q1/2019, and few in other first
//     quarters.
//
// About 3,5% of members are not recognized after probation, 2% leave later
// and 2,5% are disciplined; ceremonies follow decisions and resolutions,
// certificates precede resolutions by at most five years.
//
// # Synthetic
//
// Synthetic generates S (one bloc), M (one province) or L (the country)
// from a seed: the same seed gives the same rows on SQLite and PostgreSQL,
// and Result.Checksum hashes them in a canonical form as they are written.
// Rows are streamed table by table; each pass over the grassroots
// organizations replays their random streams, so only the organization
// tree is held in memory. Bulk loading bypasses the ent hooks: the loader
// rebuilds the closure table with tree.Rebuild, moves the id sequences past
// the loaded rows, and rebuilds the statistics rollups derived from them.
package seed
