package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
)

// The roles of the matrix: an ADMIN, an ANALYST and a VIEWER scoped to
// organization A, and a request without a token.
var roles = []string{"admin", "analyst", "viewer", "anon"}

// clients returns one client per role, on the same server.
func clients(t *testing.T, c *gqltest.Client, f *fixture) map[string]*gqltest.Client {
	return map[string]*gqltest.Client{
		"admin":   c,
		"analyst": c.As(t, viewer.RoleAnalyst, f.a),
		"viewer":  c.As(t, viewer.RoleViewer, f.a),
		"anon":    c.Anonymous(),
	}
}

// code returns the error code of err, or "" when it is nil.
func code(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var errs gqltest.Errors
	if e, ok := err.(gqltest.Errors); ok {
		errs = e
	}
	if len(errs) == 0 {
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
	return errs.Code()
}

// connIDs runs a connection query on root field and returns its node ids.
func connIDs(t *testing.T, c *gqltest.Client, field string) ([]int, error) {
	t.Helper()
	var out map[string]struct {
		Edges []struct {
			Node struct {
				ID string `json:"id"`
			} `json:"node"`
		} `json:"edges"`
	}
	if err := c.Do(fmt.Sprintf(`{ %s(first: 1000) { edges { node { id } } } }`, field), nil, &out); err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range out[field].Edges {
		var id int
		fmt.Sscan(e.Node.ID, &id)
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func sorted(ids ...int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// TestQueryMatrix checks every query root for every role: exactly the rows
// in scope, personal records refused to a VIEWER, everything refused
// without a token.
func TestQueryMatrix(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		cs := clients(t, c, f)
		type want struct {
			ids  []int
			code string
		}
		const (
			forbidden = "FORBIDDEN"
			unauth    = "UNAUTHENTICATED"
		)
		scopedOrgs := sorted(f.root, f.a, f.a1, f.leaf["admin"], f.leaf["analyst"], f.leaf["viewer"], f.leaf["anon"])
		allOrgs := sorted(append(scopedOrgs, f.b)...)
		cases := []struct {
			field string
			want  map[string]want
		}{
			{"organizations", map[string]want{
				"admin": {ids: allOrgs}, "analyst": {ids: scopedOrgs}, "viewer": {ids: scopedOrgs}, "anon": {code: unauth}}},
			{"trainingClasses", map[string]want{
				"admin": {ids: sorted(f.classR, f.classA, f.classB)}, "analyst": {ids: sorted(f.classR, f.classA)},
				"viewer": {ids: sorted(f.classR, f.classA)}, "anon": {code: unauth}}},
			{"annualPlans", map[string]want{
				"admin": {ids: sorted(f.pa, f.pb)}, "analyst": {ids: []int{f.pa}}, "viewer": {ids: []int{f.pa}}, "anon": {code: unauth}}},
			{"candidates", map[string]want{
				"admin": {ids: sorted(f.ca, f.cb)}, "analyst": {ids: []int{f.ca}}, "viewer": {code: forbidden}, "anon": {code: unauth}}},
			{"admissions", map[string]want{
				"admin": {ids: sorted(f.aa, f.ab)}, "analyst": {ids: []int{f.aa}}, "viewer": {code: forbidden}, "anon": {code: unauth}}},
			{"enrollments", map[string]want{
				"admin": {ids: sorted(f.ea, f.eb)}, "analyst": {ids: []int{f.ea}}, "viewer": {code: forbidden}, "anon": {code: unauth}}},
			{"disciplinaryActions", map[string]want{
				"admin": {ids: sorted(f.da, f.db)}, "analyst": {ids: []int{f.da}}, "viewer": {code: forbidden}, "anon": {code: unauth}}},
			{"users", map[string]want{
				"admin":   {ids: sorted(c.UserID, cs["analyst"].UserID, cs["viewer"].UserID)},
				"analyst": {ids: []int{cs["analyst"].UserID}}, "viewer": {ids: []int{cs["viewer"].UserID}}, "anon": {code: unauth}}},
			{"accessLogs", map[string]want{
				"admin": {ids: nil}, "analyst": {code: forbidden}, "viewer": {code: forbidden}, "anon": {code: unauth}}},
		}
		for _, tc := range cases {
			for _, role := range roles {
				t.Run(tc.field+"/"+role, func(t *testing.T) {
					w := tc.want[role]
					ids, err := connIDs(t, cs[role], tc.field)
					if got := code(t, err); got != w.code {
						t.Fatalf("error code %q, want %q (%v)", got, w.code, err)
					}
					if w.code == "" && tc.field != "accessLogs" && !slices.Equal(ids, w.ids) {
						t.Errorf("ids %v, want %v", ids, w.ids)
					}
				})
			}
		}

		// node(id): rows in scope resolve, rows out of scope are not found,
		// personal rows are refused to a VIEWER wherever they are.
		type row struct {
			name     string
			id       int
			inScope  bool
			personal bool
		}
		rows := []row{
			{"root", f.root, true, false}, {"a", f.a, true, false}, {"a1", f.a1, true, false}, {"b", f.b, false, false},
			{"classR", f.classR, true, false}, {"classA", f.classA, true, false}, {"classB", f.classB, false, false},
			{"pa", f.pa, true, false}, {"pb", f.pb, false, false},
			{"ca", f.ca, true, true}, {"cb", f.cb, false, true},
			{"aa", f.aa, true, true}, {"ab", f.ab, false, true},
			{"ea", f.ea, true, true}, {"eb", f.eb, false, true},
			{"da", f.da, true, true}, {"db", f.db, false, true},
		}
		for _, r := range rows {
			for _, role := range roles {
				t.Run("node/"+r.name+"/"+role, func(t *testing.T) {
					var want string
					switch {
					case role == "anon":
						want = unauth
					case role == "admin":
					case role == "viewer" && r.personal:
						want = forbidden
					case !r.inScope:
						want = "NOT_FOUND"
					}
					var out struct {
						Node *struct {
							ID string `json:"id"`
						} `json:"node"`
					}
					err := cs[role].Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": r.id}, &out)
					if got := code(t, err); got != want {
						t.Fatalf("error code %q, want %q (%v)", got, want, err)
					}
					if want == "" && (out.Node == nil || out.Node.ID != gqltest.ID(r.id)) {
						t.Fatalf("node %+v, want id %d", out.Node, r.id)
					}
				})
			}
		}

		// me tells a client its role and scope.
		for _, role := range []string{"analyst", "viewer"} {
			t.Run("me/"+role, func(t *testing.T) {
				var out struct {
					Me struct {
						Role         string `json:"role"`
						Organization struct {
							Code string `json:"code"`
						} `json:"organization"`
					} `json:"me"`
				}
				if err := cs[role].Do(`{ me { role organization { code } } }`, nil, &out); err != nil {
					t.Fatal(err)
				}
				if out.Me.Role != strings.ToUpper(role) || out.Me.Organization.Code != "A" {
					t.Fatalf("me = %+v", out.Me)
				}
			})
		}

		// nodes(ids) answers each id on its own.
		t.Run("nodes/analyst", func(t *testing.T) {
			var out struct {
				Nodes []*struct {
					ID string `json:"id"`
				} `json:"nodes"`
			}
			status, raw := cs["analyst"].Post(mustJSON(t, map[string]any{
				"query":     `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
				"variables": map[string]any{"ids": []int{f.ca, f.cb}},
			}))
			var r struct {
				Data   json.RawMessage `json:"data"`
				Errors gqltest.Errors  `json:"errors"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("HTTP %d: %s", status, raw)
			}
			_ = json.Unmarshal(r.Data, &out)
			if len(out.Nodes) != 2 || out.Nodes[0] == nil || out.Nodes[0].ID != gqltest.ID(f.ca) || out.Nodes[1] != nil {
				t.Fatalf("nodes %s, want ca and null", r.Data)
			}
			if strings.Contains(string(raw), nameB) {
				t.Fatal("an out-of-scope person reached the analyst")
			}
		})

		// Nested edges obey the same scope: ROOT's subtree seen from A.
		t.Run("nested/analyst", func(t *testing.T) {
			var out struct {
				Node struct {
					Candidates struct {
						TotalCount int `json:"totalCount"`
					} `json:"candidates"`
					Children struct {
						TotalCount int `json:"totalCount"`
					} `json:"children"`
				} `json:"node"`
			}
			err := cs["analyst"].Do(`query($id: ID!) { node(id: $id) { ... on Organization {
				candidates(first: 10) { totalCount } children(first: 10) { totalCount } } } }`,
				map[string]any{"id": f.root}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if out.Node.Children.TotalCount != 1 {
				t.Errorf("ROOT shows %d children to A's analyst, want 1 (A)", out.Node.Children.TotalCount)
			}
			if out.Node.Candidates.TotalCount != 0 {
				t.Errorf("ROOT shows %d candidates of its own to A's analyst, want 0", out.Node.Candidates.TotalCount)
			}
		})

		// A VIEWER gets no personal field by any path.
		t.Run("viewer/no-personal-data", func(t *testing.T) {
			queries := []string{
				`{ organizations(first: 100) { edges { node { id candidates(first: 10) { edges { node { fullName ethnicity religion } } } } } } }`,
				`{ organizations(first: 100) { edges { node { id admissions(first: 10) { edges { node { candidate { fullName } } } } } } } }`,
				`{ trainingClasses(first: 10) { edges { node { id candidates { fullName } } } } }`,
				`{ trainingClasses(first: 10) { edges { node { id enrollments { candidate { fullName } } } } } }`,
				fmt.Sprintf(`{ node(id: %d) { ... on Candidate { fullName ethnicity religion } } }`, f.cb),
				fmt.Sprintf(`{ nodes(ids: [%d, %d, %d]) { ... on Candidate { fullName } ... on Admission { decisionNo } } }`, f.ca, f.cb, f.aa),
			}
			for _, q := range queries {
				_, raw := cs["viewer"].Post(mustJSON(t, map[string]any{"query": q}))
				for _, secret := range []string{nameA, nameB, ethnicB, faithB, "12-QĐ"} {
					if strings.Contains(string(raw), secret) {
						t.Fatalf("personal data %q reached a VIEWER: %s", secret, raw)
					}
				}
				if !strings.Contains(string(raw), "FORBIDDEN") {
					t.Errorf("no FORBIDDEN error for %s: %s", q, raw)
				}
			}
		})
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
