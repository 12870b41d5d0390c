package graph_test

import (
	"strings"
	"sync"
	"testing"

	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/stats/rollup"
)

// concurrently sends the same mutation n times at once and returns each
// request's error.
func concurrently(c *gqltest.Client, n int, q string, vars map[string]any) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Do(q, vars, nil)
		}()
	}
	wg.Wait()
	return errs
}

// exactlyOne checks that one request of errs succeeded and that every other
// one failed with the code a sequential second attempt gets.
func exactlyOne(t *testing.T, errs []error, code string) {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if e, isGQL := err.(gqltest.Errors); !isGQL || e.Code() != code {
			t.Errorf("a losing request failed with %v, want %s", err, code)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent identical transitions succeeded, want 1", ok, len(errs))
	}
}

// noDrift checks that the rollups equal a rebuild from the records.
func noDrift(t *testing.T, c *gqltest.Client) {
	t.Helper()
	diffs, err := rollup.Verify(viewer.SystemContext(t.Context()), c.DB.Client)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range diffs {
		if i == 10 {
			t.Errorf("… %d differences in all", len(diffs))
			break
		}
		t.Errorf("rollups differ from a rebuild: %s", d)
	}
}

// secondAttemptCode runs q once more, sequentially, and returns its code.
func secondAttemptCode(t *testing.T, c *gqltest.Client, q string, vars map[string]any) string {
	t.Helper()
	err := c.Do(q, vars, nil)
	e, ok := err.(gqltest.Errors)
	if !ok {
		t.Fatalf("a sequential second attempt: %v, want a coded error", err)
	}
	return e.Code()
}

// Ten simultaneous recordLeaving calls on one admission: one succeeds, the
// branch shows 1 admitted and 1 "left or disciplined", and the rollups
// equal a rebuild.
func TestConcurrentLeaving(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		adm := f.admit(admitInput(f.candidate("1990-01-01", "2019-06-01")))
		const q = `mutation($a: ID!) { recordLeaving(admissionID: $a, on: "2020-09-01", reason: ALLOWED_TO_LEAVE) { id } }`
		vars := map[string]any{"a": adm}
		errs := concurrently(f.c, 10, q, vars)
		exactlyOne(t, errs, secondAttemptCode(t, f.c, q, vars))
		var out struct {
			Stats struct{ Admitted, LeftOrDisciplined int }
		}
		f.c.MustDo(`query($o: ID!) { stats(org: $o, from: "2020-01-01", to: "2020-12-31") { admitted leftOrDisciplined } }`,
			map[string]any{"o": f.org}, &out)
		if out.Stats.Admitted != 1 || out.Stats.LeftOrDisciplined != 1 {
			t.Errorf("after ten concurrent leavings: %+v, want 1 admitted, 1 left", out.Stats)
		}
		noDrift(t, f.c)
	})
}

// Ten simultaneous moves of one candidate to another organization: the
// destination's pipeline grows by exactly one, the origin's falls by one.
func TestConcurrentMoves(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		dest := f.id(`mutation { createOrganization(input: {code: "CB2", name: "Chi bộ 2", kind: GRASSROOTS_BRANCH, sector: STATE_AGENCY, foundedOn: "2000-01-01"}) { id } }`, nil, "createOrganization")
		cand := f.candidate("1990-01-01", "")
		var errs []error
		for _, err := range concurrently(f.c, 10, `mutation($c: ID!, $o: ID!) { updateCandidate(id: $c, input: {organizationID: $o}) { id } }`,
			map[string]any{"c": cand, "o": dest}) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			// Moving to where the candidate already is changes nothing and
			// is no error; a failure here is a lost write.
			t.Errorf("concurrent moves failed: %v", errs)
		}
		pipeline := func(org string) int {
			var out struct{ Stats struct{ Pipeline int } }
			f.c.MustDo(`query($o: ID!) { stats(org: $o, from: "2020-01-01", to: "2030-12-31") { pipeline } }`, map[string]any{"o": org}, &out)
			return out.Stats.Pipeline
		}
		if got := [2]int{pipeline(f.org), pipeline(dest)}; got != [2]int{0, 1} {
			t.Errorf("pipeline (origin, destination) = %v, want [0 1]", got)
		}
		noDrift(t, f.c)
	})
}

// Verify finds a drift written behind the hooks' back, and a rebuild
// mends it.
func TestVerifyFindsDrift(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		f.admit(admitInput(f.candidate("1990-01-01", "2019-06-01")))
		noDrift(t, f.c)
		ctx := viewer.SystemContext(t.Context())
		if _, err := f.c.DB.SQL.ExecContext(ctx, `UPDATE stat_rollups SET n = n + 1 WHERE dim = 'ADMITTED'`); err != nil {
			t.Fatal(err)
		}
		diffs, err := rollup.Verify(ctx, f.c.DB.Client)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) == 0 {
			t.Fatal("Verify found no difference after a drift")
		}
		if s := diffs[0].String(); !strings.Contains(s, "dim=ADMITTED") {
			t.Errorf("first difference %q does not name the drifted dimension", s)
		}
		if err := rollup.Rebuild(ctx, f.c.DB.Client); err != nil {
			t.Fatal(err)
		}
		noDrift(t, f.c)
	})
}
