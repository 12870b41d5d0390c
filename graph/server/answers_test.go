package server_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
)

// answerQuery is a statistics query of the dashboard's kind.
const answerQuery = `query($org: ID, $from: Date!, $to: Date!) {
  stats(org: $org, from: $from, to: $to) {
    organization { id name }
    admitted
    gender: breakdown(by: GENDER) { key label count }
    children { organization { id name } admitted }
  }
}`

// asked sends q and returns its data and the number of statements it ran
// besides the token lookup (base).
func asked(t *testing.T, c *gqltest.Client, q string, vars map[string]any, base int64) (string, int64) {
	t.Helper()
	before := c.Statements()
	var out json.RawMessage
	c.MustDo(q, vars, &out)
	return string(out), c.Statements() - before - base
}

// answerSetup returns a client over the fixture, its statements per request
// and the variables of answerQuery for the fixture's root over 2024.
func answerSetup(t *testing.T, dialect string) (*gqltest.Client, *fixture, int64, map[string]any) {
	t.Helper()
	c := gqltest.New(t, dialect)
	f := buildFixture(t, c)
	return c, f, tokenStatements(t, c), map[string]any{"org": gqltest.ID(f.root), "from": "2024-01-01", "to": "2024-12-31"}
}

// tokenStatements is what any request costs: the token lookup.
func tokenStatements(t *testing.T, c *gqltest.Client) int64 {
	t.Helper()
	before := c.Statements()
	c.MustDo(`{ __typename }`, nil, nil)
	return c.Statements() - before
}

// TestAnswerCache checks that a statistics answer, once the data version is
// known, is kept and served for one statement (the data version) while the data is
// unchanged, and that every kind of change is seen at once: an API
// mutation, a write through ent, and SQL from elsewhere (another process),
// caught by the database triggers.
func TestAnswerCache(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c, f, base, vars := answerSetup(t, dialect)

		first, n1 := asked(t, c, answerQuery, vars, base)
		second, n2 := asked(t, c, answerQuery, vars, base)
		third, n3 := asked(t, c, answerQuery, vars, base)
		if first != second || second != third {
			t.Fatalf("answers differ:\n%s\n%s\n%s", first, second, third)
		}
		if n2 != n1 {
			// The first request learns the data version (read after the
			// answer); the second is computed at that version and kept.
			t.Errorf("second request: %d statements, want the first's %d", n2, n1)
		}
		if n3 != 1 {
			t.Errorf("third request: %d statements, want 1 (the version read)", n3)
		}

		// A mutation through the API.
		c.MustDo(`mutation($id: ID!) { updateOrganization(id: $id, input: {name: "Đảng bộ mới"}) { id } }`,
			map[string]any{"id": gqltest.ID(f.root)}, nil)
		renamed, n := asked(t, c, answerQuery, vars, base)
		if renamed == third || n <= 1 {
			t.Fatalf("after a mutation: the old answer (%d statements): %s", n, renamed)
		}
		var got struct {
			Stats struct {
				Organization struct{ Name string }
				Admitted     int
			}
		}
		mustDecode(t, renamed, &got)
		if got.Stats.Organization.Name != "Đảng bộ mới" {
			t.Fatalf("after a mutation: name %q", got.Stats.Organization.Name)
		}
		admitted := got.Stats.Admitted

		// A write through ent (the path of the workflow and the importer).
		asked(t, c, answerQuery, vars, base) // kept again
		ctx := viewer.SystemContext(t.Context())
		if err := c.DB.Client.DisciplinaryAction.DeleteOneID(f.db).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.DB.Client.Admission.DeleteOneID(f.ab).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := asked(t, c, answerQuery, vars, base)
		mustDecode(t, after, &got)
		if got.Stats.Admitted != admitted-1 {
			t.Fatalf("after deleting an admission: admitted %d, want %d", got.Stats.Admitted, admitted-1)
		}

		// SQL from elsewhere, bypassing ent.
		asked(t, c, answerQuery, vars, base)
		if _, err := c.DB.SQL.ExecContext(ctx, "UPDATE organizations SET name = 'Đổi bằng SQL' WHERE id = "+strconv.Itoa(f.root)); err != nil {
			t.Fatal(err)
		}
		after, n = asked(t, c, answerQuery, vars, base)
		mustDecode(t, after, &got)
		if got.Stats.Organization.Name != "Đổi bằng SQL" || n <= 1 {
			t.Fatalf("after SQL from elsewhere: name %q (%d statements)", got.Stats.Organization.Name, n)
		}
	})
}

// TestAnswerCacheKeys checks that an answer is shared only by requests
// that would get the same: same variables, language, role and scope; that
// errors and personal reads are never kept; and that the cache can be off.
func TestAnswerCacheKeys(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c, f, base, vars := answerSetup(t, dialect)
		for range 3 {
			asked(t, c, answerQuery, vars, base)
		}
		if _, n := asked(t, c, answerQuery, vars, base); n != 1 {
			t.Fatalf("kept answer: %d statements, want 1", n)
		}

		// Other variables: computed.
		other := map[string]any{"org": gqltest.ID(f.root), "from": "2024-01-01", "to": "2024-06-30"}
		if _, n := asked(t, c, answerQuery, other, base); n <= 1 {
			t.Errorf("other period: %d statements, want the whole computation", n)
		}

		// English: computed, with English labels.
		en := *c
		en.Header = c.Header.Clone()
		en.Header.Set("Accept-Language", "en")
		vi, _ := asked(t, c, answerQuery, vars, base)
		eng, n := asked(t, &en, answerQuery, vars, base)
		if eng == vi || n <= 1 {
			t.Errorf("English request answered from the Vietnamese answer (%d statements)", n)
		}

		// A viewer scoped to A asking for the root is refused, every time,
		// although an ADMIN's answer for the root is kept.
		v := c.As(t, viewer.RoleViewer, f.a)
		for range 3 {
			err := v.Do(answerQuery, vars, nil)
			if code(t, err) != "FORBIDDEN" {
				t.Fatalf("scoped viewer asking for the root: %v, want FORBIDDEN", err)
			}
		}

		// Personal records are never kept: their reads are checked and
		// logged each time.
		const personal = `query($org: ID!) { stats(org: $org, from: "2024-01-01", to: "2024-12-31") {
			organization { candidates(first: 5) { totalCount edges { node { fullName } } } } } }`
		for i := range 3 {
			if _, n := asked(t, c, personal, map[string]any{"org": gqltest.ID(f.a1)}, base); n <= 1 {
				t.Fatalf("personal read %d: %d statements, want it run", i+1, n)
			}
		}

		// Off.
		off := gqltest.Serve(t, c.DB, server.Config{AnswerCacheBytes: -1})
		offBase := tokenStatements(t, off)
		for i := range 3 {
			if _, n := asked(t, off, answerQuery, vars, offBase); n <= 1 {
				t.Fatalf("cache off, request %d: %d statements", i+1, n)
			}
		}
	})
}

func mustDecode(t *testing.T, data string, out any) {
	t.Helper()
	if err := json.Unmarshal([]byte(data), out); err != nil {
		t.Fatal(err)
	}
}
