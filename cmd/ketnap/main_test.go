package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// syncBuffer is a log sink safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(vars map[string]string, logs io.Writer) env {
	return env{
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: func(k string) string { return vars[k] },
		log:    slog.New(slog.NewTextHandler(logs, nil)),
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad addr flag", []string{"serve", "--addr", "8080"}, nil, "--addr/KETNAP_ADDR"},
		{"bad addr env", []string{"serve"}, map[string]string{"KETNAP_ADDR": "localhost"}, "KETNAP_ADDR"},
		{"bad port", []string{"serve", "--addr", ":99999"}, nil, "--addr/KETNAP_ADDR"},
		{"bad dev env", []string{"serve"}, map[string]string{"KETNAP_DEV": "maybe"}, "KETNAP_DEV"},
		{"wildcard origin", []string{"serve", "--cors-origin", "*"}, nil, "KETNAP_CORS_ORIGINS"},
		{"bad origin env", []string{"serve"}, map[string]string{"KETNAP_CORS_ORIGINS": "example.org"}, "KETNAP_CORS_ORIGINS"},
		{"bad db", []string{"migrate", "--db", "mysql://x"}, nil, "DATABASE_URL"},
		{"unknown command", []string{"frobnicate"}, nil, "unknown command"},
		{"negative answer cache", []string{"serve", "--answer-cache-mb", "-1"}, nil, "--answer-cache-mb/KETNAP_ANSWER_CACHE_MB"},
		{"bad answer cache env", []string{"serve"}, map[string]string{"KETNAP_ANSWER_CACHE_MB": "lots"}, "KETNAP_ANSWER_CACHE_MB"},
		{"unknown flag", []string{"serve", "--nope"}, nil, "flag provided but not defined"},
		{"bad response cap env", []string{"serve"}, map[string]string{"KETNAP_MAX_RESPONSE_MB": "big"}, "KETNAP_MAX_RESPONSE_MB"},
		{"zero response cap", []string{"serve", "--max-response-mb", "0"}, nil, "--max-response-mb/KETNAP_MAX_RESPONSE_MB"},
		{"bad upload cap env", []string{"serve"}, map[string]string{"KETNAP_MAX_UPLOAD_MB": "-"}, "KETNAP_MAX_UPLOAD_MB"},
		{"unzip under upload", []string{"serve", "--max-upload-mb", "50", "--max-unzip-mb", "10"}, nil, "--max-unzip-mb/KETNAP_MAX_UNZIP_MB"},
		{"bad min cell env", []string{"serve"}, map[string]string{"KETNAP_MIN_CELL": "two"}, "KETNAP_MIN_CELL"},
		{"import upload cap", []string{"import", "--entity", "candidates", "--max-upload-mb", "0", "x.csv"}, nil, "--max-upload-mb/KETNAP_MAX_UPLOAD_MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, testEnv(tt.env, io.Discard))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %q", err, tt.want)
			}
		})
	}
}

func TestParseOrigins(t *testing.T) {
	got, err := parseOrigins("X", "https://a.example, http://127.0.0.1:5173/")
	if err != nil || strings.Join(got, " ") != "https://a.example http://127.0.0.1:5173" {
		t.Errorf("parseOrigins = %v, %v", got, err)
	}
}

func TestServeRefusesSchemaBehind(t *testing.T) {
	dsn := dbtest.DSN(t, "postgres")
	err := run(context.Background(), []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, testEnv(nil, io.Discard))
	if !errors.Is(err, db.ErrSchemaBehind) {
		t.Fatalf("serve on an unmigrated PostgreSQL: %v, want ErrSchemaBehind", err)
	}
}

func TestServeAndShutdown(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			args := []string{"serve", "--db", dbtest.DSN(t, dialect), "--addr", "127.0.0.1:0", "--demo"}
			if dialect == "postgres" {
				args = append(args, "--migrate")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := &syncBuffer{}
			done := make(chan error, 1)
			go func() { done <- run(ctx, args, testEnv(nil, logs)) }()
			addr := waitFor(t, logs, done, regexp.MustCompile(`msg=serving addr=(\S+)`))
			for _, path := range []string{"/healthz", "/readyz"} {
				resp, err := http.Get("http://" + addr + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s = %d", path, resp.StatusCode)
				}
			}
			post := func(query, token string) string {
				req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/query", strings.NewReader(query))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return string(b)
			}
			const count = `{"query":"{ organizations(first: 5) { totalCount } }"}`
			if got := post(count, ""); !strings.Contains(got, "UNAUTHENTICATED") {
				t.Errorf("anonymous query answered %s", got)
			}
			login := post(`{"query":"mutation { login(username: \"admin\", password: \"demo-admin-2026\") { token } }"}`, "")
			m := regexp.MustCompile(`"token":"([^"]+)"`).FindStringSubmatch(login)
			if m == nil {
				t.Fatalf("demo admin login answered %s", login)
			}
			if got := post(count, m[1]); !strings.Contains(got, `"totalCount"`) {
				t.Errorf("query answered %s", got)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v after shutdown", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
			}
		})
	}
}

// waitFor waits until the log matches re and returns its first group.
func waitFor(t *testing.T, logs *syncBuffer, done chan error, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s", err, logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("server did not start:\n%s", logs)
	return ""
}
