// Package gqltest runs GraphQL requests against ketnap's real HTTP handler on
// a real database (SQLite or PostgreSQL), for end-to-end tests.
package gqltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"ketnap/ent"
	"ketnap/ent/token"
	"ketnap/ent/user"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

// Client posts GraphQL requests to a test server, as one user: New and
// Serve sign in a fresh ADMIN; As, Anonymous and WithToken give clients
// acting otherwise on the same server.
type Client struct {
	t   testing.TB
	URL string
	// Server is the ent client the handler runs on (over DB's driver, with
	// statement counting): hooks installed on it reach the server's writes.
	// Username is the signed-in user's name (empty when anonymous).
	Username string
	Server   *ent.Client
	DB       *db.DB
	Header   http.Header
	// UserID is the user the client acts as; 0 when anonymous.
	UserID int
	// Token is the client's bearer token; empty when anonymous.
	Token string
	// Auth is the server's auth service, for issuing tokens in tests.
	Auth *auth.Service

	statements *atomic.Int64
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Errors is the error list of a response.
type Errors []Error

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, x := range e {
		msgs[i] = x.Message
	}
	return strings.Join(msgs, "; ")
}

// Code returns the code of the first error.
func (e Errors) Code() string {
	if len(e) == 0 {
		return ""
	}
	c, _ := e[0].Extensions["code"].(string)
	return c
}

// Field returns the field named by the first error.
func (e Errors) Field() string {
	if len(e) == 0 {
		return ""
	}
	f, _ := e[0].Extensions["field"].(string)
	return f
}

// New starts the real handler on a fresh, migrated database of the dialect,
// listening on 127.0.0.1 and closed when the test ends.
func New(t testing.TB, dialect string, cfg ...server.Config) *Client {
	t.Helper()
	d := dbtest.Open(t, dialect)
	return Serve(t, d, cfg...)
}

// Serve starts the real handler over an open database, and signs in a new
// ADMIN user for the client it returns. The server's ent client counts the
// SQL statements it sends (see Statements).
func Serve(t testing.TB, d *db.DB, cfg ...server.Config) *Client {
	t.Helper()
	var c server.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	if c.Ready == nil {
		c.Ready = d.CheckCurrent
	}
	if c.Dialect == "" {
		c.Dialect = d.Dialect
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testWriter{t}, nil))
	}
	n := &atomic.Int64{}
	counted := ent.NewClient(ent.Driver(dialect.DebugWithContext(d.Driver, func(context.Context, ...any) { n.Add(1) })))
	if c.Auth == nil {
		// Cheap hashes: tests create many users; the parameters are stored
		// in each hash, so verification is unchanged.
		// Every request asks the database for its token here, so that the
		// statement-counting tests count the same whatever their pace; the
		// cache of verified tokens has its own tests (internal/auth).
		c.Auth = auth.NewService(counted, log, auth.WithParams(testParams()), auth.WithVerifiedTTL(0))
	}
	srv := httptest.NewServer(server.New(counted, c, log))
	t.Cleanup(srv.Close)
	base := &Client{t: t, URL: srv.URL, DB: d, Server: counted, Header: http.Header{}, Auth: c.Auth, statements: n}
	return base.As(t, viewer.RoleAdmin, 0)
}

func testParams() auth.Params {
	p := auth.DefaultParams()
	p.Memory, p.Time = 1024, 1
	return p
}

// Statements returns the number of SQL statements (and transaction begins
// and ends) the server has sent so far, for tests that bound them.
func (c *Client) Statements() int64 { return c.statements.Load() }

// As returns a client acting as a new user of role, scoped to the subtree of
// orgID (0 for an ADMIN), signed in with a fresh session token.
func (c *Client) As(t testing.TB, role viewer.Role, orgID int) *Client {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	var org *int
	if orgID != 0 {
		org = &orgID
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	suffix := hex.EncodeToString(buf)
	u, err := c.Auth.CreateUser(ctx, c.DB.Client, auth.NewUser{
		Username:       strings.ToLower("gqltest-" + string(role) + "-" + suffix),
		Password:       "gqltest-password-" + suffix,
		Role:           user.Role(role),
		OrganizationID: org,
	})
	if err != nil {
		t.Fatalf("creating %s user: %v", role, err)
	}
	tok, _, err := c.Auth.Issue(ctx, c.DB.Client, u.ID, token.KindSESSION, "", c.Auth.Now().Add(auth.SessionTTL))
	if err != nil {
		t.Fatalf("issuing token: %v", err)
	}
	out := c.WithToken(tok)
	out.UserID = u.ID
	out.Username = u.Username
	return out
}

// WithToken returns a client sending tok as its bearer token.
func (c *Client) WithToken(tok string) *Client {
	out := *c
	out.Header = c.Header.Clone()
	out.Header.Set("Authorization", "Bearer "+tok)
	out.Token, out.UserID = tok, 0
	return &out
}

// Anonymous returns a client that sends no token.
func (c *Client) Anonymous() *Client {
	out := *c
	out.Header = c.Header.Clone()
	out.Header.Del("Authorization")
	out.Token, out.UserID = "", 0
	return &out
}

// Post sends body as is to /query and returns the status and the body of
// the answer, for requests Do cannot express (batches, malformed bodies).
func (c *Client) Post(body []byte) (int, []byte) {
	c.t.Helper()
	return c.post(context.Background(), body)
}

func (c *Client) post(ctx context.Context, body []byte) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/query", bytes.NewReader(body))
	if err != nil {
		c.t.Fatalf("building request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.Header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("posting query: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("reading response: %v", err)
	}
	return resp.StatusCode, raw
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Do posts a query with variables and decodes data into out. It returns the
// GraphQL errors, if any, as Errors; transport failures fail the test.
func (c *Client) Do(query string, vars map[string]any, out any) error {
	c.t.Helper()
	return c.DoContext(context.Background(), query, vars, out)
}

// DoContext is Do with a context.
func (c *Client) DoContext(ctx context.Context, query string, vars map[string]any, out any) error {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		c.t.Fatalf("encoding request: %v", err)
	}
	status, raw := c.post(ctx, body)
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors Errors          `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		c.t.Fatalf("decoding response (HTTP %d): %v: %s", status, err, raw)
	}
	if len(r.Errors) > 0 {
		return r.Errors
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			c.t.Fatalf("decoding data: %v: %s", err, r.Data)
		}
	}
	return nil
}

// MustDo is Do that fails the test on any GraphQL error.
func (c *Client) MustDo(query string, vars map[string]any, out any) {
	c.t.Helper()
	if err := c.Do(query, vars, out); err != nil {
		c.t.Fatalf("query failed: %v\n%s", err, query)
	}
}

// Get performs a GET on path, with the client's headers, and returns the
// status code and body.
func (c *Client) Get(path string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.URL+path, nil)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// ForEachDialect runs fn as a subtest on SQLite and on PostgreSQL.
func ForEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// ID formats an id the way GraphQL returns it.
func ID(id int) string { return fmt.Sprint(id) }
