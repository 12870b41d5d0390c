package server_test

import (
	"fmt"
	"testing"
	"time"

	"ketnap/graph/gqltest"
)

// TestMutationMatrix checks every mutation for every role, inside and
// outside the scope: an ADMIN may do everything, an ANALYST only inside A's
// subtree, a VIEWER nothing but its own session, and nobody anything
// without a token but log in.
func TestMutationMatrix(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		cs := clients(t, c, f)
		other := c.As(t, "ANALYST", f.a) // the target of user administration
		const (
			ok        = ""
			forbidden = "FORBIDDEN"
			unauth    = "UNAUTHENTICATED"
			notFound  = "NOT_FOUND"
		)
		orgInput := func(role, name string, parent int) map[string]any {
			in := map[string]any{"code": "N-" + role + "-" + name, "name": "Mới " + name, "kind": "BRANCH",
				"sector": "OTHER", "foundedOn": "2025-01-01"}
			if parent != 0 {
				in["parentID"] = parent
			}
			return map[string]any{"input": in}
		}
		const createOrg = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`
		const updateOrg = `mutation($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { id } }`
		const createPlan = `mutation($input: CreateAnnualPlanInput!) { createAnnualPlan(input: $input) { id } }`
		const updatePlan = `mutation($id: ID!, $input: UpdateAnnualPlanInput!) { updateAnnualPlan(id: $id, input: $input) { id } }`
		year := map[string]int{"admin": 2030, "analyst": 2031, "viewer": 2032, "anon": 2033}
		all := func(code string) map[string]string {
			return map[string]string{"admin": ok, "analyst": code, "viewer": forbidden, "anon": unauth}
		}
		cases := []struct {
			name  string
			query string
			vars  func(role string) map[string]any
			want  map[string]string
		}{
			{"createOrganization/in-scope", createOrg,
				func(role string) map[string]any { return orgInput(role, "in", f.a1) }, all(ok)},
			{"createOrganization/out-of-scope", createOrg,
				func(role string) map[string]any { return orgInput(role, "out", f.b) }, all(forbidden)},
			{"createOrganization/root", createOrg,
				func(role string) map[string]any { return orgInput(role, "root", 0) }, all(forbidden)},
			{"updateOrganization/in-scope", updateOrg,
				func(string) map[string]any {
					return map[string]any{"id": f.a1, "input": map[string]any{"name": "Chi bộ A1"}}
				}, all(ok)},
			{"updateOrganization/above-scope", updateOrg,
				func(string) map[string]any {
					return map[string]any{"id": f.root, "input": map[string]any{"name": "Đảng bộ khối"}}
				}, all(notFound)},
			{"updateOrganization/out-of-scope", updateOrg,
				func(string) map[string]any {
					return map[string]any{"id": f.b, "input": map[string]any{"name": "B mới"}}
				}, all(notFound)},
			{"updateOrganization/move-out", updateOrg,
				func(role string) map[string]any {
					return map[string]any{"id": f.leaf[role], "input": map[string]any{"parentID": f.b}}
				}, all(forbidden)},
			{"updateOrganization/make-root", updateOrg,
				func(role string) map[string]any {
					return map[string]any{"id": f.a1, "input": map[string]any{"clearParent": true}}
				}, map[string]string{"admin": "skip", "analyst": forbidden, "viewer": forbidden, "anon": unauth}},
			{"deleteOrganization/in-scope", `mutation($id: ID!) { deleteOrganization(id: $id) }`,
				func(role string) map[string]any { return map[string]any{"id": f.leaf[role]} }, all(ok)},
			{"deleteOrganization/out-of-scope", `mutation($id: ID!) { deleteOrganization(id: $id) }`,
				func(string) map[string]any { return map[string]any{"id": f.b} },
				map[string]string{"admin": "HAS_CHILDREN", "analyst": notFound, "viewer": forbidden, "anon": unauth}},
			{"createAnnualPlan/in-scope", createPlan,
				func(role string) map[string]any {
					return map[string]any{"input": map[string]any{"organizationID": f.a, "year": year[role], "admissionTarget": 5}}
				}, all(ok)},
			{"createAnnualPlan/out-of-scope", createPlan,
				func(role string) map[string]any {
					return map[string]any{"input": map[string]any{"organizationID": f.b, "year": year[role], "admissionTarget": 5}}
				}, all(forbidden)},
			{"updateAnnualPlan/in-scope", updatePlan,
				func(string) map[string]any {
					return map[string]any{"id": f.pa, "input": map[string]any{"admissionTarget": 7}}
				}, all(ok)},
			{"updateAnnualPlan/out-of-scope", updatePlan,
				func(string) map[string]any {
					return map[string]any{"id": f.pb, "input": map[string]any{"admissionTarget": 7}}
				}, all(notFound)},
			{"updateAnnualPlan/move-out", updatePlan,
				func(string) map[string]any {
					return map[string]any{"id": f.pa, "input": map[string]any{"organizationID": f.b}}
				},
				map[string]string{"admin": "skip", "analyst": forbidden, "viewer": forbidden, "anon": unauth}},
			{"createUser", `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
				func(role string) map[string]any {
					return map[string]any{"input": map[string]any{"username": "new-" + role, "password": "mật-khẩu-dài-đủ", "role": "ANALYST", "organizationID": f.a}}
				}, all(forbidden)},
			{"setPassword", `mutation($id: ID!) { setPassword(id: $id, password: "mật-khẩu-mới-123") { id } }`,
				func(string) map[string]any { return map[string]any{"id": other.UserID} }, all(forbidden)},
			{"createApiToken", `mutation($at: Time!) { createApiToken(name: "báo cáo", expiresAt: $at) { token apiToken { id } } }`,
				func(string) map[string]any {
					return map[string]any{"at": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}
				},
				map[string]string{"admin": ok, "analyst": ok, "viewer": forbidden, "anon": unauth}},
			{"disableUser", `mutation($id: ID!) { disableUser(id: $id) { id disabled } }`,
				func(string) map[string]any { return map[string]any{"id": other.UserID} },
				map[string]string{"admin": "last", "analyst": forbidden, "viewer": forbidden, "anon": unauth}},
		}
		for _, tc := range cases {
			for _, role := range roles {
				want := tc.want[role]
				if want == "skip" || want == "last" {
					continue
				}
				t.Run(tc.name+"/"+role, func(t *testing.T) {
					err := cs[role].Do(tc.query, tc.vars(role), nil)
					if got := code(t, err); got != want {
						t.Fatalf("error code %q, want %q (%v)", got, want, err)
					}
				})
			}
		}
		// The refused mutations changed nothing.
		var b struct {
			Node struct {
				Name string `json:"name"`
			} `json:"node"`
		}
		c.MustDo(`query($id: ID!) { node(id: $id) { ... on Organization { name } } }`, map[string]any{"id": f.b}, &b)
		if b.Node.Name != "B mới" {
			t.Errorf("B is named %q, want the admin's rename only", b.Node.Name)
		}
		// Everyone may end their own session.
		for _, role := range []string{"analyst", "viewer"} {
			t.Run("logout/"+role, func(t *testing.T) {
				var out struct{ Logout bool }
				if err := cs[role].Do(`mutation { logout }`, nil, &out); err != nil || !out.Logout {
					t.Fatalf("logout: %v %v", out, err)
				}
				if got := code(t, cs[role].Do(`{ me { id } }`, nil, nil)); got != unauth {
					t.Fatalf("after logout: %q, want %q", got, unauth)
				}
			})
		}
		t.Run("disableUser/admin", func(t *testing.T) {
			analyst := c.As(t, "ANALYST", f.a)
			analyst.MustDo(`{ me { id } }`, nil, nil)
			c.MustDo(fmt.Sprintf(`mutation { disableUser(id: %d) { disabled } }`, analyst.UserID), nil, nil)
			if got := code(t, analyst.Do(`{ me { id } }`, nil, nil)); got != unauth {
				t.Fatalf("disabled user's token: %q, want %q", got, unauth)
			}
			if got := code(t, c.Do(fmt.Sprintf(`mutation { disableUser(id: %d) { disabled } }`, c.UserID), nil, nil)); got != "INVALID_ARGUMENT" {
				t.Fatalf("admin disabling themselves: %q", got)
			}
		})
	})
}
