package graph_test

import (
	"context"
	"errors"
	"testing"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/hook"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
)

type auditEvents struct {
	AuditEvents struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				Actor, Operation, EntityType string
				Changes                      []struct {
					Field         string
					Before, After *string
				}
			}
		}
	}
}

const auditQ = `query($id: Int!) { auditEvents(first: 100, where: {entityID: $id}, orderBy: [{field: AT, direction: ASC}]) {
  totalCount edges { node { actor operation entityType changes { field before after } } } } }`

func (f *fixture) audit(id string) auditEvents {
	f.t.Helper()
	var out auditEvents
	var n int
	for _, ch := range id {
		n = n*10 + int(ch-'0')
	}
	f.c.MustDo(auditQ, map[string]any{"id": n}, &out)
	return out
}

func TestAuditTrail(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		cand := f.candidate("1990-01-01", "")
		ev := f.audit(cand)
		if ev.AuditEvents.TotalCount != 1 {
			t.Fatalf("after create: %d events", ev.AuditEvents.TotalCount)
		}
		n := ev.AuditEvents.Edges[0].Node
		if n.Operation != "CREATE" || n.EntityType != "Candidate" || n.Actor != f.c.Username {
			t.Fatalf("create event: %+v", n)
		}
		seen := map[string]bool{}
		for _, c := range n.Changes {
			seen[c.Field] = true
			switch c.Field {
			case "national_id", "ethnicity":
				if c.After == nil || *c.After != `"[masked]"` {
					t.Fatalf("%s stored in clear in the audit trail", c.Field)
				}
			}
		}
		if !seen["full_name"] || !seen["national_id"] {
			t.Fatalf("create event lacks fields: %+v", n.Changes)
		}
		const upd = `mutation($c: ID!, $in: UpdateCandidateInput!) { updateCandidate(id: $c, input: $in) { id } }`
		f.c.MustDo(upd, map[string]any{"c": cand, "in": map[string]any{"fullName": "Người 1"}}, nil)
		if got := f.audit(cand).AuditEvents.TotalCount; got != 1 {
			t.Fatalf("an update that changed nothing left %d events", got)
		}
		f.c.MustDo(upd, map[string]any{"c": cand, "in": map[string]any{"fullName": "Nguyễn Thị Mai", "phone": "0912345678"}}, nil)
		ev = f.audit(cand)
		if ev.AuditEvents.TotalCount != 2 {
			t.Fatalf("after update: %d events", ev.AuditEvents.TotalCount)
		}
		got := map[string]string{}
		for _, c := range ev.AuditEvents.Edges[1].Node.Changes {
			b, a := "null", "null"
			if c.Before != nil {
				b = *c.Before
			}
			if c.After != nil {
				a = *c.After
			}
			got[c.Field] = b + " -> " + a
		}
		want := map[string]string{"full_name": `"Người 1" -> "Nguyễn Thị Mai"`, "phone": `null -> "[masked]"`}
		if len(got) != len(want) || got["full_name"] != want["full_name"] || got["phone"] != want["phone"] {
			t.Fatalf("update changes: %v, want %v", got, want)
		}
	})
}

// TestFaultLeavesNothing injects a failure after the admission row is
// written, in the middle of admitCandidate: nothing of it may remain.
func TestFaultLeavesNothing(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		cand := f.candidate("1990-01-01", "2019-06-01")
		before := f.audit(cand).AuditEvents.TotalCount
		fault := errors.New("injected fault")
		f.c.Server.Candidate.Use(hook.On(func(next ent.Mutator) ent.Mutator {
			return hook.CandidateFunc(func(ctx context.Context, m *gen.CandidateMutation) (ent.Value, error) {
				if s, ok := m.Status(); ok && s == candidate.StatusADMITTED {
					return nil, fault
				}
				return next.Mutate(ctx, m)
			})
		}, ent.OpUpdateOne))
		err := f.c.Do(admitQ, map[string]any{"in": admitInput(cand)}, nil)
		wantCode(t, err, "INTERNAL", "")
		ctx := viewer.SystemContext(context.Background())
		c := f.c.DB.Client
		if n := c.Admission.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d admissions after a failed mutation", n)
		}
		if s := c.Candidate.GetX(ctx, atoi(cand)).Status; s != candidate.StatusTRAINED {
			t.Fatalf("candidate left %s", s)
		}
		if after := f.audit(cand).AuditEvents.TotalCount; after != before {
			t.Fatalf("audit events went from %d to %d", before, after)
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, ch := range s {
		n = n*10 + int(ch-'0')
	}
	return n
}

func TestMergeOrganizations(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		mk := func(code, parent string) string {
			in := map[string]any{"code": code, "name": code, "kind": "GRASSROOTS_COMMITTEE", "sector": "STATE_AGENCY", "foundedOn": "2000-01-01"}
			if parent != "" {
				in["parentID"] = parent
			}
			return f.id(`mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) { id } }`, map[string]any{"in": in}, "createOrganization")
		}
		root := mk("ROOT", "")
		from, into := mk("FROM", root), mk("INTO", root)
		child := mk("CHILD", from)
		plan := func(org string, year, target int) {
			f.c.MustDo(`mutation($o: ID!, $y: Int!, $t: Int!) { createAnnualPlan(input: {organizationID: $o, year: $y, admissionTarget: $t, membersAtStart: 10}) { id } }`,
				map[string]any{"o": org, "y": year, "t": target}, nil)
		}
		plan(from, 2024, 3)
		plan(into, 2024, 5)
		plan(from, 2025, 2)
		f.org = from
		cand := f.candidate("1990-01-01", "2019-06-01")
		f.admit(admitInput(cand))

		wantCode(t, f.c.Do(`mutation($a: ID!, $b: ID!) { mergeOrganizations(from: $a, into: $b, on: "2025-07-01") { id } }`,
			map[string]any{"a": root, "b": into}, nil), "TREE_CYCLE", "into")
		f.c.MustDo(`mutation($a: ID!, $b: ID!) { mergeOrganizations(from: $a, into: $b, on: "2025-07-01") { id } }`,
			map[string]any{"a": from, "b": into}, nil)

		type orgOut struct {
			DissolvedOn string
			MergedInto  struct{ ID string }
			Children    struct {
				Edges []struct{ Node struct{ ID string } }
			}
			Candidates    struct{ TotalCount int }
			Admissions    struct{ TotalCount int }
			AnnualPlans   []struct{ Year, AdmissionTarget, MembersAtStart int }
			ParentHistory []struct {
				Parent   struct{ ID string }
				From, To *string
			}
		}
		var out struct{ From, Into orgOut }
		f.c.MustDo(`fragment O on Organization { dissolvedOn mergedInto { id } children(first: 10) { edges { node { id } } }
		    candidates { totalCount } admissions { totalCount } annualPlans { year admissionTarget membersAtStart }
		    parentHistory { parent { id } from to } }
		  query($a: ID!, $b: ID!) { from: node(id: $a) { ...O } into: node(id: $b) { ...O } }`, map[string]any{"a": from, "b": into}, &out)
		if out.From.DissolvedOn != "2025-07-01" || out.From.MergedInto.ID != into {
			t.Fatalf("merged organization: %+v", out.From)
		}
		// Today's tree: the child and the dissolved organization sit under
		// the successor; the history keeps where they were.
		kids := map[string]bool{}
		for _, e := range out.Into.Children.Edges {
			kids[e.Node.ID] = true
		}
		if len(kids) != 2 || !kids[child] || !kids[from] {
			t.Fatalf("children after merge: %+v", out.Into.Children)
		}
		if h := out.From.ParentHistory; len(h) != 2 || h[0].Parent.ID != root || h[0].To == nil || *h[0].To != "2025-06-30" ||
			h[1].Parent.ID != into || h[1].From == nil || *h[1].From != "2025-07-01" {
			t.Fatalf("history of the merged organization: %+v", h)
		}
		// Facts are immutable: the records and plans stay where they were made.
		if out.From.Candidates.TotalCount != 1 || out.From.Admissions.TotalCount != 1 ||
			out.Into.Candidates.TotalCount != 0 || out.Into.Admissions.TotalCount != 0 {
			t.Fatalf("records after merge: from %+v, into %+v", out.From, out.Into)
		}
		targets := map[int][2]int{}
		for _, p := range out.From.AnnualPlans {
			targets[p.Year] = [2]int{p.AdmissionTarget, p.MembersAtStart}
		}
		if targets[2024] != [2]int{3, 10} || targets[2025] != [2]int{2, 10} || len(targets) != 2 || len(out.Into.AnnualPlans) != 1 {
			t.Fatalf("plans after merge: %v, into %v", targets, out.Into.AnnualPlans)
		}
		// The admission counts in the successor's subtree of today.
		var sub struct{ Admissions struct{ TotalCount int } }
		f.c.MustDo(`query($b: ID!) { admissions(where: {inSubtree: $b}) { totalCount } }`, map[string]any{"b": into}, &sub)
		if sub.Admissions.TotalCount != 1 {
			t.Fatalf("admissions in the successor's subtree: %d", sub.Admissions.TotalCount)
		}
		// Statistics: AS_OF keeps the admission under the merged
		// organization; CURRENT counts it under the successor.
		var st struct {
			AsOfFrom, AsOfInto, CurInto struct{ Admitted int }
		}
		f.c.MustDo(`query($a: ID!, $b: ID!) {
		  asOfFrom: stats(org: $a, from: "2000-01-01", to: "2026-12-31") { admitted }
		  asOfInto: stats(org: $b, from: "2000-01-01", to: "2026-12-31") { admitted }
		  curInto: stats(org: $b, from: "2000-01-01", to: "2026-12-31", tree: CURRENT) { admitted } }`,
			map[string]any{"a": from, "b": into}, &st)
		if st.AsOfFrom.Admitted != 1 || st.AsOfInto.Admitted != 0 || st.CurInto.Admitted != 1 {
			t.Fatalf("statistics after merge: %+v", st)
		}
		wantCode(t, f.c.Do(`mutation($a: ID!, $b: ID!) { mergeOrganizations(from: $a, into: $b, on: "2025-08-01") { id } }`,
			map[string]any{"a": into, "b": from}, nil), "ORGANIZATION_DISSOLVED", "into")
	})
}
