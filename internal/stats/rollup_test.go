package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"ketnap/ent"
	"ketnap/ent/annualplan"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/statrollup"
	"ketnap/ent/trainingclass"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/stats/rollup"
)

// rollupRows lists the non-zero counters of stat_rollups, sorted.
func rollupRows(t *testing.T, c *ent.Client) []string {
	t.Helper()
	rows, err := c.StatRollup.Query().Where(statrollup.NNEQ(0)).All(fixtureCtx())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d %s %d/%d %s %d", r.OrganizationID, r.Dim, r.Month, r.Span, r.Key, r.N)
	}
	sort.Strings(out)
	return out
}

// planRows lists plan_totals, sorted.
func planRows(t *testing.T, c *ent.Client) []string {
	t.Helper()
	rows, err := c.PlanTotal.Query().All(fixtureCtx())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	str := func(p *int) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d %d %s %s", r.OrganizationID, r.Year, str(r.Target), str(r.Members))
	}
	sort.Strings(out)
	return out
}

// randomWrites changes admissions, candidates, discipline, certificates,
// classes and the tree
// through ent, one transaction per write, as the API does.
func randomWrites(t *testing.T, c *ent.Client, r *rand.Rand, n int) {
	t.Helper()
	ctx := fixtureCtx()
	for i := 0; i < n; i++ {
		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tc := tx.Client()
		orgs := tc.Organization.Query().IDsX(ctx)
		adms := tc.Admission.Query().IDsX(ctx)
		cands := tc.Candidate.Query().IDsX(ctx)
		plans := tc.AnnualPlan.Query().IDsX(ctx)
		op := r.IntN(18)
		switch {
		case op >= 13 && op <= 15:
			traineeWrite(ctx, tc, r, op, orgs, cands)
		case op == 10:
			// A plan for a random organization and year, if it has none.
			org, year := pick(r, orgs...), 2015+r.IntN(8)
			if !tc.AnnualPlan.Query().Where(annualplan.OrganizationID(org), annualplan.Year(year)).ExistX(ctx) {
				b := tc.AnnualPlan.Create().SetOrganizationID(org).SetYear(year).SetAdmissionTarget(r.IntN(30))
				if r.IntN(2) == 0 {
					b.SetMembersAtStart(r.IntN(500))
				}
				b.ExecX(ctx)
			}
		case op == 11 && len(plans) > 0:
			u := tc.AnnualPlan.UpdateOneID(pick(r, plans...)).SetAdmissionTarget(r.IntN(30))
			if r.IntN(2) == 0 {
				u.ClearMembersAtStart()
			} else {
				u.SetMembersAtStart(r.IntN(500))
			}
			u.ExecX(ctx)
		case op == 12 && len(plans) > 0:
			tc.AnnualPlan.DeleteOneID(pick(r, plans...)).ExecX(ctx)
		case op == 0 && len(adms) > 0:
			id := pick(r, adms...)
			tc.DisciplinaryAction.Delete().Where(disciplinaryaction.AdmissionID(id)).ExecX(ctx)
			tc.Admission.DeleteOneID(id).ExecX(ctx)
		case op == 1 && len(adms) > 0:
			tc.Admission.UpdateOneID(pick(r, adms...)).SetStatus(pick(r, admStatuses...)).
				SetAdmittedOn(randDate(r, genStart, genEnd)).ExecX(ctx)
		case op == 2 && len(adms) > 0:
			tc.Admission.UpdateOneID(pick(r, adms...)).SetOrganizationID(pick(r, orgs...)).ExecX(ctx)
		case op == 3 && len(adms) > 0:
			tc.DisciplinaryAction.Create().SetAdmissionID(pick(r, adms...)).
				SetLevel(disciplinaryaction.LevelWARNING).SetDecidedOn(date(2020, 1, 1)).ExecX(ctx)
		case op == 4:
			u := tc.Candidate.UpdateOneID(pick(r, cands...)).SetGender(candidate.GenderFEMALE).
				SetBirthDate(randDate(r, date(1950, 1, 1), date(2003, 12, 31))).SetYouthUnionMember(r.IntN(2) == 0).
				SetStatus(pick(r, candStatuses...)).SetOrganizationID(pick(r, orgs...))
			if r.IntN(2) == 0 {
				u.ClearReligion()
			} else {
				u.SetReligion("Cao Đài")
			}
			u.ExecX(ctx)
		case op == 5:
			tc.Candidate.Create().SetFullName("Mới").SetGender(candidate.GenderMALE).SetBirthDate(date(1999, 9, 9)).
				SetOccupation(candidate.OccupationWORKER).SetOrganizationID(pick(r, orgs...)).
				SetCreatedAt(randDate(r, genStart, genEnd)).ExecX(ctx)
		case op == 6:
			tc.Organization.UpdateOneID(pick(r, orgs...)).SetSector(pick(r, sectors...)).ExecX(ctx)
		case op == 7:
			tc.DisciplinaryAction.Delete().Where(disciplinaryaction.IDIn(
				tc.DisciplinaryAction.Query().Limit(1).IDsX(ctx)...)).ExecX(ctx)
		default: // move an organization under another one, or to the top
			id := pick(r, orgs...)
			below := tc.OrganizationClosure.Query().Where(organizationclosure.OrganizationID(id)).
				Select(organizationclosure.FieldDescendantID).IntsX(ctx)
			inside := map[int]bool{}
			for _, d := range below {
				inside[d] = true
			}
			var parents []int
			for _, o := range orgs {
				if !inside[o] {
					parents = append(parents, o)
				}
			}
			u := tc.Organization.UpdateOneID(id)
			if len(parents) == 0 || r.IntN(5) == 0 {
				u.ClearParentID()
			} else {
				u.SetParentID(pick(r, parents...))
			}
			u.ExecX(ctx)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// traineeWrite changes a certificate or a class: the facts of the trainee
// counters. op 13 enrolls a candidate (often one already certified, so that
// candidates get several certificates), 14 changes or deletes an
// enrollment, 15 changes a class's kind or organizer or deletes it.
func traineeWrite(ctx context.Context, tc *ent.Client, r *rand.Rand, op int, orgs, cands []int) {
	classes := tc.TrainingClass.Query().IDsX(ctx)
	enrs := tc.Enrollment.Query().IDsX(ctx)
	switch {
	case op == 13 && len(classes) > 0:
		cand, class := pick(r, cands...), pick(r, classes...)
		if r.IntN(2) == 0 && len(enrs) > 0 {
			cand = tc.Enrollment.GetX(ctx, pick(r, enrs...)).CandidateID
		}
		if tc.Enrollment.Query().Where(enrollment.CandidateID(cand), enrollment.TrainingClassID(class)).ExistX(ctx) {
			return
		}
		tc.Enrollment.Create().SetCandidateID(cand).SetTrainingClassID(class).SetPassed(r.IntN(4) != 0).
			SetCertificateOn(randDate(r, genStart, genEnd)).ExecX(ctx)
	case op == 14 && len(enrs) > 0:
		id := pick(r, enrs...)
		switch r.IntN(3) {
		case 0:
			tc.Enrollment.DeleteOneID(id).ExecX(ctx)
		case 1:
			tc.Enrollment.UpdateOneID(id).SetPassed(r.IntN(2) == 0).SetCertificateOn(randDate(r, genStart, genEnd)).ExecX(ctx)
		default:
			tc.Enrollment.UpdateOneID(id).ClearCertificateOn().ExecX(ctx)
		}
	case op == 15 && len(classes) > 0:
		id := pick(r, classes...)
		switch r.IntN(4) {
		case 0:
			tc.TrainingClass.DeleteOneID(id).ExecX(ctx)
		case 1:
			tc.TrainingClass.UpdateOneID(id).SetKind(pick(r, trainingclass.KindAWARENESS, trainingclass.KindNEW_MEMBER)).ExecX(ctx)
		default:
			tc.TrainingClass.UpdateOneID(id).SetOrganizerID(pick(r, orgs...)).ExecX(ctx)
		}
	}
}

// TestRollupHooksMatchRebuild checks that the rollups and plan totals
// maintained by the hooks through random writes, plan changes and moves
// equal a rebuild from scratch, and
// that the statistics still match the oracle afterwards.
func TestRollupHooksMatchRebuild(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			sawCore := false
			defer func() {
				if !sawCore {
					t.Errorf("no seed had core rows at depth %d", rollup.CoreDepth)
				}
			}()
			for seed := uint64(21); seed <= 23; seed++ {
				d := dbtest.Open(t, dialect)
				generate(t, d.Client, seed, smallGen)
				randomWrites(t, d.Client, rand.New(rand.NewPCG(seed, 1)), 60)
				hooked, hookedPlans := rollupRows(t, d.Client), planRows(t, d.Client)
				if err := rollup.Rebuild(fixtureCtx(), d.Client); err != nil {
					t.Fatal(err)
				}
				rebuilt, rebuiltPlans := rollupRows(t, d.Client), planRows(t, d.Client)
				if len(hookedPlans) == 0 {
					t.Fatal("no plan totals")
				}
				if fmt.Sprint(hookedPlans) != fmt.Sprint(rebuiltPlans) {
					t.Errorf("seed %d: plan totals of hooks and rebuild differ: %d vs %d rows; first difference: %s", seed, len(hookedPlans), len(rebuiltPlans), firstDiff(hookedPlans, rebuiltPlans))
				}
				if len(hooked) == 0 {
					t.Fatal("no rollup rows")
				}
				for _, dim := range []string{rollup.DimTrained, rollup.DimRepeat} {
					if !slices.ContainsFunc(hooked, func(row string) bool { return strings.Contains(row, " "+dim+" ") }) {
						t.Errorf("seed %d: no %s rollup rows", seed, dim)
					}
				}
				// Core rows reach CoreDepth; breakdown rows stop at MaxDepth.
				depths := map[string]map[int]bool{}
				rows, err := d.SQL.QueryContext(fixtureCtx(), `SELECT DISTINCT r.dim, o.depth FROM stat_rollups r JOIN organizations o ON o.id = r.organization_id`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var dim string
					var depth int
					if err := rows.Scan(&dim, &depth); err != nil {
						t.Fatal(err)
					}
					if depths[dim] == nil {
						depths[dim] = map[int]bool{}
					}
					depths[dim][depth] = true
				}
				rows.Close()
				for dim, ds := range depths {
					for depth := range ds {
						if depth > rollup.DepthOf(dim) {
							t.Errorf("seed %d: %s rows at depth %d", seed, dim, depth)
						}
					}
				}
				sawCore = sawCore || depths[rollup.DimAdmitted][rollup.CoreDepth] && depths[rollup.DimStatus][rollup.CoreDepth]
				if fmt.Sprint(hooked) != fmt.Sprint(rebuilt) {
					t.Errorf("seed %d: hooks and rebuild differ: %d vs %d rows; first difference: %s", seed, len(hooked), len(rebuilt), firstDiff(hooked, rebuilt))
				}
				// The statistics of the moved tree still match the oracle.
				c := gqltest.Serve(t, d, server.Config{ComplexityLimit: 1 << 30})
				w := loadWorld(t, d.Client)
				for _, root := range []int{0, w.children[0][0].ID} {
					vars := map[string]any{"from": "2015-03-10", "to": "2021-11-20"}
					if root != 0 {
						vars["org"] = itoa(root)
					}
					// The writes' moves take effect today, after every fact:
					// CURRENT counts by today's tree, AS_OF by the tree before.
					for _, view := range []string{"AS_OF", "CURRENT"} {
						vars["tree"] = view
						w.view = view
						var got struct{ Stats any }
						c.MustDo(propertyQuery, vars, &got)
						var diffs []string
						diff("stats", dropLabels(got.Stats), toMap(t, w.oracle(root, date(2015, 3, 10), date(2021, 11, 20), 1)), &diffs)
						if len(diffs) > 0 {
							t.Errorf("%s, seed %d, org %d after writes:\n%s", view, seed, root, strings.Join(diffs, "\n"))
						}
					}
				}
			}
		})
	}
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("%q vs %q", a[i], b[i])
		}
	}
	return "length"
}
