package server

import (
	"time"

	"entgo.io/contrib/entgql"

	"ketnap/ent"
	"ketnap/graph/generated"
	"ketnap/internal/stats"
	"ketnap/internal/stats/dim"
)

// pageCost prices a connection as its page size times the cost of a row, so
// nested connections multiply; a connection without first or last is priced
// at the largest page.
func pageCost(child int, first, last *int) int {
	n := MaxPage
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	return 1 + child*max(n, 1)
}

type cursor = *entgql.Cursor[int]

// Statistics prices: the expected length of each list. Every list is
// computed in a bounded number of statements, but its size grows with the
// tree, so nested drill-downs multiply as connections do.
const (
	// statsChildren is the width priced for Stats.children (provinces, blocs).
	statsChildren = 100
	// statsWithout is the length priced for Stats.withoutAdmissions.
	statsWithout = 200
	// statsBuckets is the length priced for a breakdown.
	statsBuckets = 20
)

// seriesPoints prices a series by its granularity (10 years of buckets).
func seriesPoints(g stats.Granularity) int {
	switch g {
	case stats.GranularityMonth:
		return 120
	case stats.GranularityQuarter:
		return 40
	}
	return 10
}

// setStatsComplexity installs the prices of the statistics fields.
func setStatsComplexity(c *generated.ComplexityRoot) {
	c.Query.Stats = func(child int, _ *int, _, _ time.Time, _ *stats.TreeView, _ []*stats.Filter) int { return 1 + child }
	c.Stats.Children = func(child int, _ *stats.ChildOrder, first *int) int {
		if first != nil {
			return 1 + child*min(max(*first, 1), statsChildren)
		}
		return 1 + child*statsChildren
	}
	setAnalystComplexity(c)
	c.Stats.WithoutAdmissions = func(child int, first *int) int {
		if first != nil {
			return 1 + child*max(min(*first, statsWithout), 1)
		}
		return 1 + child*statsWithout
	}
	c.Stats.Breakdown = func(child int, _ dim.Dimension) int { return 1 + child*statsBuckets }
	c.Stats.Series = func(child int, g stats.Granularity) int { return 1 + child*seriesPoints(g) }
}

// Prices of the plain lists: each is the list's bound, from the domain (a
// plan a year, a few classes a person) or the schema (a change lists the
// fields of one record). Lists with no such bound (a class's trainees) are
// priced at the largest page, like a connection without first.
const (
	planYears       = 100 // Organization.annualPlans: one plan a year (unique organization, year)
	treeDepth       = 20  // Organization.ancestors: the tree's depth
	mergedFrom      = 50  // Organization.mergedFrom: organizations merged into one
	personClasses   = 50  // Candidate.classes, Candidate.enrollments
	disciplines     = 20  // Admission.disciplinaryActions
	recordFields    = 40  // AuditEvent.changes: the fields of one record
	userTokens      = 100 // Query.apiTokens
	importErrorsMax = MaxPage
	// orgHistory prices Organization.names, parentHistory and splitInto:
	// the renames, moves and splits of one organization in its life.
	orgHistory = 50
	// statsOutcomes is the length of Stats.outcomes: its four keys.
	statsOutcomes = 4
)

// list prices a plain list of at most n elements.
func list(n int) func(int) int { return func(child int) int { return 1 + child*n } }

// setComplexity installs the prices of every list and connection field;
// TestEveryListIsPriced fails on any list left out.
func setComplexity(c *generated.ComplexityRoot) {
	setStatsComplexity(c)
	c.Organization.AnnualPlans = list(planYears)
	c.Organization.Ancestors = list(treeDepth)
	c.Organization.MergedFrom = list(mergedFrom)
	c.Organization.Names = list(orgHistory)
	c.Organization.ParentHistory = list(orgHistory)
	c.Organization.SplitInto = list(orgHistory)
	c.Stats.Outcomes = list(statsOutcomes)
	c.Candidate.Classes = list(personClasses)
	c.Candidate.Enrollments = list(personClasses)
	c.Admission.DisciplinaryActions = list(disciplines)
	c.TrainingClass.Candidates = list(MaxPage)
	c.TrainingClass.Enrollments = list(MaxPage)
	c.AuditEvent.Changes = list(recordFields)
	c.Query.APITokens = list(userTokens)
	c.ImportReport.Errors = list(importErrorsMax)
	c.Query.AuditEvents = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.AuditEventOrder, _ *ent.AuditEventWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Nodes = func(child int, ids []int) int { return 1 + child*max(len(ids), 1) }
	c.Query.AccessLogs = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.AccessLogOrder, _ *ent.AccessLogWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Users = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.UserOrder, _ *ent.UserWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Admissions = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.AdmissionOrder, _ *ent.AdmissionWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.AnnualPlans = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.AnnualPlanOrder, _ *ent.AnnualPlanWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Candidates = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.CandidateOrder, _ *ent.CandidateWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.DisciplinaryActions = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.DisciplinaryActionOrder, _ *ent.DisciplinaryActionWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Enrollments = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.EnrollmentOrder, _ *ent.EnrollmentWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Organizations = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.OrganizationOrder, _ *ent.OrganizationWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.TrainingClasses = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.TrainingClassOrder, _ *ent.TrainingClassWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Organization.Admissions = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.AdmissionOrder, _ *ent.AdmissionWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Organization.Candidates = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.CandidateOrder, _ *ent.CandidateWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Organization.Children = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.OrganizationOrder, _ *ent.OrganizationWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Organization.TrainingClasses = func(child int, _ cursor, first *int, _ cursor, last *int, _ []*ent.TrainingClassOrder, _ *ent.TrainingClassWhereInput) int {
		return pageCost(child, first, last)
	}
}
