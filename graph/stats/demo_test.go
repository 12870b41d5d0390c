package stats_test

import (
	"context"
	"math"
	"testing"

	"ketnap/ent/db/dbtest"
	"ketnap/ent/seed"
	"ketnap/graph/gqltest"
	"ketnap/graph/stats"
)

// TestDemoThroughStats checks the source article's figures on the demo
// dataset through the stats API, as the dashboard asks for them.
func TestDemoThroughStats(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			ctx := fixtureCtx()
			if _, err := seed.Demo(ctx, d, seed.Options{AfterLoad: func(ctx context.Context) error { return stats.Rebuild(ctx, d) }}); err != nil {
				t.Fatalf("seeding the demo: %v", err)
			}
			c := gqltest.Serve(t, d)
			var out struct {
				Stats struct {
					Organization     struct{ Code string }
					Admitted         int
					Target           *int
					TargetAttainment *float64
					Classes          int
					Trainees         int
					Levels           []struct {
						Key   string
						Count int
						Share float64
					}
					Series []struct {
						Label    string
						Admitted int
					}
					Children []struct{ Admitted int }
				}
			}
			c.MustDo(`query { stats(from: "2015-01-01", to: "2020-06-30") {
				organization { code } admitted target targetAttainment classes trainees
				levels: breakdown(by: PROFESSIONAL_LEVEL) { key count share }
				series(granularity: QUARTER) { label admitted }
				children { admitted } } }`, nil, &out)
			s := out.Stats
			if s.Admitted != 1004 {
				t.Errorf("admitted = %d, want 1004", s.Admitted)
			}
			if s.TargetAttainment == nil || *s.TargetAttainment < 1.67 || *s.TargetAttainment >= 1.68 {
				t.Errorf("attainment = %v (target %v), want just above 167%%", s.TargetAttainment, s.Target)
			}
			// The article's training figures cover its five years, from 01/07/2015.
			var five struct {
				Stats struct{ Classes, Trainees int }
			}
			c.MustDo(`{ stats(from: "2015-07-01", to: "2020-06-30") { classes trainees } }`, nil, &five)
			if five.Stats.Classes != 12 || five.Stats.Trainees != 963 {
				t.Errorf("classes, trainees = %d, %d; want 12, 963", five.Stats.Classes, five.Stats.Trainees)
			}
			levels := map[string]int{}
			for _, b := range s.Levels {
				levels[b.Key] = b.Count
			}
			if got := levels["COLLEGE"] + levels["UNIVERSITY"]; got != 880 {
				t.Errorf("college + university = %d, want 880", got)
			}
			if levels["MASTER"] != 53 {
				t.Errorf("masters = %d, want 53", levels["MASTER"])
			}
			for _, b := range s.Levels {
				if b.Key == "MASTER" && math.Abs(b.Share-53.0/1004) > 1e-9 {
					t.Errorf("master share = %v", b.Share)
				}
			}
			var empty []string
			for _, p := range s.Series {
				if p.Admitted == 0 {
					empty = append(empty, p.Label)
				}
			}
			if len(s.Series) != 22 || len(empty) < 2 {
				t.Errorf("quarters: %d buckets, empty %v; want 22 with at least two empty", len(s.Series), empty)
			}
			for _, q := range empty {
				if q[:len("Quý I/")] != "Quý I/" {
					t.Errorf("empty quarter %s is not a first quarter", q)
				}
			}
			sum := 0
			for _, ch := range s.Children {
				sum += ch.Admitted
			}
			if sum > s.Admitted || len(s.Children) == 0 {
				t.Errorf("children: %d rows summing to %d, admitted %d", len(s.Children), sum, s.Admitted)
			}
		})
	}
}
