package seed_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// count runs a connection query and returns its totalCount.
func count(t *testing.T, c *gqltest.Client, conn, where string, vars map[string]any) int {
	t.Helper()
	decl := ""
	for k := range vars {
		typ := "ID!"
		if k != "bloc" {
			typ = "Date!"
		}
		decl += fmt.Sprintf("$%s: %s ", k, typ)
	}
	if decl != "" {
		decl = "(" + decl + ")"
	}
	var out map[string]struct {
		TotalCount int `json:"totalCount"`
	}
	c.MustDo(fmt.Sprintf("query %s { x: %s(where: %s) { totalCount } }", decl, conn, where), vars, &out)
	return out["x"].TotalCount
}

// TestDemoFigures checks the source article's figures through the GraphQL
// API, with the filters an analyst would use.
func TestDemoFigures(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := viewer.SystemContext(context.Background())
		d := dbtest.Open(t, dialect)
		if _, err := seed.Demo(ctx, d, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		c := gqltest.Serve(t, d)
		var orgs struct {
			Organizations struct {
				Edges []struct {
					Node struct {
						ID   string `json:"id"`
						Kind string `json:"kind"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"organizations"`
		}
		c.MustDo(`{ organizations(first: 1, where: {code: "BL-KCQ"}) { edges { node { id kind } } } }`, nil, &orgs)
		if len(orgs.Organizations.Edges) != 1 || orgs.Organizations.Edges[0].Node.Kind != "BLOC" {
			t.Fatalf("bloc BL-KCQ: got %+v", orgs)
		}
		bloc := map[string]any{"bloc": orgs.Organizations.Edges[0].Node.ID}
		period := `inSubtree: $bloc, admittedOnGTE: "2015-01-01", admittedOnLTE: "2020-06-30"`
		certified := `{inSubtree: $bloc,
			hasEnrollmentsWith: {passed: true, certificateOnGTE: "2015-07-01", certificateOnLTE: "2020-06-30"},
			hasClassesWith: {kind: AWARENESS, inSubtree: $bloc, startsOnGTE: "2015-07-01", startsOnLTE: "2020-06-30"}}`
		for _, tc := range []struct {
			name, conn, where string
			want              int
		}{
			{"admissions in the period", "admissions", "{" + period + "}", seed.DemoAdmissions},
			{"college or university", "admissions", "{" + period + ", hasCandidateWith: {professionalLevelIn: [COLLEGE, UNIVERSITY]}}", seed.DemoCollegeUniversity},
			{"masters", "admissions", "{" + period + ", hasCandidateWith: {professionalLevel: MASTER}}", seed.DemoMaster},
			{"awareness classes", "trainingClasses", `{inSubtree: $bloc, kind: AWARENESS, startsOnGTE: "2015-07-01", startsOnLTE: "2020-06-30"}`, seed.DemoAwarenessClasses},
			{"certified candidates", "candidates", certified, seed.DemoCertified},
			{"admitted people not marked admitted", "candidates", "{inSubtree: $bloc, hasAdmission: true, statusNEQ: ADMITTED}", 0},
			{"grassroots organizations", "organizations", "{inSubtree: $bloc, kindIn: [GRASSROOTS_COMMITTEE, GRASSROOTS_BRANCH]}", 39},
			{"subordinate branches", "organizations", "{inSubtree: $bloc, kind: BRANCH}", 117},
			{"full members not recognized on probation end", "admissions", "{inSubtree: $bloc, status: FULL, recognizedOnIsNil: true}", 0},
		} {
			if got := count(t, c, tc.conn, tc.where, bloc); got != tc.want {
				t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
			}
		}
		for _, tc := range []struct {
			name, conn, where string
			lo, hi            int
		}{
			{"non-state enterprises admit few", "admissions", "{" + period + ", hasOrganizationWith: {sector: NON_STATE_ENTERPRISE}}", 1, 25},
			{"not recognized", "admissions", "{" + period + ", status: NOT_RECOGNIZED, notRecognizedOnNotNil: true}", 10, 80},
			{"left", "admissions", "{" + period + ", status: LEFT, leftOnNotNil: true, leftReasonNotNil: true}", 5, 60},
			{"disciplined", "disciplinaryActions", "{hasAdmissionWith: {" + period + "}}", 5, 60},
			{"full", "admissions", "{" + period + ", status: FULL}", 850, 1000},
			{"source", "candidates", "{inSubtree: $bloc, status: SOURCE}", 1, 200},
			{"trained", "candidates", "{inSubtree: $bloc, status: TRAINED}", 1, 200},
			{"applied", "candidates", "{inSubtree: $bloc, status: APPLIED}", 1, 200},
			{"new-member classes", "trainingClasses", "{inSubtree: $bloc, kind: NEW_MEMBER}", 10, 30},
			{"current term", "admissions", `{inSubtree: $bloc, admittedOnGTE: "2020-07-01", admittedOnLTE: "2025-12-31"}`, 900, 1300},
			{"Khmer", "candidates", `{inSubtree: $bloc, ethnicity: "Khmer"}`, 100, 300},
			{"Hoa", "candidates", `{inSubtree: $bloc, ethnicity: "Hoa"}`, 30, 150},
		} {
			if got := count(t, c, tc.conn, tc.where, bloc); got < tc.lo || got > tc.hi {
				t.Errorf("%s: got %d, want %d..%d", tc.name, got, tc.lo, tc.hi)
			}
		}
		// Quarters without admissions: exactly Q1/2016 and Q1/2019.
		var empty []string
		for y := 2015; y <= 2020; y++ {
			for q := 1; q <= 4 && !(y == 2020 && q > 2); q++ {
				from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
				to := from.AddDate(0, 3, -1)
				vars := map[string]any{"bloc": bloc["bloc"], "from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}
				if count(t, c, "admissions", "{inSubtree: $bloc, admittedOnGTE: $from, admittedOnLTE: $to}", vars) == 0 {
					empty = append(empty, fmt.Sprintf("Q%d/%d", q, y))
				}
			}
		}
		if fmt.Sprint(empty) != "[Q1/2016 Q1/2019]" {
			t.Errorf("quarters without admissions: got %v, want [Q1/2016 Q1/2019]", empty)
		}
		// Targets: the bloc's own plans, 2015–2020, counted pro rata by the
		// days of each year the period covers.
		var plans struct {
			AnnualPlans struct {
				Edges []struct {
					Node struct {
						Year            int `json:"year"`
						AdmissionTarget int `json:"admissionTarget"`
						MembersAtStart  int `json:"membersAtStart"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"annualPlans"`
		}
		c.MustDo(`query ($bloc: ID!) { annualPlans(first: 20, where: {hasOrganizationWith: {id: $bloc}, yearGTE: 2015, yearLTE: 2020}) {
			edges { node { year admissionTarget membersAtStart } } } }`, bloc, &plans)
		whole, proRata := 0, 0.0
		for _, e := range plans.AnnualPlans.Edges {
			n := e.Node
			whole += n.AdmissionTarget
			first := time.Date(n.Year, 1, 1, 0, 0, 0, 0, time.UTC)
			days := first.AddDate(1, 0, 0).Sub(first).Hours() / 24
			last := first.AddDate(1, 0, -1)
			if last.After(seed.DemoPeriodTo) {
				last = seed.DemoPeriodTo
			}
			proRata += float64(n.AdmissionTarget) * (last.Sub(first).Hours()/24 + 1) / days
			if n.MembersAtStart < 5000 || n.MembersAtStart > 6500 {
				t.Errorf("members at the start of %d: %d, want 5.000–6.500", n.Year, n.MembersAtStart)
			}
		}
		if len(plans.AnnualPlans.Edges) != 6 || whole != 660 {
			t.Errorf("bloc targets 2015–2020: %d plans summing to %d, want 6 summing to 660", len(plans.AnnualPlans.Edges), whole)
		}
		if pct := 100 * float64(seed.DemoAdmissions) / proRata; pct < 167 || pct >= 168 {
			t.Errorf("attainment: %.2f%%, want just above 167%%", pct)
		}
	})
}
