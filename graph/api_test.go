package graph_test

import (
	"context"

	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
)

type org struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Depth     int    `json:"depth"`
	FoundedOn string `json:"foundedOn"`
	Parent    *struct {
		Code string `json:"code"`
	} `json:"parent"`
	Ancestors []struct {
		Code string `json:"code"`
	} `json:"ancestors"`
}

const createOrg = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id code depth foundedOn parent { code } ancestors { code } }
}`

// mkOrg creates an organization through the API and returns its id.
func mkOrg(t *testing.T, c *gqltest.Client, code, kind, parent string) org {
	t.Helper()
	input := map[string]any{"code": code, "name": "Tổ chức " + code, "kind": kind, "sector": "STATE_AGENCY", "foundedOn": "2010-01-01"}
	if parent != "" {
		input["parentID"] = parent
	}
	var out struct{ CreateOrganization org }
	c.MustDo(createOrg, map[string]any{"input": input}, &out)
	return out.CreateOrganization
}

func TestHealth(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		for _, path := range []string{"/healthz", "/readyz"} {
			if code, body := c.Get(path); code != 200 {
				t.Errorf("GET %s = %d %s", path, code, body)
			}
		}
	})
}

func TestOrganizationTree(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		bloc := mkOrg(t, c, "BLOC", "BLOC", "")
		gc := mkOrg(t, c, "GC1", "GRASSROOTS_COMMITTEE", bloc.ID)
		br := mkOrg(t, c, "BR1", "BRANCH", gc.ID)
		other := mkOrg(t, c, "GB2", "GRASSROOTS_BRANCH", bloc.ID)

		if br.Depth != 2 || br.FoundedOn != "2010-01-01" {
			t.Errorf("branch depth/foundedOn = %d %s", br.Depth, br.FoundedOn)
		}
		if got := codes(br.Ancestors); fmt.Sprint(got) != "[BLOC GC1]" {
			t.Errorf("ancestors = %v, want root first", got)
		}

		var q struct {
			Organizations struct {
				TotalCount int
				Edges      []struct{ Node org }
			}
		}
		c.MustDo(`query($root: ID!) { organizations(first: 10, where: {inSubtree: $root}, orderBy: [{field: CODE}]) {
			totalCount edges { node { code } } } }`, map[string]any{"root": gc.ID}, &q)
		if q.Organizations.TotalCount != 2 {
			t.Errorf("subtree of GC1 has %d organizations, want 2", q.Organizations.TotalCount)
		}

		var n struct {
			Node struct {
				Code     string
				Children struct{ TotalCount int }
			}
		}
		c.MustDo(`query($id: ID!) { node(id: $id) { ... on Organization { code children { totalCount } } } }`,
			map[string]any{"id": bloc.ID}, &n)
		if n.Node.Code != "BLOC" || n.Node.Children.TotalCount != 2 {
			t.Errorf("node(bloc) = %+v", n.Node)
		}

		// Move GC1 (with BR1) under GB2: the closure table follows.
		var moved struct{ UpdateOrganization org }
		c.MustDo(`mutation($id: ID!, $p: ID!) { updateOrganization(id: $id, input: {parentID: $p}) { code depth ancestors { code } } }`,
			map[string]any{"id": gc.ID, "p": other.ID}, &moved)
		if moved.UpdateOrganization.Depth != 2 || fmt.Sprint(codes(moved.UpdateOrganization.Ancestors)) != "[BLOC GB2]" {
			t.Errorf("after move: %+v", moved.UpdateOrganization)
		}
		checkClosure(t, c.DB.Client)

		// Make GB2 a root, then put it back.
		c.MustDo(`mutation($id: ID!) { updateOrganization(id: $id, input: {clearParent: true}) { id } }`, map[string]any{"id": other.ID}, nil)
		checkClosure(t, c.DB.Client)
		c.MustDo(`mutation($id: ID!, $p: ID!) { updateOrganization(id: $id, input: {parentID: $p}) { id } }`,
			map[string]any{"id": other.ID, "p": bloc.ID}, nil)
		checkClosure(t, c.DB.Client)
	})
}

func TestConstraints(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		bloc := mkOrg(t, c, "BLOC", "BLOC", "")
		gc := mkOrg(t, c, "GC1", "GRASSROOTS_COMMITTEE", bloc.ID)
		br := mkOrg(t, c, "BR1", "BRANCH", gc.ID)
		ctx := viewer.SystemContext(context.Background())
		before := snapshot(t, c.DB.Client)

		tests := []struct {
			name      string
			query     string
			vars      map[string]any
			code      string
			field     string
			wantWrite bool
		}{
			{"delete with children", `mutation($id: ID!) { deleteOrganization(id: $id) }`,
				map[string]any{"id": bloc.ID}, "HAS_CHILDREN", "id", false},
			{"duplicate code", createOrg, map[string]any{"input": map[string]any{
				"code": "GC1", "name": "Trùng mã", "kind": "BRANCH", "sector": "OTHER", "foundedOn": "2011-01-01", "parentID": bloc.ID}},
				"CONFLICT", "code", false},
			{"cycle: under own descendant", `mutation($id: ID!, $p: ID!) { updateOrganization(id: $id, input: {parentID: $p}) { id } }`,
				map[string]any{"id": bloc.ID, "p": br.ID}, "TREE_CYCLE", "parentID", false},
			{"cycle: under itself", `mutation($id: ID!, $p: ID!) { updateOrganization(id: $id, input: {parentID: $p}) { id } }`,
				map[string]any{"id": gc.ID, "p": gc.ID}, "TREE_CYCLE", "parentID", false},
			{"unknown parent", createOrg, map[string]any{"input": map[string]any{
				"code": "X", "name": "X", "kind": "BRANCH", "sector": "OTHER", "foundedOn": "2011-01-01", "parentID": "21474899999"}},
				"NOT_FOUND", "parentID", false},
			{"empty name", createOrg, map[string]any{"input": map[string]any{
				"code": "Y", "name": "", "kind": "BRANCH", "sector": "OTHER", "foundedOn": "2011-01-01"}},
				"INVALID_ARGUMENT", "name", false},
			{"malformed date", createOrg, map[string]any{"input": map[string]any{
				"code": "Z", "name": "Z", "kind": "BRANCH", "sector": "OTHER", "foundedOn": "30/06/2020"}},
				"", "", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := c.Do(tt.query, tt.vars, nil)
				errs, ok := err.(gqltest.Errors)
				if !ok {
					t.Fatalf("want an error, got %v", err)
				}
				if tt.code != "" && (errs.Code() != tt.code || errs.Field() != tt.field) {
					t.Errorf("error = %s field %q (%s), want %s field %q", errs.Code(), errs.Field(), errs, tt.code, tt.field)
				}
				if after := snapshot(t, c.DB.Client); after != before {
					t.Errorf("database changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}

		// An organization with admissions cannot be deleted either. The rows
		// are written as history would be loaded, below the workflow rules.
		leaf := mkOrg(t, c, "LEAF", "BRANCH", br.ID)
		leafID := mustInt(t, leaf.ID)
		now := time.Now().UTC()
		candID := insertRow(t, c.DB, "candidates", map[string]any{
			"created_at": now, "updated_at": now, "full_name": "Nguyễn Văn A", "gender": "MALE",
			"birth_date": day(1995, 5, 1), "ethnicity": "Kinh", "general_education": "UPPER_SECONDARY",
			"professional_level": "UNIVERSITY", "political_theory_level": "NONE", "occupation": "CIVIL_SERVANT",
			"youth_union_member": true, "national_id": "012345678901", "status": "ADMITTED", "organization_id": leafID,
		})
		insertRow(t, c.DB, "admissions", map[string]any{
			"created_at": now, "updated_at": now, "candidate_id": candID, "organization_id": leafID,
			"resolution_on": day(2020, 1, 10), "decision_no": "123-QĐ/ĐU", "decision_on": day(2020, 2, 1),
			"admitted_on": day(2020, 2, 3), "probation_ends_on": day(2021, 2, 3), "status": "PROBATIONARY",
		})
		before = snapshot(t, c.DB.Client)
		err := c.Do(`mutation($id: ID!) { deleteOrganization(id: $id) }`, map[string]any{"id": leaf.ID}, nil)
		if errs, ok := err.(gqltest.Errors); !ok || errs.Code() != "IN_USE" {
			t.Errorf("deleting an organization with admissions: %v", err)
		}
		if after := snapshot(t, c.DB.Client); after != before {
			t.Errorf("database changed")
		}

		// A duplicate national ID is refused, whatever the path.
		_, err = c.DB.Client.Candidate.Create().SetFullName("Trần Thị B").SetGender("FEMALE").SetBirthDate(day(1996, 1, 1)).
			SetOccupation("WORKER").SetOrganizationID(leafID).SetNationalID("012345678901").Save(ctx)
		if !ent.IsConstraintError(err) {
			t.Errorf("duplicate national ID: want a constraint error, got %v", err)
		}

		// A leaf without records can be deleted; its closure rows go with it.
		var del struct{ DeleteOrganization string }
		leaf2 := mkOrg(t, c, "LEAF2", "BRANCH", gc.ID)
		c.MustDo(`mutation($id: ID!) { deleteOrganization(id: $id) }`, map[string]any{"id": leaf2.ID}, &del)
		if del.DeleteOrganization != leaf2.ID {
			t.Errorf("deleted %q, want %q", del.DeleteOrganization, leaf2.ID)
		}
		checkClosure(t, c.DB.Client)
	})
}

func TestConnections(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		bloc := mkOrg(t, c, "BLOC", "BLOC", "")
		for i := range 25 {
			mkOrg(t, c, fmt.Sprintf("B%02d", i), "BRANCH", bloc.ID)
		}
		// Page through with cursors, ordered by code descending.
		var seen []string
		var after any
		for {
			var out struct {
				Organizations struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct{ Node org }
				}
			}
			c.MustDo(`query($after: Cursor) { organizations(first: 10, after: $after, where: {kind: BRANCH}, orderBy: [{field: CODE, direction: DESC}]) {
				totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }`, map[string]any{"after": after}, &out)
			if out.Organizations.TotalCount != 25 {
				t.Fatalf("totalCount = %d", out.Organizations.TotalCount)
			}
			for _, e := range out.Organizations.Edges {
				seen = append(seen, e.Node.Code)
			}
			if !out.Organizations.PageInfo.HasNextPage {
				break
			}
			after = out.Organizations.PageInfo.EndCursor
		}
		if len(seen) != 25 || !sort.SliceIsSorted(seen, func(i, j int) bool { return seen[i] > seen[j] }) {
			t.Errorf("paged codes = %v", seen)
		}

		// Page limits are checked before anything runs.
		for _, q := range []string{
			`{ organizations(first: 100000) { totalCount } }`,
			`{ organizations { edges { node { id } } } }`,
		} {
			if err := c.Do(q, nil, nil); err == nil || err.(gqltest.Errors).Code() != "INVALID_ARGUMENT" {
				t.Errorf("%s: want INVALID_ARGUMENT, got %v", q, err)
			}
		}
		// Counting without rows needs no page size.
		var cnt struct{ Organizations struct{ TotalCount int } }
		c.MustDo(`{ organizations(where: {codeHasPrefix: "B0"}) { totalCount } }`, nil, &cnt)
		if cnt.Organizations.TotalCount != 10 {
			t.Errorf("B0* = %d, want 10", cnt.Organizations.TotalCount)
		}
	})
}

func TestErrorsHideInternals(t *testing.T) {
	c := gqltest.New(t, "sqlite")
	err := c.Do(`{ node(id: "12") { id } }`, nil, nil)
	errs, ok := err.(gqltest.Errors)
	if !ok {
		t.Fatalf("want an error, got %v", err)
	}
	for _, e := range errs {
		for _, bad := range []string{"SELECT", "sql", "goroutine", "ent:"} {
			if containsFold(e.Message, bad) {
				t.Errorf("error message leaks %q: %s", bad, e.Message)
			}
		}
	}
}

// checkClosure compares the closure table and depths with those computed in
// Go from parent_id alone.
func checkClosure(t *testing.T, client *ent.Client) {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	orgs := client.Organization.Query().AllX(ctx)
	parent := map[int]int{}
	for _, o := range orgs {
		if o.ParentID != nil {
			parent[o.ID] = *o.ParentID
		}
	}
	want := map[[2]int]int{}
	for _, o := range orgs {
		d, id := 0, o.ID
		for {
			want[[2]int{id, o.ID}] = d
			p, ok := parent[id]
			if !ok {
				break
			}
			id, d = p, d+1
		}
		if o.Depth != d {
			t.Errorf("%s depth = %d, want %d", o.Code, o.Depth, d)
		}
	}
	rows := client.OrganizationClosure.Query().AllX(ctx)
	if len(rows) != len(want) {
		t.Errorf("closure has %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if d, ok := want[[2]int{r.OrganizationID, r.DescendantID}]; !ok || d != r.Depth {
			t.Errorf("closure row (%d, %d, %d) unexpected", r.OrganizationID, r.DescendantID, r.Depth)
		}
	}
}

// snapshot summarizes the tree so a test can tell whether anything changed.
func snapshot(t *testing.T, client *ent.Client) string {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	var s string
	for _, o := range client.Organization.Query().Order(ent.Asc(organization.FieldID)).AllX(ctx) {
		p := 0
		if o.ParentID != nil {
			p = *o.ParentID
		}
		s += fmt.Sprintf("%s:%d:%d:%s;", o.Code, p, o.Depth, o.UpdatedAt.UTC().Format(time.RFC3339Nano))
	}
	return fmt.Sprintf("%s closure=%d", s, client.OrganizationClosure.Query().CountX(ctx))
}

func codes(os []struct {
	Code string `json:"code"`
}) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Code
	}
	return out
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustInt(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// insertRow writes one row with plain SQL, below ent's hooks, and returns its id.
func insertRow(t *testing.T, d *db.DB, table string, cols map[string]any) int {
	t.Helper()
	names := make([]string, 0, len(cols))
	for k := range cols {
		names = append(names, k)
	}
	sort.Strings(names)
	vals := make([]any, len(names))
	for i, k := range names {
		vals[i] = cols[k]
	}
	q, args := entsql.Dialect(d.Dialect).Insert(table).Columns(names...).Values(vals...).Returning("id").Query()
	var id int
	if err := d.SQL.QueryRowContext(viewer.SystemContext(context.Background()), q, args...).Scan(&id); err != nil {
		t.Fatalf("inserting into %s: %v", table, err)
	}
	return id
}

// TestAuditNamesTheUser checks that a change made through the API is
// attributed to the signed-in user in the audit trail.
func TestAuditNamesTheUser(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		mkOrg(t, c, "AUD", "BLOC", "")
		var out struct {
			AuditEvents struct {
				Edges []struct {
					Node struct{ Actor, Operation string }
				}
			}
		}
		c.MustDo(`{ auditEvents(first: 5, where: {entityType: "Organization"}) { edges { node { actor operation } } } }`, nil, &out)
		if len(out.AuditEvents.Edges) == 0 {
			t.Fatal("no audit event for the new organization")
		}
		for _, e := range out.AuditEvents.Edges {
			if e.Node.Actor != c.Username {
				t.Errorf("audit actor = %q, want %q", e.Node.Actor, c.Username)
			}
		}
	})
}
