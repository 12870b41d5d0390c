package stats_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/stats"
)

// stmtCounter counts the SQL statements the server sends after Store,
// through gqltest's counting driver (transactions included).
type stmtCounter struct {
	c    *gqltest.Client
	base int64
}

// Store starts counting again from zero.
func (s *stmtCounter) Store(int64) { s.base = s.c.Statements() }

// Load returns the statements since the last Store.
func (s *stmtCounter) Load() int64 { return s.c.Statements() - s.base }

// countingServer serves the real handler over d and counts its statements.
func countingServer(t *testing.T, d *db.DB) (*gqltest.Client, *stmtCounter) {
	c := gqltest.Serve(t, d)
	return c, &stmtCounter{c: c}
}

// statsHead opens a dashboard query: the subtree's figures, a QUARTER
// series and three breakdowns, up to its children's selection.
const statsHead = `query($org: ID, $from: Date!, $to: Date!) {
  stats(org: $org, from: $from, to: $to) {
    organization { id code name }
    admitted target targetAttainment membersAtStart admissionRate classes trainees pipeline
    recognized notRecognized leftOrDisciplined
    series(granularity: QUARTER) { start end label admitted target }
    professionalLevel: breakdown(by: PROFESSIONAL_LEVEL) { key label count share }
    gender: breakdown(by: GENDER) { key label count share }
    ageBand: breakdown(by: AGE_BAND) { key label count share }
    children {`

// dashboardQuery is the heavier test query: each child also with its YEAR
// series, a breakdown and its organizations without admissions.
const dashboardQuery = statsHead + `
      organization { id code name kind sector }
      admitted target targetAttainment trainees recognized notRecognized leftOrDisciplined
      series(granularity: YEAR) { admitted }
      gender: breakdown(by: GENDER) { key count }
      withoutAdmissions { id }
    }
    withoutAdmissions { id code name parent { id name } }
  }
}`

// fan builds a root with n children, each with two grassroots children
// that admitted someone, and returns the root's id.
func fan(t *testing.T, c *ent.Client, n int) int {
	t.Helper()
	ctx := fixtureCtx()
	tx, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tc := tx.Client()
	org := func(code string, kind organization.Kind, parent *int) int {
		b := tc.Organization.Create().SetCode(code).SetName(code).SetKind(kind).
			SetSector(organization.SectorSTATE_AGENCY).SetFoundedOn(date(2000, 1, 1))
		if parent != nil {
			b.SetParentID(*parent)
		}
		o, err := b.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	root := org("ROOT", organization.KindBLOC, nil)
	k := 0
	for i := 0; i < n; i++ {
		child := org(fmt.Sprintf("C%02d", i), organization.KindGRASSROOTS_COMMITTEE, &root)
		for j := 0; j < 2; j++ {
			leaf := org(fmt.Sprintf("C%02d-%d", i, j), organization.KindGRASSROOTS_BRANCH, &child)
			k++
			cd, err := tc.Candidate.Create().SetFullName("A").SetGender("FEMALE").SetBirthDate(date(1995, 5, 5)).
				SetOccupation("WORKER").SetOrganizationID(leaf).SetStatus("ADMITTED").Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.Admission.Create().SetCandidateID(cd.ID).SetOrganizationID(leaf).
				SetResolutionOn(date(2020, 1, 1)).SetDecisionOn(date(2020, 2, 1)).SetDecisionNo(fmt.Sprint(k)).
				SetAdmittedOn(date(2020, 3, 1)).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := tc.AnnualPlan.Create().SetOrganizationID(child).SetYear(2020).SetAdmissionTarget(2).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestStatementsBounded proves that the dashboard's query costs the same
// number of SQL statements for 3 children as for 30.
func TestStatementsBounded(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		var counts []int64
		for _, n := range []int{3, 30} {
			d := dbtest.Open(t, dialect)
			root := fan(t, d.Client, n)
			c, count := countingServer(t, d)
			var out struct {
				Stats struct {
					Admitted int
					Children []struct{ Admitted int }
				}
			}
			count.Store(0)
			c.MustDo(dashboardQuery, map[string]any{"org": gqltest.ID(root), "from": "2020-01-01", "to": "2020-12-31"}, &out)
			if out.Stats.Admitted != 2*n || len(out.Stats.Children) != n {
				t.Fatalf("%d children: admitted %d, %d children", n, out.Stats.Admitted, len(out.Stats.Children))
			}
			counts = append(counts, count.Load())
		}
		t.Logf("statements: %v", counts)
		if counts[0] != counts[1] {
			t.Errorf("statements for 3 and 30 children: %d and %d; want the same", counts[0], counts[1])
		}
		// 20, and one a level that tells whether the tree's history
		// reaches the level (stats: group.prepare).
		if counts[1] > 22 {
			t.Errorf("%d statements; want at most 22", counts[1])
		}
	})
}

// TestBadInput checks that bad arguments are INVALID_ARGUMENT or NOT_FOUND
// errors naming the argument, and that they run no SQL (an unknown
// organization costs the one lookup that finds it missing).
func TestBadInput(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		d := dbtest.Open(t, dialect)
		root := fan(t, d.Client, 1)
		c, count := countingServer(t, d)
		// Every request first looks its bearer token up: that is the base.
		count.Store(0)
		c.MustDo(`{ __typename }`, nil, nil)
		auth := count.Load()
		const q = `query($org: ID, $from: Date!, $to: Date!, $g: Granularity!) {
			stats(org: $org, from: $from, to: $to) { series(granularity: $g) { admitted } } }`
		for _, tc := range []struct {
			name           string
			org            any
			from, to, gran string
			code, field    string
			statements     int64
		}{
			{"from after to", nil, "2020-02-01", "2020-01-31", "YEAR", "INVALID_ARGUMENT", "from", 0},
			{"over 50 years", nil, "1970-01-01", "2020-01-02", "YEAR", "INVALID_ARGUMENT", "to", 0},
			{"too many months", nil, "1990-01-15", "2040-01-15", "MONTH", "INVALID_ARGUMENT", "granularity", 0},
			{"malformed from", nil, "2020-13-01", "2020-12-31", "YEAR", "INVALID_ARGUMENT", "from", 0},
			{"malformed to", nil, "2020-01-01", "31/12/2020", "YEAR", "INVALID_ARGUMENT", "to", 0},
			{"malformed org", "abc", "2020-01-01", "2020-12-31", "YEAR", "INVALID_ARGUMENT", "org", 0},
			{"unknown org", gqltest.ID(root + 1000), "2020-01-01", "2020-12-31", "YEAR", "NOT_FOUND", "org", 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				count.Store(0)
				err := c.Do(q, map[string]any{"org": tc.org, "from": tc.from, "to": tc.to, "g": tc.gran}, nil)
				errs, ok := err.(gqltest.Errors)
				if !ok {
					t.Fatalf("got %v, want a GraphQL error", err)
				}
				if errs.Code() != tc.code || errs.Field() != tc.field {
					t.Errorf("got %s on %q (%v), want %s on %q", errs.Code(), errs.Field(), errs, tc.code, tc.field)
				}
				if got := count.Load() - auth; got > tc.statements {
					t.Errorf("%d statements run besides the token lookup, want %d", got, tc.statements)
				}
			})
		}
		// withoutAdmissions(first:) out of range.
		for _, first := range []int{-1, stats.MaxWithout + 1} {
			count.Store(0)
			err := c.Do(`query($first: Int) { stats(from: "2020-01-01", to: "2020-12-31") { withoutAdmissions(first: $first) { id } } }`,
				map[string]any{"first": first}, nil)
			errs, ok := err.(gqltest.Errors)
			if !ok || errs.Code() != "INVALID_ARGUMENT" || errs.Field() != "first" {
				t.Errorf("first %d: got %v, want INVALID_ARGUMENT on first", first, err)
			}
			if got := count.Load() - auth; got > 0 {
				t.Errorf("first %d: %d statements run besides the token lookup, want 0", first, got)
			}
		}
		// 600 months is allowed.
		var out struct {
			Stats struct{ Series []struct{ Admitted int } }
		}
		c.MustDo(q, map[string]any{"from": "1990-01-01", "to": "2039-12-31", "g": "MONTH"}, &out)
		if len(out.Stats.Series) != 600 {
			t.Errorf("got %d months, want 600", len(out.Stats.Series))
		}
	})
}

// TestInvariants checks the identities users rely on: breakdowns and series
// sum to admitted, children plus the organization's own admissions equal
// the parent, and the admissions connection restricted with inSubtree has
// as many rows as admitted.
func TestInvariants(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		generate(t, c.DB.Client, 11, smallGen)
		orgs, err := c.DB.Client.Organization.Query().IDs(fixtureCtx())
		if err != nil {
			t.Fatal(err)
		}
		const q = `query($org: ID, $from: Date!, $to: Date!) {
		  stats(org: $org, from: $from, to: $to) {
		    admitted
		    m: series(granularity: MONTH) { admitted }
		    y: series(granularity: YEAR) { admitted }
		    s: breakdown(by: SECTOR) { count share }
		    e: breakdown(by: ETHNICITY) { count share }
		    a: breakdown(by: AGE_BAND) { count share }
		    children { organization { id } admitted }
		  }
		  admissions(where: { inSubtree: $org, admittedOnGTE: $from, admittedOnLTE: $to }) { totalCount }
		}`
		const own = `query($id: ID!, $from: Date!, $to: Date!) {
		  admissions(where: { organizationID: $id, admittedOnGTE: $from, admittedOnLTE: $to }) { totalCount } }`
		type bucket struct {
			Count int
			Share float64
		}
		for i, id := range orgs {
			from, to := date(2014+i%5, time.Month(1+i%12), 1), date(2019+i%4, 12, 31)
			vars := map[string]any{"org": gqltest.ID(id), "from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}
			var out struct {
				Stats struct {
					Admitted int
					M, Y     []struct{ Admitted int }
					S, E, A  []bucket
					Children []struct {
						Organization struct{ ID string }
						Admitted     int
					}
				}
				Admissions struct{ TotalCount int }
			}
			c.MustDo(q, vars, &out)
			s := out.Stats
			if out.Admissions.TotalCount != s.Admitted {
				t.Errorf("org %d: inSubtree totalCount %d, admitted %d", id, out.Admissions.TotalCount, s.Admitted)
			}
			for name, series := range map[string][]struct{ Admitted int }{"month": s.M, "year": s.Y} {
				sum := 0
				for _, p := range series {
					sum += p.Admitted
				}
				if sum != s.Admitted {
					t.Errorf("org %d: %s series sums to %d, admitted %d", id, name, sum, s.Admitted)
				}
			}
			for name, bs := range map[string][]bucket{"sector": s.S, "ethnicity": s.E, "age": s.A} {
				sum, share := 0, 0.0
				for _, b := range bs {
					sum += b.Count
					share += b.Share
				}
				if sum != s.Admitted || (s.Admitted > 0 && math.Abs(share-1) > 1e-9) {
					t.Errorf("org %d: %s breakdown sums to %d (share %v), admitted %d", id, name, sum, share, s.Admitted)
				}
			}
			var direct struct{ Admissions struct{ TotalCount int } }
			c.MustDo(own, map[string]any{"id": gqltest.ID(id), "from": vars["from"], "to": vars["to"]}, &direct)
			sum := direct.Admissions.TotalCount
			for _, ch := range s.Children {
				sum += ch.Admitted
			}
			if sum != s.Admitted {
				t.Errorf("org %d: children plus own admissions %d, admitted %d", id, sum, s.Admitted)
			}
		}
	})
}

// TestGrandchildren checks that a drill-down two levels deep (whose groups
// select their members by nested subqueries) gives every grandchild the
// figures it has when asked for directly.
func TestGrandchildren(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		// Two levels of 100 priced children each exceed the default limit.
		c := gqltest.New(t, dialect, server.Config{ComplexityLimit: 1 << 30})
		for seed := uint64(12); seed < 16; seed++ {
			generate(t, c.DB.Client, seed, smallGen)
		}
		const fields = `organization { id } admitted recognized leftOrDisciplined trainees pipeline
			y: series(granularity: YEAR) { admitted } g: breakdown(by: GENDER) { key count } withoutAdmissionsCount`
		type figures struct {
			Organization         struct{ ID string }
			Admitted, Recognized int
			LeftOrDisciplined    int
			Trainees, Pipeline   int
			Y                    []struct{ Admitted int }
			G                    []struct {
				Key   string
				Count int
			}
			WithoutAdmissionsCount int
		}
		vars := map[string]any{"from": "2015-03-10", "to": "2022-08-20"}
		var out struct {
			Stats struct {
				Children []struct {
					Children []figures
				}
			}
		}
		c.MustDo(`query($from: Date!, $to: Date!) { stats(from: $from, to: $to) {
			children { children { `+fields+` } } } }`, vars, &out)
		n := 0
		for _, ch := range out.Stats.Children {
			for _, gc := range ch.Children {
				n++
				var direct struct{ Stats figures }
				c.MustDo(`query($org: ID, $from: Date!, $to: Date!) { stats(org: $org, from: $from, to: $to) { `+fields+` } }`,
					map[string]any{"org": gc.Organization.ID, "from": vars["from"], "to": vars["to"]}, &direct)
				if !reflect.DeepEqual(gc, direct.Stats) {
					t.Errorf("grandchild %s: %+v in the drill-down, %+v asked directly", gc.Organization.ID, gc, direct.Stats)
				}
			}
		}
		if n == 0 {
			t.Fatal("the generated forest has no grandchildren")
		}
	})
}

// TestDemoFigures reproduces the source article's headline: 1.004
// admissions against bloc targets of 540 for 2015–2019 and 120 for 2020, over
// 2015-01-01..2020-06-30, i.e. a pro rata target of 600 and 167,3%. It also
// checks the labels in both languages.
func TestDemoFigures(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		ctx := fixtureCtx()
		tx, err := c.DB.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tc := tx.Client()
		bloc := tc.Organization.Create().SetCode("BLOC").SetName("Đảng bộ Khối").SetKind("BLOC").
			SetSector("PARTY_AGENCY").SetFoundedOn(date(2000, 1, 1)).SaveX(ctx)
		unit := tc.Organization.Create().SetCode("BLOC-1").SetName("Đảng bộ cơ sở").SetKind("GRASSROOTS_COMMITTEE").
			SetSector("STATE_AGENCY").SetFoundedOn(date(2000, 1, 1)).SetParentID(bloc.ID).SaveX(ctx)
		for y, target := range map[int]int{2015: 100, 2016: 110, 2017: 110, 2018: 110, 2019: 110, 2020: 120} {
			tc.AnnualPlan.Create().SetOrganizationID(bloc.ID).SetYear(y).SetAdmissionTarget(target).ExecX(ctx)
		}
		// A unit plan under the bloc's own plan must not count twice.
		tc.AnnualPlan.Create().SetOrganizationID(unit.ID).SetYear(2016).SetAdmissionTarget(999).SetMembersAtStart(50).ExecX(ctx)
		const n = 1004
		cands := make([]*ent.CandidateCreate, n)
		for i := range cands {
			cands[i] = tc.Candidate.Create().SetFullName("X").SetGender(map[bool]candidate.Gender{true: candidate.GenderFEMALE, false: candidate.GenderMALE}[i%3 == 0]).
				SetBirthDate(date(1990, 1, 1)).SetOccupation("CIVIL_SERVANT").SetOrganizationID(unit.ID).SetStatus("ADMITTED")
		}
		cs := tc.Candidate.CreateBulk(cands...).SaveX(ctx)
		adm := make([]*ent.AdmissionCreate, n)
		for i, cd := range cs {
			on := date(2015, 1, 1).AddDate(0, 0, i*2006/n)
			adm[i] = tc.Admission.Create().SetCandidateID(cd.ID).SetOrganizationID(unit.ID).SetResolutionOn(on).
				SetDecisionOn(on).SetDecisionNo(fmt.Sprint(i)).SetAdmittedOn(on)
		}
		tc.Admission.CreateBulk(adm...).ExecX(ctx)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		const q = `query($org: ID) { stats(org: $org, from: "2015-01-01", to: "2020-06-30") {
			admitted target targetAttainment
			series(granularity: QUARTER) { label target }
			gender: breakdown(by: GENDER) { key label }
			children { organization { code } membersAtStart } } }`
		type result struct {
			Stats struct {
				Admitted         int
				Target           *int
				TargetAttainment *float64
				Series           []struct {
					Label  string
					Target *int
				}
				Gender   []struct{ Key, Label string }
				Children []struct {
					Organization   struct{ Code string }
					MembersAtStart *int
				}
			}
		}
		for _, lang := range []struct{ header, quarter, female string }{{"", "Quý I/2015", "Nữ"}, {"en", "Q1 2015", "Female"}} {
			c.Header.Set("Accept-Language", lang.header)
			var out result
			c.MustDo(q, map[string]any{"org": gqltest.ID(bloc.ID)}, &out)
			s := out.Stats
			if s.Admitted != n || s.Target == nil || *s.Target != 600 || s.TargetAttainment == nil ||
				fmt.Sprintf("%.4f", *s.TargetAttainment) != "1.6733" {
				t.Errorf("admitted %d, target %v, attainment %v; want 1004, 600, 1.6733", s.Admitted, deref(s.Target), derefF(s.TargetAttainment))
			}
			if len(s.Series) != 22 || s.Series[0].Label != lang.quarter || s.Series[0].Target == nil || *s.Series[0].Target != 25 {
				t.Errorf("series: %d points, first %+v", len(s.Series), s.Series[0])
			}
			if s.Gender[0].Key != "MALE" || s.Gender[1].Label != lang.female {
				t.Errorf("gender breakdown %+v", s.Gender)
			}
			if len(s.Children) != 1 || s.Children[0].MembersAtStart != nil {
				t.Errorf("children %+v", s.Children)
			}
		}
	})
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func derefF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestComplexity checks that the dashboard's query fits the complexity
// limit while a drill-down three levels deep with breakdowns does not.
func TestComplexity(t *testing.T) {
	c := gqltest.New(t, "sqlite")
	var out any
	c.MustDo(dashboardQuery, map[string]any{"from": "2020-01-01", "to": "2020-12-31"}, &out)
	const deep = `{ stats(from: "2020-01-01", to: "2020-12-31") { children { children { children {
		breakdown(by: GENDER) { count } } } } } }`
	if err := c.Do(deep, nil, &out); err == nil {
		t.Error("a three-level drill-down with breakdowns passed the complexity limit")
	}
}
