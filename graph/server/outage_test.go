package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/ent/token"
	"ketnap/ent/user"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db/dbtest"
)

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

// TestOutageLogsOnce checks issue 12, item 11: with the database closed
// under load, the server writes each failure's line once and then at most a
// summary every server.LogQuiet, not one line a request.
func TestOutageLogsOnce(t *testing.T) {
	d := dbtest.Open(t, "sqlite")
	sink := &lockedBuffer{}
	// As ketnap serve does: one throttled logger for the server and sign-in.
	log := server.ThrottleLog(slog.New(slog.NewTextHandler(sink, nil)))
	p := auth.DefaultParams()
	p.Memory, p.Time = 1024, 1
	// Every request must reach the database for the outage to show.
	svc := auth.NewService(d.Client, log, auth.WithParams(p), auth.WithVerifiedTTL(0))
	ctx := viewer.SystemContext(context.Background())
	u, err := svc.CreateUser(ctx, d.Client, auth.NewUser{Username: "outage-admin", Password: "outage-password-1", Role: user.RoleADMIN})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.Issue(ctx, d.Client, u.ID, token.KindSESSION, "", svc.Now().Add(auth.SessionTTL))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(d.Client, server.Config{Auth: svc, Dialect: d.Dialect}, log))
	defer srv.Close()
	post := func() int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/query", strings.NewReader(`{"query":"{ organizations(first: 5) { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post(); s != http.StatusOK {
		t.Fatalf("before the outage: HTTP %d", s)
	}
	start := time.Now()
	if err := d.SQL.Close(); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 250
	var wg sync.WaitGroup
	failed := make(chan int, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if s := post(); s != http.StatusOK {
					failed <- s
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(failed)
	if len(failed) < workers*each/2 {
		t.Fatalf("only %d of %d requests failed: the outage did not happen", len(failed), workers*each)
	}
	var bad []string
	messages := map[string]bool{}
	summaries := 0
	for _, l := range sink.lines() {
		if !strings.Contains(l, "level=ERROR") && !strings.Contains(l, "level=WARN") {
			continue
		}
		bad = append(bad, l)
		if strings.Contains(l, "repeated log lines left out") {
			summaries++
			continue
		}
		msg := l[strings.Index(l, "msg="):]
		msg, _, _ = strings.Cut(strings.TrimPrefix(msg, "msg="), " error=")
		messages[msg] = true
	}
	// Each message once per quiet period, and a summary per period.
	periods := int(elapsed/server.LogQuiet) + 1
	if limit := (len(messages) + 1) * (periods + 1); len(bad) > limit || len(messages) > 6 {
		t.Fatalf("%d requests failed in %s and wrote %d warning and error lines (%d messages), want at most %d:\n%s",
			len(failed), elapsed, len(bad), len(messages), limit, strings.Join(bad[:min(len(bad), 20)], "\n"))
	}
	if len(bad) == 0 {
		t.Fatal("the outage was not logged at all")
	}
	t.Logf("%d failed requests in %s: %d warning and error lines, %d summaries", len(failed), elapsed, len(bad), summaries)
}
