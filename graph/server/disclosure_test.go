package server_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
)

// TestSmallCells checks issue 12, item 2 through the API: over random
// (organization, period) pairs, no VIEWER breakdown of a sensitive
// dimension names a value counting fewer than 3 people, the buckets sum to
// admitted, and an ANALYST of the same scope sees the exact cells.
func TestSmallCells(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		vw := c.As(t, viewer.RoleViewer, f.root)
		an := c.As(t, viewer.RoleAnalyst, f.root)
		type bucket struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		}
		var out struct {
			Stats struct {
				Admitted  int      `json:"admitted"`
				Ethnicity []bucket `json:"ethnicity"`
				Religion  []bucket `json:"religion"`
				Youth     []bucket `json:"youth"`
			} `json:"stats"`
		}
		q := `query($org: ID, $from: Date!, $to: Date!) { stats(org: $org, from: $from, to: $to) { admitted
			ethnicity: breakdown(by: ETHNICITY) { key count } religion: breakdown(by: RELIGION) { key count }
			youth: breakdown(by: YOUTH_UNION) { key count } } }`
		r := rand.New(rand.NewPCG(7, 12))
		orgs := []int{f.root, f.a, f.a1, f.b}
		sawExact := false
		for i := range 30 {
			org := orgs[r.IntN(len(orgs))]
			from := fmt.Sprintf("%d-%02d-01", 2022+r.IntN(3), 1+r.IntN(12))
			to := fmt.Sprintf("%d-12-31", 2024+r.IntN(2))
			vars := map[string]any{"org": org, "from": from, "to": to}
			if err := vw.Do(q, vars, &out); err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			for name, bs := range map[string][]bucket{"ETHNICITY": out.Stats.Ethnicity, "RELIGION": out.Stats.Religion, "YOUTH_UNION": out.Stats.Youth} {
				sum := 0
				for _, b := range bs {
					sum += b.Count
					if b.Key != "SUPPRESSED" && b.Count > 0 && b.Count < 3 {
						t.Fatalf("case %d: a VIEWER sees %s %q = %d", i, name, b.Key, b.Count)
					}
				}
				if sum != out.Stats.Admitted {
					t.Fatalf("case %d: %s sums to %d, admitted %d", i, name, sum, out.Stats.Admitted)
				}
			}
			_, raw := vw.Post(mustJSON(t, map[string]any{"query": q, "variables": vars}))
			if strings.Contains(string(raw), ethnicB) || strings.Contains(string(raw), faithB) {
				t.Fatalf("case %d: a VIEWER's answer names a single person's value: %s", i, raw)
			}
			if err := an.Do(q, vars, &out); err != nil {
				t.Fatal(err)
			}
			for _, b := range out.Stats.Ethnicity {
				if b.Key == ethnicB && b.Count == 1 {
					sawExact = true
				}
			}
		}
		if !sawExact {
			t.Error("the ANALYST never saw the exact cell of B's Khmer admission")
		}
	})
}
