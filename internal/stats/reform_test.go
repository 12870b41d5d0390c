package stats_test

import (
	"testing"

	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// TestReformReplay replays the 2025 restructuring on the demo (the new
// committee in early 2025, the merge of the Bạc Liêu bloc into it on
// 2025-07-01) and checks that the figures once reported never change: the
// bloc keeps its 1.004 admissions and 167% of target for 2015–2020 in the
// AS_OF view, the new committee has none then in AS_OF and all of them in
// CURRENT, and the national total is the same in both views.
func TestReformReplay(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			ctx := fixtureCtx()
			if _, err := seed.Demo(ctx, d, seed.Options{}); err != nil {
				t.Fatalf("seeding the demo: %v", err)
			}
			committee, err := seed.DemoReform(ctx, d.Client)
			if err != nil {
				t.Fatal(err)
			}
			bloc := d.Client.Organization.Query().Where(organization.Code(seed.DemoBlocCode)).OnlyX(ctx)
			if bloc.DissolvedOn == nil || bloc.MergedIntoID == nil || *bloc.MergedIntoID != committee.ID {
				t.Fatalf("bloc after the merge: %+v", bloc)
			}
			c := gqltest.Serve(t, d)
			type figures struct {
				Admitted         int
				TargetAttainment *float64
				Trainees         int
				Classes          int
				Outcomes         []struct{ Count int }
				Levels           []struct {
					Key   string
					Count int
				}
				Children []struct{ Admitted int }
			}
			var out struct {
				BlocAsOf, BlocCurrent, NewAsOf, NewCurrent, AllAsOf, AllCurrent, Five figures
			}
			const f = `{ admitted targetAttainment trainees classes outcomes { count }
				levels: breakdown(by: PROFESSIONAL_LEVEL) { key count } children { admitted } }`
			c.MustDo(`query($b: ID!, $n: ID!) {
				blocAsOf: stats(org: $b, from: "2015-01-01", to: "2020-06-30") `+f+`
				blocCurrent: stats(org: $b, from: "2015-01-01", to: "2020-06-30", tree: CURRENT) `+f+`
				newAsOf: stats(org: $n, from: "2015-01-01", to: "2020-06-30", tree: AS_OF) `+f+`
				newCurrent: stats(org: $n, from: "2015-01-01", to: "2020-06-30", tree: CURRENT) `+f+`
				allAsOf: stats(from: "2015-01-01", to: "2020-06-30") `+f+`
				allCurrent: stats(from: "2015-01-01", to: "2020-06-30", tree: CURRENT) `+f+`
				five: stats(org: $b, from: "2015-07-01", to: "2020-06-30") `+f+`
			}`, map[string]any{"b": itoa(bloc.ID), "n": itoa(committee.ID)}, &out)
			att := func(name string, x figures) {
				if x.TargetAttainment == nil || *x.TargetAttainment < 1.67 || *x.TargetAttainment >= 1.68 {
					t.Errorf("%s: attainment %v, want 167,3%%", name, x.TargetAttainment)
				}
			}
			if out.BlocAsOf.Admitted != 1004 {
				t.Errorf("bloc AS_OF: admitted %d, want 1004", out.BlocAsOf.Admitted)
			}
			att("bloc AS_OF", out.BlocAsOf)
			levels := map[string]int{}
			for _, l := range out.BlocAsOf.Levels {
				levels[l.Key] = l.Count
			}
			if levels["COLLEGE"]+levels["UNIVERSITY"] != 880 || levels["MASTER"] != 53 {
				t.Errorf("bloc AS_OF: levels %v, want 880 college or university and 53 masters", levels)
			}
			if out.Five.Classes != 12 || out.Five.Trainees != 963 {
				t.Errorf("bloc AS_OF 01/07/2015–30/06/2020: %d classes, %d trainees, want 12 and 963", out.Five.Classes, out.Five.Trainees)
			}
			if len(out.BlocAsOf.Children) != 39 {
				t.Errorf("bloc AS_OF: %d children, want the 39 of the period", len(out.BlocAsOf.Children))
			}
			if out.NewAsOf.Admitted != 0 || out.NewAsOf.TargetAttainment != nil {
				t.Errorf("new committee AS_OF: %d admitted, attainment %v; want 0 and none", out.NewAsOf.Admitted, out.NewAsOf.TargetAttainment)
			}
			if out.NewCurrent.Admitted != 1004 {
				t.Errorf("new committee CURRENT: admitted %d, want 1004", out.NewCurrent.Admitted)
			}
			att("new committee CURRENT", out.NewCurrent)
			if out.AllAsOf.Admitted != out.AllCurrent.Admitted || out.AllAsOf.Admitted < 1004 {
				t.Errorf("national total: AS_OF %d, CURRENT %d; want equal", out.AllAsOf.Admitted, out.AllCurrent.Admitted)
			}
			for name, x := range map[string]figures{"bloc AS_OF": out.BlocAsOf, "new CURRENT": out.NewCurrent, "all": out.AllAsOf} {
				sum := 0
				for _, o := range x.Outcomes {
					sum += o.Count
				}
				if sum != x.Admitted {
					t.Errorf("%s: outcomes sum to %d, admitted %d", name, sum, x.Admitted)
				}
			}
		})
	}
}
