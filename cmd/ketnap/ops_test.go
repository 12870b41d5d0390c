package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"ketnap/internal/db/dbtest"
)

// TestRequestLogAndMetrics serves the embedded database with JSON logs and
// a metrics listener, and checks that each GraphQL request has one log line
// with its id, operation, outcome, statements and user, and no variables,
// token or password; that X-Request-ID is returned; and that /metrics
// reports the requests, the cache and the failed sign-in, to an ADMIN token
// on the main listener and without one on --metrics-addr.
func TestRequestLogAndMetrics(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	e := testEnv(nil, io.Discard)
	e.stderr = stderr
	done := make(chan error, 1)
	args := []string{"serve", "--db", dbtest.DSN(t, "sqlite"), "--addr", "127.0.0.1:0", "--demo",
		"--log-format", "json", "--log-level", "info", "--metrics-addr", metricsAddr}
	go func() { done <- run(ctx, args, e) }()
	addr := waitFor(t, stderr, done, regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`))

	post := func(body, token, reqID string) (string, http.Header) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if reqID != "" {
			req.Header.Set("X-Request-ID", reqID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header
	}
	const secretPassword = "not-the-password-42"
	if got, _ := post(`{"query":"mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }","operationName":"Login","variables":{"u":"admin","p":"`+secretPassword+`"}}`, "", "bad-login-1"); !strings.Contains(got, "errors") {
		t.Fatalf("wrong password answered %s", got)
	}
	login, _ := post(`{"query":"mutation { login(username: \"admin\", password: \"demo-admin-2026\") { token } }"}`, "", "")
	m := regexp.MustCompile(`"token":"([^"]+)"`).FindStringSubmatch(login)
	if m == nil {
		t.Fatalf("demo admin login answered %s", login)
	}
	token := m[1]
	const stats = `{"query":"query Dashboard($from: Date!) { stats(from: $from, to: \"2020-06-30\") { admitted } }","operationName":"Dashboard","variables":{"from":"2015-01-01"}}`
	for i := range 2 {
		body, h := post(stats, token, "dash-"+string(rune('a'+i)))
		if !strings.Contains(body, `"admitted"`) {
			t.Fatalf("stats answered %s", body)
		}
		if h.Get("X-Request-ID") != "dash-"+string(rune('a'+i)) {
			t.Errorf("X-Request-ID = %q", h.Get("X-Request-ID"))
		}
	}
	if _, h := post(stats, token, "bad id with spaces"); !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(h.Get("X-Request-ID")) {
		t.Errorf("an ill-formed X-Request-ID was not replaced: %q", h.Get("X-Request-ID"))
	}

	// The log: one "request" line per GraphQL request, as JSON.
	type line struct {
		Msg        string  `json:"msg"`
		RequestID  string  `json:"request_id"`
		Operation  string  `json:"operation"`
		Type       string  `json:"type"`
		Status     int     `json:"status"`
		Outcome    string  `json:"outcome"`
		Statements int64   `json:"statements"`
		CacheHit   bool    `json:"cache_hit"`
		UserID     int     `json:"user_id"`
		DurationMS float64 `json:"duration_ms"`
	}
	var reqs []line
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON log line: %s", sc.Text())
		}
		if l.Msg == "request" {
			reqs = append(reqs, l)
		}
	}
	if len(reqs) != 5 {
		t.Fatalf("%d request lines, want 5:\n%s", len(reqs), stderr)
	}
	if r := reqs[0]; r.RequestID != "bad-login-1" || r.Operation != "Login" || r.Type != "mutation" || r.Outcome == "ok" || r.UserID != 0 {
		t.Errorf("failed login logged as %+v", r)
	}
	if r := reqs[2]; r.RequestID != "dash-a" || r.Operation != "Dashboard" || r.Outcome != "ok" || r.UserID == 0 || r.Statements == 0 || r.CacheHit || r.Status != 200 {
		t.Errorf("first stats request logged as %+v", r)
	}
	// The first answer only teaches the cache the version; the second is
	// kept; the third is served from memory.
	if r := reqs[4]; !r.CacheHit || r.Statements > 3 {
		t.Errorf("third stats request logged as %+v, want a cache hit", r)
	}
	for _, secret := range []string{secretPassword, "demo-admin-2026", token, "2015-01-01"} {
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(l, `"msg":"request"`) && strings.Contains(l, secret) {
				t.Errorf("a request line holds a secret or a variable: %s", l)
			}
		}
	}

	// The metrics, on the main listener to an ADMIN only, and on --metrics-addr.
	get := func(url, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("http://"+addr+"/metrics", ""); code != http.StatusForbidden {
		t.Errorf("/metrics without a token = %d, want 403", code)
	}
	code, main := get("http://"+addr+"/metrics", token)
	if code != http.StatusOK {
		t.Fatalf("/metrics with an ADMIN token = %d", code)
	}
	code, side := get("http://"+metricsAddr+"/metrics", "")
	if code != http.StatusOK {
		t.Fatalf("--metrics-addr /metrics = %d", code)
	}
	for _, body := range []string{main, side} {
		for _, want := range []string{
			`ketnap_graphql_requests_total{operation="Dashboard",outcome="ok",type="query"} 3`,
			`ketnap_graphql_request_duration_seconds_count{operation="Dashboard",outcome="ok"} 3`,
			`ketnap_answer_cache_hits_total 1`,
			`ketnap_answer_cache_misses_total 2`,
			`ketnap_login_failures_total 1`,
			`ketnap_answer_cache_bytes `,
			`ketnap_answer_cache_evictions_total 0`,
			`ketnap_sql_statements_per_request_count 5`,
			`ketnap_sql_seconds_per_request_count 5`,
			`go_sql_open_connections{db_name="primary"}`,
			`ketnap_db_up{server="primary"} 1`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		if strings.Contains(body, secretPassword) || strings.Contains(body, "2015-01-01") || strings.Contains(body, "admin\"") {
			t.Errorf("/metrics holds a variable")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestOpsConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad log format", []string{"serve", "--log-format", "xml"}, nil, "--log-format/KETNAP_LOG_FORMAT"},
		{"bad log level env", []string{"serve"}, map[string]string{"KETNAP_LOG_LEVEL": "loud"}, "KETNAP_LOG_LEVEL"},
		{"bad lag env", []string{"serve"}, map[string]string{"KETNAP_REPLICA_MAX_LAG": "soon"}, "KETNAP_REPLICA_MAX_LAG"},
		{"lag too small", []string{"serve", "--replica-max-lag", "1ms"}, nil, "--replica-max-lag/KETNAP_REPLICA_MAX_LAG"},
		{"replica without postgres", []string{"serve", "--db-replica", "postgres://h/db"}, nil, "--db-replica/DATABASE_REPLICA_URLS"},
		{"bad replica env", []string{"serve", "--db", "postgres://h/db"}, map[string]string{"DATABASE_REPLICA_URLS": "mysql://x:secret@h/db"}, "DATABASE_REPLICA_URLS"},
		{"bad metrics addr", []string{"serve", "--metrics-addr", "9090"}, nil, "--metrics-addr/KETNAP_METRICS_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, testEnv(tt.env, io.Discard))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error echoes a password: %v", err)
			}
		})
	}
}
