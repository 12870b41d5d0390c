package graph_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"ketnap/ent/user"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
)

// ids lists a page's node ids.
func ids(p pageResult) []string {
	var out []string
	for _, e := range p.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

func mustPage(t *testing.T, c *gqltest.Client, conn string, args map[string]any) pageResult {
	t.Helper()
	p, err := page(t, c, conn, args)
	if err != nil {
		t.Fatalf("%s %v: %v", conn, args, err)
	}
	return p
}

// wantCoded checks that err is one GraphQL error with code and both messages.
func wantCoded(t *testing.T, what string, err error, code string) {
	t.Helper()
	errs, ok := err.(gqltest.Errors)
	if !ok || len(errs) == 0 {
		t.Errorf("%s: got %v, want a %s error", what, err, code)
		return
	}
	if errs.Code() != code {
		t.Errorf("%s: code %q (%s), want %s", what, errs.Code(), errs[0].Message, code)
	}
	vi, _ := errs[0].Extensions["vi"].(string)
	en, _ := errs[0].Extensions["en"].(string)
	if vi == "" || en == "" || !strings.Contains(errs[0].Message, " / ") {
		t.Errorf("%s: message %q is not in both languages", what, errs[0].Message)
	}
}

// TestPagingCases are the defects of issue 15, items 1 to 4 and 8, on the demo.
func TestPagingCases(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := demoClient(t, dialect)

		t.Run("nulls", func(t *testing.T) {
			for _, tc := range []struct{ conn, order string }{
				{"candidates", "{field: RESOLUTION_ON, direction: ASC}"},
				{"candidates", "{field: RESOLUTION_ON, direction: DESC}"},
				{"enrollments", "{field: CERTIFICATE_ON, direction: DESC}"},
				{"enrollments", "{field: CERTIFICATE_ON, direction: ASC}"},
			} {
				seen := map[string]bool{}
				var after *string
				total := 0
				for {
					args := map[string]any{"first": 500, "orderBy": tc.order}
					if after != nil {
						args["after"] = *after
					}
					p := mustPage(t, c, tc.conn, args)
					total = p.TotalCount
					for _, id := range ids(p) {
						seen[id] = true
					}
					if !p.PageInfo.HasNextPage {
						break
					}
					after = p.PageInfo.EndCursor
				}
				if len(seen) != total || total == 0 {
					t.Errorf("%s %s: walked %d of %d", tc.conn, tc.order, len(seen), total)
				}
			}
		})

		order := "{field: FULL_NAME, direction: ASC}"
		all := mustPage(t, c, "candidates", map[string]any{"first": 12, "orderBy": order})
		if len(all.Edges) != 12 {
			t.Fatalf("12 candidates: got %d", len(all.Edges))
		}
		row := func(i int) string { return all.Edges[i].Cursor }
		id := func(i int) string { return all.Edges[i].Node.ID }

		t.Run("mixed cursors", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				args map[string]any
				want []int
			}{
				{"first before", map[string]any{"first": 3, "before": row(9)}, []int{0, 1, 2}},
				{"last after", map[string]any{"last": 3, "after": row(1)}, nil},
				{"first after before", map[string]any{"first": 3, "after": row(1), "before": row(9)}, []int{2, 3, 4}},
				{"last after before", map[string]any{"last": 3, "after": row(1), "before": row(9)}, []int{6, 7, 8}},
			} {
				tc.args["orderBy"] = order
				p := mustPage(t, c, "candidates", tc.args)
				if tc.want == nil {
					// The last 3 of everything after row 1.
					if len(p.Edges) != 3 || p.PageInfo.HasNextPage {
						t.Errorf("%s: %d edges, hasNextPage %v", tc.name, len(p.Edges), p.PageInfo.HasNextPage)
					}
					continue
				}
				var want []string
				for _, i := range tc.want {
					want = append(want, id(i))
				}
				if got := ids(p); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: got %v, want %v", tc.name, got, want)
				}
			}
		})

		t.Run("children count", func(t *testing.T) {
			for _, dir := range []string{"ASC", "DESC"} {
				o := "{field: CHILDREN_COUNT, direction: " + dir + "}"
				p1 := mustPage(t, c, "organizations", map[string]any{"first": 10, "orderBy": o})
				p2 := mustPage(t, c, "organizations", map[string]any{"first": 10, "after": *p1.PageInfo.EndCursor, "orderBy": o})
				if len(p2.Edges) != 10 {
					t.Errorf("CHILDREN_COUNT %s page 2: %d edges", dir, len(p2.Edges))
				}
				l := mustPage(t, c, "organizations", map[string]any{"last": 5, "orderBy": o})
				if len(l.Edges) != 5 {
					t.Errorf("CHILDREN_COUNT %s last 5: %d edges", dir, len(l.Edges))
				}
			}
		})

		t.Run("pageInfo without edges", func(t *testing.T) {
			var n struct{ X struct{ TotalCount int } }
			c.MustDo(`{ x: organizations { totalCount } }`, nil, &n)
			total := n.X.TotalCount
			for _, tc := range []struct {
				first int
				want  bool
			}{{total, false}, {total - 1, true}, {total + 5, false}} {
				var out struct {
					X struct {
						PageInfo struct{ HasNextPage bool }
					}
				}
				c.MustDo(`query($f: Int) { x: organizations(first: $f) { pageInfo { hasNextPage } } }`, map[string]any{"f": tc.first}, &out)
				if out.X.PageInfo.HasNextPage != tc.want {
					t.Errorf("first %d of %d: hasNextPage %v", tc.first, total, out.X.PageInfo.HasNextPage)
				}
			}
		})

		t.Run("opaque cursors", func(t *testing.T) {
			var out struct {
				X struct {
					Edges []struct {
						Cursor string
						Node   struct{ FullName string }
					}
				}
			}
			c.MustDo(`{ x: candidates(first: 5, orderBy: {field: FULL_NAME, direction: ASC}) { edges { cursor node { fullName } } } }`, nil, &out)
			for _, e := range out.X.Edges {
				raw, err := base64.RawStdEncoding.DecodeString(e.Cursor)
				if err != nil {
					t.Fatalf("cursor %q: %v", e.Cursor, err)
				}
				for _, word := range strings.Fields(e.Node.FullName) {
					if len(word) > 2 && bytes.Contains(raw, []byte(word)) {
						t.Errorf("cursor shows %q of the name", word)
					}
				}
			}
			// Another order's cursor, a made-up one and a tampered one.
			_, err := page(t, c, "candidates", map[string]any{"first": 2, "after": row(0), "orderBy": "{field: BIRTH_DATE, direction: ASC}"})
			wantCoded(t, "cursor of another order", err, "INVALID_CURSOR")
			_, err = page(t, c, "candidates", map[string]any{"first": 2, "after": "bm90IGEgY3Vyc29y"})
			wantCoded(t, "made-up cursor", err, "INVALID_CURSOR")
			raw, _ := base64.RawStdEncoding.DecodeString(row(3))
			raw[len(raw)-1] ^= 1
			_, err = page(t, c, "candidates", map[string]any{"first": 2, "after": base64.RawStdEncoding.EncodeToString(raw), "orderBy": order})
			wantCoded(t, "tampered cursor", err, "INVALID_CURSOR")
			_, err = page(t, c, "candidates", map[string]any{"first": 2, "last": 2})
			wantCoded(t, "first and last", err, "INVALID_PAGINATION")
		})
	})
}

// TestLoginSelectsOrganization is item 5: a VIEWER or an ANALYST signing in
// gets its token and its organization in the same answer.
func TestLoginSelectsOrganization(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		root := mkOrg(t, c, "LG-ROOT", "GRASSROOTS_COMMITTEE", "")
		var orgID int
		fmt.Sscan(root.ID, &orgID)
		for _, role := range []user.Role{user.RoleVIEWER, user.RoleANALYST} {
			name := strings.ToLower("login-" + string(role))
			if _, err := c.Auth.CreateUser(viewer.SystemContext(context.Background()), c.DB.Client, auth.NewUser{
				Username: name, Password: "mat-khau-dai-" + name, Role: role, OrganizationID: &orgID,
			}); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Login struct {
					Token string
					User  struct {
						Role         string
						Organization struct{ Code string }
					}
				}
			}
			err := c.Anonymous().Do(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { role organization { code } } } }`,
				map[string]any{"u": name, "p": "mat-khau-dai-" + name}, &out)
			if err != nil || out.Login.Token == "" || out.Login.User.Organization.Code != "LG-ROOT" {
				t.Errorf("%s login: %v %+v", role, err, out)
			}
		}
	})
}
