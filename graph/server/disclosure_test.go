package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"ketnap/ent/candidate"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/workflow"
)

// TestSmallCells checks issue 12, item 2 through the API: over random
// (organization, period) pairs, no VIEWER breakdown of a sensitive
// dimension names a value counting fewer than 3 people, the buckets sum to
// admitted, and an ANALYST of the same scope sees the exact cells.
func TestSmallCells(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		moreAdmissions(t, c, f)
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
		orgs := []int{f.root, f.a, f.a1, f.b, f.leaf["admin"], f.leaf["analyst"]}
		sawExact := false
		sawMerged, sawPartial := 0, 0
		for i := range 60 {
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
			viewed := out.Stats
			_, raw := vw.Post(mustJSON(t, map[string]any{"query": q, "variables": vars}))
			if strings.Contains(string(raw), ethnicB) || strings.Contains(string(raw), faithB) {
				t.Fatalf("case %d: a VIEWER's answer names a single person's value: %s", i, raw)
			}
			// Fresh slices: decoding into the old ones would overwrite viewed.
			out.Stats.Ethnicity, out.Stats.Religion, out.Stats.Youth = nil, nil, nil
			if err := an.Do(q, vars, &out); err != nil {
				t.Fatal(err)
			}
			for _, b := range out.Stats.Ethnicity {
				if b.Key == ethnicB && b.Count == 1 {
					sawExact = true
				}
			}
			// Against the exact cells: each named value the VIEWER sees is
			// exact, and the merged bucket hides at least two values (or
			// all there are), so none follows by subtraction.
			for name, pair := range map[string][2][]bucket{"ETHNICITY": {viewed.Ethnicity, out.Stats.Ethnicity},
				"RELIGION": {viewed.Religion, out.Stats.Religion}, "YOUTH_UNION": {viewed.Youth, out.Stats.Youth}} {
				exact := map[string]int{}
				for _, b := range pair[1] {
					if b.Count > 0 {
						exact[b.Key] = b.Count
					}
				}
				hidden, merged := len(exact), 0
				for _, b := range pair[0] {
					if b.Key == "SUPPRESSED" {
						merged = b.Count
						continue
					}
					if b.Count > 0 {
						hidden--
						if exact[b.Key] != b.Count {
							t.Fatalf("case %d: %s %q: the VIEWER sees %d, exactly %d", i, name, b.Key, b.Count, exact[b.Key])
						}
					}
				}
				if merged > 0 && hidden < 2 && hidden != len(exact) {
					t.Fatalf("case %d: %s merges %d people of %d value(s): derivable by subtraction", i, name, merged, hidden)
				}
				if merged > 0 {
					sawMerged++
				}
				if len(exact)-hidden > 0 && merged > 0 {
					sawPartial++
				}
			}
		}
		if sawPartial == 0 || sawMerged == 0 {
			t.Errorf("no case merged some values and named others (%d merged, %d partial): the data does not exercise the rule", sawMerged, sawPartial)
		}
		if !sawExact {
			t.Error("the ANALYST never saw the exact cell of B's Khmer admission")
		}
	})
}

// moreAdmissions adds 40 admissions of 2022–2025 to the fixture's
// organizations, most of them Kinh without religion, a few of small
// minorities, so that breakdowns mix large and small cells.
func moreAdmissions(t *testing.T, c *gqltest.Client, f *fixture) {
	t.Helper()
	ctx := viewer.SystemContext(workflow.WithoutRules(context.Background()))
	r := rand.New(rand.NewPCG(3, 4))
	orgs := []int{f.a1, f.a1, f.b, f.leaf["admin"], f.leaf["analyst"], f.b}
	ethnic := []string{"Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Hoa", "Chăm"}
	faith := []string{"", "", "", "", "Phật giáo", "Công giáo", "Cao Đài"}
	for i := range 40 {
		org := orgs[r.IntN(len(orgs))]
		on := day(2022+r.IntN(4), 1+r.IntN(12), 1+r.IntN(28))
		p, err := c.DB.Client.Candidate.Create().SetFullName(fmt.Sprintf("Người thứ %d", i)).SetGender(candidate.GenderMALE).
			SetBirthDate(day(1990+r.IntN(10), 3, 3)).SetOccupation(candidate.OccupationCIVIL_SERVANT).
			SetEthnicity(ethnic[r.IntN(len(ethnic))]).SetReligion(faith[r.IntN(len(faith))]).
			SetYouthUnionMember(r.IntN(3) == 0).SetOrganizationID(org).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.DB.Client.Admission.Create().SetCandidateID(p.ID).SetOrganizationID(org).
			SetResolutionOn(on.AddDate(0, 0, -20)).SetDecisionNo(fmt.Sprintf("%d-QĐ/ĐU", i)).SetDecisionOn(on.AddDate(0, 0, -10)).
			SetAdmittedOn(on).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
