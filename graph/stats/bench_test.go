package stats_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/db"
	"ketnap/ent/db/dbtest"
	"ketnap/ent/organization"
	"ketnap/ent/rollup"
	"ketnap/ent/trainingclass"
	"ketnap/graph/gqltest"
	"ketnap/graph/stats"
)

// mScale sizes a dataset like the seed command's M scale: about 3,000
// organizations and 50,000 admissions over 10 years.
type mScale struct {
	provinces, committees, branches int
	admissions, pipeline, classes   int
}

var benchM = mScale{provinces: 30, committees: 10, branches: 9, admissions: 50000, pipeline: 10000, classes: 1000}

// benchTree is what the benchmark asks about.
type benchTree struct {
	root, province, grassroots int
}

// seedM fills d with an M-like dataset. Organizations go through the
// hooks (closure table); the bulk rows go through CreateBulk without the
// rollup hooks, and the rollups are rebuilt at the end, as the seed
// command does.
func seedM(tb testing.TB, d *db.DB, sc mScale) benchTree {
	tb.Helper()
	ctx := rollup.WithoutHooks(fixtureCtx())
	r := rand.New(rand.NewPCG(42, 42))
	tx, err := d.Client.Tx(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	c := tx.Client()
	mk := func(code string, kind organization.Kind, parent int) int {
		b := c.Organization.Create().SetCode(code).SetName("Tổ chức " + code).SetKind(kind).
			SetSector(pick(r, sectors...)).SetFoundedOn(date(2000, 1, 1))
		if parent != 0 {
			b.SetParentID(parent)
		}
		return b.SaveX(ctx).ID
	}
	var t benchTree
	t.root = mk("VN", organization.KindBLOC, 0)
	var units, leaves []int
	for p := 0; p < sc.provinces; p++ {
		prov := mk(fmt.Sprintf("P%02d", p), organization.KindBLOC, t.root)
		if t.province == 0 {
			t.province = prov
		}
		for g := 0; g < sc.committees; g++ {
			unit := mk(fmt.Sprintf("P%02d-%02d", p, g), organization.KindGRASSROOTS_COMMITTEE, prov)
			if t.grassroots == 0 {
				t.grassroots = unit
			}
			units = append(units, unit)
			for b := 0; b < sc.branches; b++ {
				leaves = append(leaves, mk(fmt.Sprintf("P%02d-%02d-%d", p, g, b), organization.KindBRANCH, unit))
			}
			var plans []*ent.AnnualPlanCreate
			for y := 2016; y <= 2025; y++ {
				plans = append(plans, c.AnnualPlan.Create().SetOrganizationID(unit).SetYear(y).
					SetAdmissionTarget(10+r.IntN(10)).SetMembersAtStart(100+r.IntN(100)))
			}
			c.AnnualPlan.CreateBulk(plans...).ExecX(ctx)
		}
	}
	start, end := date(2016, 1, 1), date(2025, 12, 31)
	const batch = 1000
	total := sc.admissions + sc.pipeline
	for i := 0; i < total; i += batch {
		n := min(batch, total-i)
		cands := make([]*ent.CandidateCreate, n)
		orgs := make([]int, n)
		for k := range cands {
			orgs[k] = pick(r, leaves...)
			st := candidate.StatusADMITTED
			if i+k >= sc.admissions {
				st = pick(r, candStatuses...)
			}
			cands[k] = c.Candidate.Create().SetFullName("X").
				SetGender(pick(r, candidate.GenderMALE, candidate.GenderFEMALE)).
				SetBirthDate(randDate(r, date(1965, 1, 1), date(2005, 12, 31))).
				SetEthnicity(pick(r, "Kinh", "Kinh", "Kinh", "Khmer", "Hoa", "Tày", "Thái", "Mường")).
				SetGeneralEducation(pick(r, educations...)).SetProfessionalLevel(pick(r, levels...)).
				SetPoliticalTheoryLevel(pick(r, theories...)).SetOccupation(pick(r, occupations...)).
				SetYouthUnionMember(r.IntN(2) == 0).SetOrganizationID(orgs[k]).SetStatus(st).
				SetCreatedAt(randDate(r, start, end))
		}
		saved := c.Candidate.CreateBulk(cands...).SaveX(ctx)
		var adm []*ent.AdmissionCreate
		for k, cd := range saved {
			if i+k >= sc.admissions {
				continue
			}
			on := randDate(r, start, end)
			adm = append(adm, c.Admission.Create().SetCandidateID(cd.ID).SetOrganizationID(orgs[k]).
				SetResolutionOn(on).SetDecisionOn(on).SetDecisionNo(fmt.Sprint(i+k)).SetAdmittedOn(on).
				SetStatus(pick(r, admStatuses...)))
		}
		if len(adm) > 0 {
			c.Admission.CreateBulk(adm...).ExecX(ctx)
		}
	}
	for i := 0; i < sc.classes; i += batch {
		n := min(batch, sc.classes-i)
		cls := make([]*ent.TrainingClassCreate, n)
		for k := range cls {
			on := randDate(r, start, end)
			cls[k] = c.TrainingClass.Create().SetName("Lớp").SetKind(trainingclass.KindAWARENESS).
				SetOrganizerID(pick(r, units...)).SetStartsOn(on).SetEndsOn(on.AddDate(0, 0, 5))
		}
		c.TrainingClass.CreateBulk(cls...).ExecX(ctx)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if err := stats.Rebuild(ctx, d); err != nil {
		tb.Fatal(err)
	}
	// Fresh statistics for the planners, as after any bulk load.
	if _, err := d.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	return t
}

// BenchmarkDashboard times the dashboard's full query (stats, children, a
// QUARTER series, three breakdowns, organizations without admissions) over
// HTTP on an M-like dataset, for the national root, a province and a
// grassroots committee, and reports p50 and p95 in milliseconds. With
// KETNAP_BENCH_DSN it runs against that database instead (seeded with
// `ketnap seed synthetic --scale L`), for its root and first province.
func BenchmarkDashboard(b *testing.B) {
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			t0 := time.Now()
			tree := seedM(b, d, benchM)
			b.Logf("seeded M on %s in %v", dialect, time.Since(t0).Round(time.Millisecond))
			benchTargets(b, gqltest.Serve(b, d), tree)
		})
	}
	if dsn := os.Getenv("KETNAP_BENCH_DSN"); dsn != "" {
		b.Run("L", func(b *testing.B) {
			d, err := db.Open(fixtureCtx(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			ctx := fixtureCtx()
			root := d.Client.Organization.Query().Where(organization.ParentIDIsNil()).FirstIDX(ctx)
			prov := d.Client.Organization.Query().Where(organization.ParentID(root)).FirstIDX(ctx)
			benchTargets(b, gqltest.Serve(b, d), benchTree{root: root, province: prov})
		})
	}
}

func benchTargets(b *testing.B, c *gqltest.Client, tree benchTree) {
	for _, target := range []struct {
		name string
		id   int
	}{{"national", tree.root}, {"province", tree.province}, {"grassroots", tree.grassroots}} {
		if target.id == 0 {
			continue
		}
		for _, p := range []struct{ name, from, to string }{{"10y", "2016-01-01", "2025-12-31"}, {"1y", "2024-01-01", "2024-12-31"}} {
			b.Run(target.name+"/"+p.name, func(b *testing.B) {
				vars := map[string]any{"org": gqltest.ID(target.id), "from": p.from, "to": p.to}
				var out any
				c.MustDo(dashboardQuery, vars, &out) // warm up
				times := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					c.MustDo(dashboardQuery, vars, &out)
					times = append(times, time.Since(t0))
				}
				b.StopTimer()
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				ms := func(q float64) float64 {
					return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(ms(0.5), "p50-ms")
				b.ReportMetric(ms(0.95), "p95-ms")
			})
		}
	}
}
