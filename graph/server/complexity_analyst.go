package server

import (
	"time"

	"ketnap/graph/generated"
	"ketnap/internal/stats"
	"ketnap/internal/stats/dim"
)

// keyedPoints is the length KeyedSeries.points is priced at (a QUARTER
// series of 10 years); Stats.seriesBy scales its price by its granularity.
const keyedPoints = 40

// setAnalystComplexity prices the analysts' fields of Stats and
// Organization.stats (issue 15, items 11-14).
func setAnalystComplexity(c *generated.ComplexityRoot) {
	c.Organization.Stats = func(child int, _, _ time.Time, _ *stats.TreeView, _ []*stats.Filter) int { return 1 + child }
	c.Stats.Admissions = func(child int, first *int, _ cursor, _ *stats.Filter) int { return pageCost(child, first, nil) }
	c.Stats.PipelineCandidates = func(child int, first *int, _ cursor) int { return pageCost(child, first, nil) }
	c.Stats.CertifiedTrainees = func(child int, first *int, _ cursor) int { return pageCost(child, first, nil) }
	c.Stats.OrganizationsWithoutAdmissions = func(child int, first *int, _ cursor) int { return pageCost(child, first, nil) }
	c.Stats.SeriesBy = func(child int, g stats.Granularity, _ dim.Dimension) int {
		return 1 + max(child*statsBuckets*seriesPoints(g)/keyedPoints, 1)
	}
	c.KeyedSeries.Points = list(keyedPoints)
}
