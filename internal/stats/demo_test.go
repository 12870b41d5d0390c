package stats_test

import (
	"math"
	"testing"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// TestDemoThroughStats checks the source article's figures on the demo
// dataset through the stats API, as the dashboard asks for them.
func TestDemoThroughStats(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			ctx := fixtureCtx()
			if _, err := seed.Demo(ctx, d, seed.Options{}); err != nil {
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

// TestStatsScope checks that statistics respect the viewer's subtree: a
// leader sees their bloc's figures, their top is their root, and an
// organization outside is refused rather than answered with zeros.
func TestStatsScope(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		ctx := fixtureCtx()
		if _, err := seed.Synthetic(ctx, c.DB, seed.ScaleS, 3, seed.Options{Append: true}); err != nil {
			t.Fatal(err)
		}
		root := c.DB.Client.Organization.Query().Where(organization.ParentIDIsNil()).FirstX(ctx)
		kids := root.QueryChildren().Order(ent.Asc(organization.FieldCode)).AllX(ctx)
		if len(kids) < 2 {
			t.Fatalf("want at least two children, got %d", len(kids))
		}
		in, out := kids[0], kids[1]
		const q = `query($org: ID) { stats(org: $org, from: "2016-01-01", to: "2025-12-31") { organization { id } admitted children { admitted } } }`
		type res struct {
			Stats struct {
				Organization *struct{ ID string }
				Admitted     int
			}
		}
		var admin res
		c.MustDo(q, map[string]any{"org": in.ID}, &admin)
		for _, role := range []viewer.Role{viewer.RoleViewer, viewer.RoleAnalyst} {
			u := c.As(t, role, in.ID)
			var mine, top res
			u.MustDo(q, map[string]any{"org": in.ID}, &mine)
			u.MustDo(q, map[string]any{"org": nil}, &top)
			if mine.Stats.Admitted != admin.Stats.Admitted || top.Stats.Admitted != admin.Stats.Admitted ||
				top.Stats.Organization == nil || top.Stats.Organization.ID != gqltest.ID(in.ID) {
				t.Errorf("%s: own %d, top %+v; admin sees %d", role, mine.Stats.Admitted, top.Stats, admin.Stats.Admitted)
			}
			for _, org := range []int{out.ID, root.ID} {
				err := u.Do(q, map[string]any{"org": org}, nil)
				if errs, ok := err.(gqltest.Errors); !ok || errs.Code() != "FORBIDDEN" {
					t.Errorf("%s asking for %d: %v, want FORBIDDEN", role, org, err)
				}
			}
		}
	})
}
