package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ketnap/ent/accesslog"
	"ketnap/ent/token"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
)

// TestTokens checks that only live tokens of enabled users are accepted.
func TestTokens(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		ctx := viewer.SystemContext(context.Background())
		analyst := c.As(t, viewer.RoleAnalyst, f.a)
		issue := func(expires time.Time) string {
			tok, _, err := c.Auth.Issue(ctx, c.DB.Client, analyst.UserID, token.KindSESSION, "", expires)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		expired := issue(time.Now().Add(-time.Minute))
		revoked := issue(time.Now().Add(time.Hour))
		c.WithToken(revoked).MustDo(`mutation { logout }`, nil, nil)

		// An API token works like its owner, scoped the same.
		var api struct {
			CreateAPIToken struct {
				Token string `json:"token"`
			} `json:"createApiToken"`
		}
		analyst.MustDo(`mutation($at: Time!) { createApiToken(name: "xuất báo cáo", expiresAt: $at) { token } }`,
			map[string]any{"at": time.Now().Add(48 * time.Hour).Format(time.RFC3339)}, &api)
		ids, err := connIDs(t, c.WithToken(api.CreateAPIToken.Token), "candidates")
		if err != nil || len(ids) != 1 || ids[0] != f.ca {
			t.Fatalf("API token sees candidates %v (%v), want [%d]", ids, err, f.ca)
		}

		for name, tok := range map[string]string{
			"expired":   expired,
			"revoked":   revoked,
			"malformed": "not-a-token",
			"unknown":   "ketnap_" + strings.Repeat("A", 43),
		} {
			t.Run(name, func(t *testing.T) {
				if got := code(t, c.WithToken(tok).Do(`{ me { id } }`, nil, nil)); got != "UNAUTHENTICATED" {
					t.Fatalf("%s token: %q, want UNAUTHENTICATED", name, got)
				}
			})
		}
	})
}

// clock is a settable clock for the auth service.
// clock stands still but when advanced, so that a slow machine's real
// seconds never refill a rate limit in the middle of a test.
type clock struct {
	start  time.Time
	offset atomic.Int64
}

func newClock() *clock                   { return &clock{start: time.Now()} }
func (c *clock) now() time.Time          { return c.start.Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// TestLogin checks sign-in: a session that works, one error for an unknown
// user and a wrong password, and the rate limits.
func TestLogin(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		base := gqltest.New(t, dialect)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		clk := newClock()
		svc := auth.NewService(base.DB.Client, log, auth.WithClock(clk.now))
		c := gqltest.Serve(t, base.DB, server.Config{Auth: svc})
		ctx := viewer.SystemContext(context.Background())
		const password = "mật khẩu đủ dài"
		if _, err := svc.CreateUser(ctx, base.DB.Client, auth.NewUser{Username: "Lan.Nguyen", Password: password, Role: "ADMIN"}); err != nil {
			t.Fatal(err)
		}
		anon := c.Anonymous()
		type session struct {
			Login struct {
				Token     string    `json:"token"`
				ExpiresAt time.Time `json:"expiresAt"`
				User      struct {
					Username string `json:"username"`
				} `json:"user"`
			} `json:"login"`
		}
		login := func(user, pw string) (session, error) {
			var s session
			err := anon.Do(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { username } } }`,
				map[string]any{"u": user, "p": pw}, &s)
			return s, err
		}

		s, err := login(" lan.nguyen ", password)
		if err != nil {
			t.Fatal(err)
		}
		if s.Login.User.Username != "lan.nguyen" || s.Login.ExpiresAt.Sub(clk.now()) > auth.SessionTTL+time.Minute {
			t.Fatalf("session %+v", s)
		}
		var me struct {
			Me struct {
				Username string `json:"username"`
				Role     string `json:"role"`
			} `json:"me"`
		}
		c.WithToken(s.Login.Token).MustDo(`{ me { username role } }`, nil, &me)
		if me.Me.Username != "lan.nguyen" || me.Me.Role != "ADMIN" {
			t.Fatalf("me = %+v", me.Me)
		}
		// The session ends after 12 hours.
		clk.advance(auth.SessionTTL + time.Second)
		if got := code(t, c.WithToken(s.Login.Token).Do(`{ me { id } }`, nil, nil)); got != "UNAUTHENTICATED" {
			t.Fatalf("session after 12 h: %q", got)
		}

		_, unknown := login("no.such.user", password)
		_, wrong := login("lan.nguyen", "sai mật khẩu rồi")
		if unknown == nil || wrong == nil || unknown.Error() != wrong.Error() || code(t, unknown) != code(t, wrong) {
			t.Fatalf("unknown user %v and wrong password %v answer differently", unknown, wrong)
		}
		if code(t, wrong) != "UNAUTHENTICATED" {
			t.Fatalf("wrong password: %v", wrong)
		}

		// Per user: 5 attempts a minute, the wrong one above included; then
		// even the right password is refused until the bucket refills.
		for i := 0; i < 4; i++ {
			if _, err := login("lan.nguyen", "sai mật khẩu rồi"); code(t, err) != "UNAUTHENTICATED" {
				t.Fatalf("attempt %d: %v", i+2, err)
			}
		}
		if _, err := login("lan.nguyen", password); code(t, err) != string(auth.CodeRateLimited) {
			t.Fatalf("6th attempt: %v, want RATE_LIMITED", err)
		}
		clk.advance(time.Minute)
		if _, err := login("lan.nguyen", password); err != nil {
			t.Fatalf("after a minute: %v", err)
		}

		// Per address: 20 attempts a minute, whatever the usernames.
		clk.advance(time.Minute)
		for i := 0; i < auth.AddrAttemptsPerMinute; i++ {
			if _, err := login(fmt.Sprintf("user%d", i), "whatever-password"); code(t, err) != "UNAUTHENTICATED" {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if _, err := login("lan.nguyen", password); code(t, err) != string(auth.CodeRateLimited) {
			t.Fatalf("21st attempt from one address: %v, want RATE_LIMITED", err)
		}
	})
}

// TestRejectedBeforeSQL checks that abusive or unauthorized operations are
// refused before any SQL runs: the server sends no statement for them
// beyond the token lookup that every request with a token costs.
func TestRejectedBeforeSQL(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		analyst := c.As(t, viewer.RoleAnalyst, f.a)
		leader := c.As(t, viewer.RoleViewer, f.a)
		cost := func(cl *gqltest.Client, send func()) int64 {
			before := c.Statements()
			send()
			return c.Statements() - before
		}
		lookup := cost(analyst, func() { analyst.MustDo(`{ __typename }`, nil, nil) })
		if lookup == 0 {
			t.Fatal("the statement counter counts nothing")
		}

		var aliases strings.Builder
		aliases.WriteString("{")
		for i := 0; i < 500; i++ {
			fmt.Fprintf(&aliases, " a%d: me { id }", i)
		}
		aliases.WriteString(" }")
		deep := `{ organizations(first: 1) { edges { node { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } }`
		cases := []struct {
			name   string
			client *gqltest.Client
			query  string
			code   string
		}{
			{"deep", analyst, deep, string(server.CodeTooDeep)},
			{"first-100000", analyst, `{ candidates(first: 100000) { edges { node { id } } } }`, "INVALID_ARGUMENT"},
			{"500-aliases", analyst, aliases.String(), string(server.CodeTooManyAliases)},
			{"introspection", leader, `{ __schema { types { name } } }`, "FORBIDDEN"},
			{"introspection-type", leader, `{ __type(name: "Candidate") { fields { name } } }`, "FORBIDDEN"},
			{"complexity", analyst, `{ organizations(first: 1000) { edges { node { children(first: 1000) { edges { node { id } } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
			{"anonymous", c.Anonymous(), `{ organizations(first: 1) { totalCount } }`, "UNAUTHENTICATED"},
			{"anonymous-mutation", c.Anonymous(), `mutation { logout }`, "UNAUTHENTICATED"},
			{"anonymous-two-logins", c.Anonymous(), `mutation { a: login(username: "x", password: "y") { token } b: login(username: "x", password: "z") { token } }`, "UNAUTHENTICATED"},
			{"anonymous-introspection", c.Anonymous(), `{ __schema { types { name } } }`, "UNAUTHENTICATED"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var err error
				n := cost(tc.client, func() { err = tc.client.Do(tc.query, nil, nil) })
				if got := code(t, err); got != tc.code {
					t.Fatalf("error code %q, want %q (%v)", got, tc.code, err)
				}
				want := lookup
				if tc.client.Token == "" {
					want = 0
				}
				if n != want {
					t.Fatalf("%d statements, want %d (the token lookup only)", n, want)
				}
			})
		}
		t.Run("batch-of-100", func(t *testing.T) {
			batch := make([]map[string]any, 100)
			for i := range batch {
				batch[i] = map[string]any{"query": `{ candidates(first: 1) { totalCount } }`}
			}
			var status int
			var raw []byte
			n := cost(analyst, func() { status, raw = analyst.Post(mustJSON(t, batch)) })
			var r struct {
				Data   json.RawMessage `json:"data"`
				Errors gqltest.Errors  `json:"errors"`
			}
			_ = json.Unmarshal(raw, &r)
			if status < 400 || len(r.Errors) == 0 || len(r.Data) > 0 && string(r.Data) != "null" {
				t.Fatalf("a batch was answered: HTTP %d %s", status, raw)
			}
			if n != lookup {
				t.Fatalf("%d statements, want %d", n, lookup)
			}
		})
		t.Run("admin-and-analyst-introspection", func(t *testing.T) {
			for _, cl := range []*gqltest.Client{c, analyst} {
				var out struct {
					Schema struct {
						QueryType struct{ Name string } `json:"queryType"`
					} `json:"__schema"`
				}
				cl.MustDo(`{ __schema { queryType { name } } }`, nil, &out)
				if out.Schema.QueryType.Name != "Query" {
					t.Fatalf("introspection as ADMIN or ANALYST: %+v", out)
				}
			}
		})
		t.Run("dev-introspection", func(t *testing.T) {
			dev := gqltest.Serve(t, c.DB, server.Config{Dev: true}).As(t, viewer.RoleViewer, f.a)
			dev.MustDo(`{ __schema { queryType { name } } }`, nil, nil)
			if got := code(t, dev.Anonymous().Do(`{ __schema { queryType { name } } }`, nil, nil)); got != "UNAUTHENTICATED" {
				t.Fatalf("anonymous introspection in dev mode: %q", got)
			}
		})
	})
}

// TestAccessLog checks that each read of a person's record is logged once
// per request, with who, which person and which fields, and that refused
// reads, counts and system reads are not.
func TestAccessLog(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		analyst := c.As(t, viewer.RoleAnalyst, f.a)
		leader := c.As(t, viewer.RoleViewer, f.a)
		ctx := viewer.SystemContext(context.Background())
		logs := func(userID int) []string {
			t.Helper()
			rows, err := c.DB.Client.AccessLog.Query().Where(accesslog.UserID(userID)).Order(accesslog.ByID()).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]string, len(rows))
			for i, r := range rows {
				out[i] = fmt.Sprintf("%d %s %s %s", r.CandidateID, r.Entity, r.Fields, r.Operation)
			}
			// Resolvers run in parallel: the order within a request varies.
			slices.Sort(out)
			return out
		}

		analyst.MustDo(`query ListCandidates { candidates(first: 10) { edges { node { id fullName ethnicity } } } }`, nil, nil)
		analyst.MustDo(`query($id: ID!) { admissions(first: 10) { edges { node { decisionNo } } } node(id: $id) { ... on Candidate { fullName } } }`,
			map[string]any{"id": f.ca}, nil)
		analyst.MustDo(`{ candidates(first: 10) { totalCount } }`, nil, nil)
		got := logs(analyst.UserID)
		want := []string{
			fmt.Sprintf("%d CANDIDATE ethnicity,full_name,id ListCandidates", f.ca),
			fmt.Sprintf("%d ADMISSION decision_no,id ", f.ca),
			fmt.Sprintf("%d CANDIDATE full_name,id ", f.ca),
		}
		slices.Sort(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("analyst's access log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		if got := code(t, leader.Do(`{ candidates(first: 10) { edges { node { fullName } } } }`, nil, nil)); got != "FORBIDDEN" {
			t.Fatalf("viewer reading candidates: %q", got)
		}
		if got := logs(leader.UserID); len(got) != 0 {
			t.Fatalf("refused reads were logged: %v", got)
		}

		// An ADMIN's reads are logged too; reading the log is not a read of a person.
		c.MustDo(`{ candidates(first: 10) { edges { node { fullName } } } }`, nil, nil)
		if got := logs(c.UserID); len(got) != 2 {
			t.Fatalf("admin's reads: %v, want 2 rows", got)
		}
		var out struct {
			AccessLogs struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						User struct {
							Username string `json:"username"`
						} `json:"user"`
						CandidateID string `json:"candidateID"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"accessLogs"`
		}
		c.MustDo(`query($id: ID!) { accessLogs(first: 10, where: {candidateID: $id}, orderBy: {field: READ_AT}) {
			totalCount edges { node { user { username } candidateID } } } }`, map[string]any{"id": f.ca}, &out)
		if out.AccessLogs.TotalCount != 4 || out.AccessLogs.Edges[0].Node.CandidateID != gqltest.ID(f.ca) {
			t.Fatalf("accessLogs for ca: %+v", out.AccessLogs)
		}

		// System reads (CLI, seed) are not logged.
		before, _ := c.DB.Client.AccessLog.Query().Count(ctx)
		if _, err := c.DB.Client.Candidate.Query().All(ctx); err != nil {
			t.Fatal(err)
		}
		if after, _ := c.DB.Client.AccessLog.Query().Count(ctx); after != before {
			t.Fatalf("system read logged: %d → %d", before, after)
		}
	})
}

// TestDemoUsers checks demo mode's users: created once, scoped as
// announced, signing in with the published passwords.
func TestDemoUsers(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		ctx := context.Background()
		users, err := c.Auth.EnsureDemoUsers(ctx, c.DB.Client)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 3 || users[1].OrgCode != "ROOT" || users[2].OrgCode != "A" || users[0].Existed {
			t.Fatalf("demo users %+v", users)
		}
		again, err := c.Auth.EnsureDemoUsers(ctx, c.DB.Client)
		if err != nil || !again[0].Existed || !again[2].Existed {
			t.Fatalf("second run %+v %v", again, err)
		}
		var s struct {
			Login struct {
				Token string `json:"token"`
			} `json:"login"`
		}
		c.Anonymous().MustDo(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`,
			map[string]any{"u": users[2].Username, "p": users[2].Password}, &s)
		ids, err := connIDs(t, c.WithToken(s.Login.Token), "candidates")
		if err != nil || len(ids) != 1 || ids[0] != f.ca {
			t.Fatalf("demo analyst sees %v (%v), want [%d]", ids, err, f.ca)
		}
	})
}
