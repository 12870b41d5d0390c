package seed_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// TestSyntheticDeterministic loads scale S twice on SQLite and once on
// PostgreSQL: the checksums must agree, and the rows must make sense.
func TestSyntheticDeterministic(t *testing.T) {
	ctx := viewer.SystemContext(context.Background())
	sums := map[string]string{}
	for _, run := range []string{"sqlite", "sqlite", "postgres"} {
		d := dbtest.Open(t, run)
		res, err := seed.Synthetic(ctx, d, seed.ScaleS, 7, seed.Options{})
		if err != nil {
			t.Fatalf("%s: %v", run, err)
		}
		if prev, ok := sums[run]; ok && prev != res.Checksum {
			t.Errorf("%s: checksums of two runs differ: %s, %s", run, prev, res.Checksum)
		}
		sums[run] = res.Checksum
		t.Run(run+"/sanity", func(t *testing.T) { checkSanity(t, d, res) })
	}
	if sums["sqlite"] != sums["postgres"] {
		t.Errorf("checksums differ across databases: sqlite %s, postgres %s", sums["sqlite"], sums["postgres"])
	}
	d := dbtest.Open(t, "sqlite")
	res, err := seed.Synthetic(ctx, d, seed.ScaleS, 8, seed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checksum == sums["sqlite"] {
		t.Error("another seed gave the same checksum")
	}
}

// checkSanity checks what every synthetic dataset must satisfy.
func checkSanity(t *testing.T, d *db.DB, res *seed.Result) {
	ctx := viewer.SystemContext(context.Background())
	c := d.Client
	orgs := c.Organization.Query().AllX(ctx)
	if n := len(orgs); n < 120 || n > 200 {
		t.Errorf("organizations: %d, want about 150", n)
	}
	if n := res.Rows["admissions"]; n < 850 || n > 1150 {
		t.Errorf("admissions: %d, want about 1.000", n)
	}
	// The closure table and depths are what the tree implies.
	parent := map[int]*int{}
	depth := map[int]int{}
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
		depth[o.ID] = o.Depth
	}
	want := map[[2]int]int{}
	for id := range parent {
		dist := 0
		for cur := &id; cur != nil; cur = parent[*cur] {
			want[[2]int{*cur, id}] = dist
			dist++
		}
		if depth[id] != dist-1 {
			t.Errorf("organization %d: depth %d, want %d", id, depth[id], dist-1)
		}
	}
	links := c.OrganizationClosure.Query().AllX(ctx)
	if len(links) != len(want) {
		t.Errorf("closure rows: %d, want %d", len(links), len(want))
	}
	for _, l := range links {
		if dist, ok := want[[2]int{l.OrganizationID, l.DescendantID}]; !ok || dist != l.Depth {
			t.Errorf("closure row %d>%d@%d is wrong", l.OrganizationID, l.DescendantID, l.Depth)
		}
	}
	// Admissions: admitted people, ordered dates, certificates before.
	adms := c.Admission.Query().WithCandidate(func(q *ent.CandidateQuery) { q.WithEnrollments() }).AllX(ctx)
	asOf := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, a := range adms {
		p := a.Edges.Candidate
		switch {
		case p.Status.String() != "ADMITTED":
			t.Errorf("admission %d: candidate status %s", a.ID, p.Status)
		case a.ResolutionOn.After(a.DecisionOn) || a.DecisionOn.After(a.AdmittedOn) || a.AdmittedOn.After(asOf):
			t.Errorf("admission %d: dates out of order", a.ID)
		case !a.ProbationEndsOn.Equal(a.AdmittedOn.AddDate(1, 0, 0)):
			t.Errorf("admission %d: probation ends %v", a.ID, a.ProbationEndsOn)
		case a.Status == admission.StatusFULL && (a.RecognizedOn == nil || !a.RecognizedOn.Equal(a.ProbationEndsOn)):
			t.Errorf("admission %d: full member without recognition at probation end", a.ID)
		case a.Status == admission.StatusPROBATIONARY && !a.ProbationEndsOn.After(asOf):
			t.Errorf("admission %d: still probationary after probation", a.ID)
		}
		age := a.ResolutionOn.Year() - p.BirthDate.Year()
		if p.BirthDate.AddDate(age, 0, 0).After(a.ResolutionOn) {
			age--
		}
		if age < 18 || age > 60 {
			t.Errorf("admission %d: age %d at resolution", a.ID, age)
		}
		certified := false
		for _, e := range p.Edges.Enrollments {
			if e.Passed && e.CertificateOn != nil && e.CertificateOn.Before(a.ResolutionOn) && !e.CertificateOn.Before(a.ResolutionOn.AddDate(-5, 0, 0)) {
				certified = true
			}
		}
		if !certified {
			t.Errorf("admission %d: no valid certificate before the resolution", a.ID)
		}
	}
	for _, st := range []candidate.Status{candidate.StatusSOURCE, candidate.StatusTRAINED, candidate.StatusAPPLIED} {
		if c.Candidate.Query().Where(candidate.StatusEQ(st)).CountX(ctx) == 0 {
			t.Errorf("no candidates in the pipeline with status %s", st)
		}
	}
	// Sequences were moved: ent can add an organization under the root.
	tx, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root := c.Organization.Query().Where(organization.DepthEQ(0)).OnlyX(ctx)
	if _, err := tx.Organization.Create().SetCode("NEW-1").SetName("Chi bộ mới").SetKind(organization.KindBRANCH).
		SetSector(organization.SectorOTHER).SetFoundedOn(asOf).SetParentID(root.ID).Save(ctx); err != nil {
		t.Errorf("creating an organization after the load: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
}

// TestSyntheticRefusesNonEmpty checks --append and --reset behaviour.
func TestSyntheticRefusesNonEmpty(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := viewer.SystemContext(context.Background())
			d := dbtest.Open(t, dialect)
			first, err := seed.Synthetic(ctx, d, seed.ScaleS, 1, seed.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := seed.Synthetic(ctx, d, seed.ScaleS, 1, seed.Options{}); !errors.Is(err, seed.ErrNotEmpty) {
				t.Fatalf("second load without --append: got %v, want ErrNotEmpty", err)
			}
			if _, err := seed.Synthetic(ctx, d, seed.ScaleS, 1, seed.Options{Append: true}); err != nil {
				t.Fatalf("--append: %v", err)
			}
			if n := d.Client.Admission.Query().CountX(ctx); int64(n) != 2*first.Rows["admissions"] {
				t.Errorf("after --append: %d admissions, want %d", n, 2*first.Rows["admissions"])
			}
			if err := seed.Reset(ctx, d); err != nil {
				t.Fatal(err)
			}
			empty, err := seed.IsEmpty(ctx, d)
			if err != nil || !empty {
				t.Fatalf("after reset: empty %v, %v", empty, err)
			}
			again, err := seed.Synthetic(ctx, d, seed.ScaleS, 1, seed.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if again.Checksum != first.Checksum {
				t.Errorf("after reset the same seed gave another checksum: %s, %s", again.Checksum, first.Checksum)
			}
		})
	}
}
