// Package gqltest runs GraphQL requests against ketnap's real HTTP handler on
// a real database (SQLite or PostgreSQL), for end-to-end tests.
package gqltest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ketnap/ent/db"
	"ketnap/ent/db/dbtest"
	"ketnap/graph/server"
)

// Client posts GraphQL requests to a test server.
type Client struct {
	t      testing.TB
	URL    string
	DB     *db.DB
	Header http.Header
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

// Serve starts the real handler over an open database.
func Serve(t testing.TB, d *db.DB, cfg ...server.Config) *Client {
	t.Helper()
	var c server.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	if c.Ready == nil {
		c.Ready = d.CheckCurrent
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testWriter{t}, nil))
	}
	srv := httptest.NewServer(server.New(d.Client, c, log))
	t.Cleanup(srv.Close)
	return &Client{t: t, URL: srv.URL, DB: d, Header: http.Header{}}
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
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors Errors          `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		c.t.Fatalf("decoding response (HTTP %d): %v: %s", resp.StatusCode, err, raw)
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

// Get performs a GET on path and returns the status code and body.
func (c *Client) Get(path string) (int, string) {
	c.t.Helper()
	resp, err := http.Get(c.URL + path)
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
