package graph_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// connections are the root connections of the schema, with their order
// field enum.
var connections = []struct{ field, order string }{
	{"admissions", "AdmissionOrderField"},
	{"annualPlans", "AnnualPlanOrderField"},
	{"candidates", "CandidateOrderField"},
	{"disciplinaryActions", "DisciplinaryActionOrderField"},
	{"enrollments", "EnrollmentOrderField"},
	{"organizations", "OrganizationOrderField"},
	{"trainingClasses", "TrainingClassOrderField"},
	{"users", "UserOrderField"},
	// Last: the walks above read people, which logs them.
	{"accessLogs", "AccessLogOrderField"},
	{"auditEvents", "AuditEventOrderField"},
}

// pageResult is one page of any connection, ids only.
type pageResult struct {
	TotalCount int `json:"totalCount"`
	PageInfo   struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			ID string `json:"id"`
		} `json:"node"`
	} `json:"edges"`
}

// page asks one page of conn.
func page(t *testing.T, c *gqltest.Client, conn string, args map[string]any) (pageResult, error) {
	t.Helper()
	var decl, use []string
	types := map[string]string{"first": "Int", "last": "Int", "after": "Cursor", "before": "Cursor"}
	vars := map[string]any{}
	for k, v := range args {
		switch k {
		case "orderBy":
			use = append(use, "orderBy: "+v.(string))
		case "where":
			use = append(use, "where: "+v.(string))
		default:
			decl = append(decl, "$"+k+": "+types[k])
			use = append(use, k+": $"+k)
			vars[k] = v
		}
	}
	q := "{"
	if len(decl) > 0 {
		q = "query(" + strings.Join(decl, ", ") + ") {"
	}
	q += fmt.Sprintf(" x: %s(%s) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }",
		conn, strings.Join(use, ", "))
	var out map[string]pageResult
	err := c.Do(q, vars, &out)
	return out["x"], err
}

// orderFields lists an enum's values by introspection.
func orderFields(t *testing.T, c *gqltest.Client, enum string) []string {
	t.Helper()
	var out struct {
		Type struct {
			EnumValues []struct{ Name string } `json:"enumValues"`
		} `json:"__type"`
	}
	c.MustDo(`query($n: String!) { __type(name: $n) { enumValues { name } } }`, map[string]any{"n": enum}, &out)
	var names []string
	for _, v := range out.Type.EnumValues {
		names = append(names, v.Name)
	}
	if len(names) == 0 {
		t.Fatalf("enum %s has no values", enum)
	}
	return names
}

// demoClient is an ADMIN client over a database holding the demo data.
func demoClient(t *testing.T, dialect string) *gqltest.Client {
	t.Helper()
	d := dbtest.Open(t, dialect)
	if _, err := seed.Demo(viewer.SystemContext(context.Background()), d, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	return gqltest.Serve(t, d)
}

// subset returns a where filter keeping at most n rows of conn (the first
// by id), so that walks with small pages stay short, and the ids it keeps.
func subset(t *testing.T, c *gqltest.Client, conn string, n int) (string, map[string]bool) {
	t.Helper()
	p, err := page(t, c, conn, map[string]any{"first": n})
	if err != nil {
		t.Fatalf("%s: %v", conn, err)
	}
	want := map[string]bool{}
	for _, e := range p.Edges {
		want[e.Node.ID] = true
	}
	if len(p.Edges) == 0 {
		return "{}", want
	}
	return fmt.Sprintf("{idLTE: %q}", p.Edges[len(p.Edges)-1].Node.ID), want
}

// TestPagingWalksEveryRow is the property of every connection: walked
// with any order field and direction, forwards with first/after or
// backwards with last/before, with page sizes from 1 to 50, it yields each
// row exactly once, and totalCount is the number of rows.
func TestPagingWalksEveryRow(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := demoClient(t, dialect)
		// Users and audit events, which the demo has few of.
		root := mkOrg(t, c, "PG-ROOT", "GRASSROOTS_COMMITTEE", "")
		for i := 0; i < 5; i++ {
			mkOrg(t, c, fmt.Sprintf("PG-%d", i), "GRASSROOTS_BRANCH", root.ID)
		}
		var rootID int
		fmt.Sscan(root.ID, &rootID)
		for i := 0; i < 7; i++ {
			c.As(t, viewer.RoleAnalyst, rootID)
		}
		r := rand.New(rand.NewPCG(15, 1))
		for _, conn := range connections {
			where, want := subset(t, c, conn.field, 120)
			t.Logf("%s: %d rows", conn.field, len(want))
			fields := orderFields(t, c, conn.order)
			walks := 0
			for _, field := range fields {
				for _, dir := range []string{"ASC", "DESC"} {
					for _, backwards := range []bool{false, true} {
						// Sizes 1 and 50 once per connection, the others drawn.
						size := 2 + r.IntN(48)
						switch walks {
						case 0:
							size = 1
						case 1:
							size = 50
						}
						walks++
						name := fmt.Sprintf("%s/%s_%s/backwards=%v/size=%d", conn.field, field, dir, backwards, size)
						walk(t, c, name, conn.field, where, fmt.Sprintf("{field: %s, direction: %s}", field, dir), size, backwards, want)
					}
				}
			}
		}
	})
}

// walk pages through one connection and checks the property.
func walk(t *testing.T, c *gqltest.Client, name, conn, where, orderBy string, size int, backwards bool, want map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	var cursor *string
	for pages := 0; ; pages++ {
		if pages > len(want)+2 {
			t.Errorf("%s: no end after %d pages", name, pages)
			return
		}
		args := map[string]any{"where": where, "orderBy": orderBy}
		if backwards {
			args["last"] = size
			if cursor != nil {
				args["before"] = *cursor
			}
		} else {
			args["first"] = size
			if cursor != nil {
				args["after"] = *cursor
			}
		}
		p, err := page(t, c, conn, args)
		if err != nil {
			t.Errorf("%s: page %d: %v", name, pages, err)
			return
		}
		if p.TotalCount != len(want) {
			t.Errorf("%s: totalCount = %d, want %d", name, p.TotalCount, len(want))
			return
		}
		if len(p.Edges) > size {
			t.Errorf("%s: %d edges on a page of %d", name, len(p.Edges), size)
		}
		for _, e := range p.Edges {
			if seen[e.Node.ID] {
				t.Errorf("%s: row %s twice", name, e.Node.ID)
			}
			if !want[e.Node.ID] {
				t.Errorf("%s: row %s is not in the connection", name, e.Node.ID)
			}
			seen[e.Node.ID] = true
		}
		more := p.PageInfo.HasNextPage
		cursor = p.PageInfo.EndCursor
		if backwards {
			more = p.PageInfo.HasPreviousPage
			cursor = p.PageInfo.StartCursor
		}
		if !more {
			break
		}
		if len(p.Edges) == 0 {
			t.Errorf("%s: an empty page says more follow", name)
			return
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%s: walked %d rows of %d", name, len(seen), len(want))
	}
}
