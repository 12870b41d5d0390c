package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"ketnap/ent/token"
	"ketnap/ent/user"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

// TestReplicas runs the server on a real primary and two hot standbys
// (streaming replication, pg_basebackup -R): queries are answered by the
// replicas and mutations by the primary, a client reads its own writes, a
// replica stopped under load costs no client an error, and with the primary
// stopped reads are still answered while writes fail with READ_ONLY.
func TestReplicas(t *testing.T) {
	pair, err := dbtest.StartPair()
	if err != nil {
		if dbtest.InCI() {
			t.Fatalf("a primary and a standby are required under CI=true: %v", err)
		}
		t.Skipf("cannot start a primary and a standby: %v", err)
	}
	t.Cleanup(pair.Stop)
	second, err := pair.StartStandby()
	if err != nil {
		t.Fatalf("starting a second standby: %v", err)
	}
	t.Cleanup(second.Stop)
	ctx := viewer.SystemContext(context.Background())
	dsn, err := pair.Primary.CreateDatabase(ctx, "t_replicas")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := db.OpenRouted(ctx, dsn, []string{pair.URLOf(pair.Standby, dsn), pair.URLOf(second, dsn)},
		db.RouteConfig{CheckEvery: 50 * time.Millisecond}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	params := auth.DefaultParams()
	params.Memory, params.Time = 1024, 1
	authSvc := auth.NewService(d.Client, log, auth.WithParams(params))
	u, err := authSvc.CreateUser(ctx, d.Client, auth.NewUser{Username: "replica-admin", Password: "replica-password-1", Role: user.RoleADMIN})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := authSvc.Issue(ctx, d.Client, u.ID, token.KindSESSION, "", authSvc.Now().Add(auth.SessionTTL))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(d.Client, server.Config{Dialect: d.Dialect, Router: d.Router, Auth: authSvc, Ready: d.CheckCurrent}, log))
	t.Cleanup(srv.Close)

	type gqlErr struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	do := func(query string) (json.RawMessage, []gqlErr) {
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, []gqlErr{{Message: err.Error()}}
		}
		defer resp.Body.Close()
		var out struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlErr        `json:"errors"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, []gqlErr{{Message: fmt.Sprintf("status %d: %v", resp.StatusCode, err)}}
		}
		return out.Data, out.Errors
	}
	n := 0
	create := func() (string, []gqlErr) {
		n++
		code := fmt.Sprintf("R%04d", n)
		_, errs := do(`mutation { createOrganization(input: {code: "` + code + `", name: "Chi bộ ` + code +
			`", kind: BLOC, sector: STATE_AGENCY, foundedOn: "2001-01-01"}) { id } }`)
		return code, errs
	}
	count := func(code string) (int, []gqlErr) {
		data, errs := do(`{ organizations(where: {code: "` + code + `"}) { totalCount } }`)
		var out struct {
			Organizations struct{ TotalCount int } `json:"organizations"`
		}
		_ = json.Unmarshal(data, &out)
		return out.Organizations.TotalCount, errs
	}
	states := func() map[string]db.State {
		out := map[string]db.State{}
		for _, s := range d.Router.States() {
			out[s.Name] = s
		}
		return out
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s: %+v", what, d.Router.States())
			}
		}
	}
	waitFor("both replicas are up", func() bool {
		s := states()
		return s["replica1"].State == "up" && s["replica2"].State == "up"
	})
	primary, replicas := d.Router.Primary(), d.Router.Replicas()
	replicaStatements := func() int64 { return replicas[0].Statements() + replicas[1].Statements() }

	t.Run("routing", func(t *testing.T) {
		r0 := replicaStatements()
		for range 6 {
			if _, errs := count("NONE"); errs != nil {
				t.Fatalf("query: %v", errs)
			}
		}
		if got := replicaStatements() - r0; got < 6 {
			t.Errorf("the replicas ran %d statements for 6 queries", got)
		}
		if replicas[0].Statements() == 0 || replicas[1].Statements() == 0 {
			t.Errorf("reads did not spread over both replicas: %d, %d", replicas[0].Statements(), replicas[1].Statements())
		}
		r0, p0 := replicaStatements(), primary.Statements()
		if _, errs := create(); errs != nil {
			t.Fatalf("mutation: %v", errs)
		}
		if replicaStatements() != r0 {
			t.Errorf("a mutation ran %d statements on a replica", replicaStatements()-r0)
		}
		if primary.Statements()-p0 < 3 {
			t.Errorf("a mutation ran only %d statements on the primary", primary.Statements()-p0)
		}
	})

	t.Run("read your writes", func(t *testing.T) {
		for range 15 {
			code, errs := create()
			if errs != nil {
				t.Fatalf("mutation: %v", errs)
			}
			if got, errs := count(code); errs != nil || got != 1 {
				t.Fatalf("right after creating %s the client counts %d (%v)", code, got, errs)
			}
		}
	})

	t.Run("readyz", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Status    string     `json:"status"`
			Databases []db.State `json:"databases"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("readyz: %d %v", resp.StatusCode, err)
		}
		if out.Status != "ready" || len(out.Databases) != 3 || out.Databases[0].Role != "primary" || out.Databases[1].State != "up" {
			t.Errorf("readyz = %+v", out)
		}
	})

	t.Run("replica stopped under load", func(t *testing.T) {
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			failed []string
			done   = make(chan struct{})
			served = make(chan struct{}, 1000)
		)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, errs := count("NONE"); errs != nil {
						mu.Lock()
						failed = append(failed, errs[0].Message)
						mu.Unlock()
					}
					select {
					case served <- struct{}{}:
					default:
					}
				}
			}()
		}
		for range 40 {
			<-served
		}
		second.Stop()
		waitFor("replica2 is marked down", func() bool { return states()["replica2"].State == "down" })
		for range 40 {
			<-served
		}
		close(done)
		wg.Wait()
		if len(failed) > 0 {
			t.Errorf("%d client errors while a replica stopped, first: %s", len(failed), failed[0])
		}
	})

	t.Run("primary stopped", func(t *testing.T) {
		pair.Primary.Stop()
		for range 5 {
			if _, errs := count("R0001"); errs != nil {
				t.Fatalf("a read with the primary stopped: %v", errs)
			}
		}
		waitFor("the primary is marked down", func() bool { return states()["primary"].State == "down" })
		_, errs := create()
		if len(errs) != 1 || errs[0].Extensions["code"] != "READ_ONLY" || errs[0].Extensions["vi"] == "" || errs[0].Extensions["en"] == "" {
			t.Fatalf("a write with the primary stopped answered %+v, want READ_ONLY", errs)
		}
		if got, errs := count("R0001"); errs != nil || got != 1 {
			t.Errorf("a read after the refused write: %d %v", got, errs)
		}
	})
}
