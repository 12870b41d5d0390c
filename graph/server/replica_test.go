package server_test

import (
	"bytes"
	"context"
	"database/sql"
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
		db.RouteConfig{CheckEvery: 50 * time.Millisecond, MaxLag: time.Minute}, log)
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
	u2, err := authSvc.CreateUser(ctx, d.Client, auth.NewUser{Username: "replica-admin-2", Password: "replica-password-2", Role: user.RoleADMIN})
	if err != nil {
		t.Fatal(err)
	}
	tok2, _, err := authSvc.Issue(ctx, d.Client, u2.ID, token.KindSESSION, "", authSvc.Now().Add(auth.SessionTTL))
	if err != nil {
		t.Fatal(err)
	}
	standbys := map[string]*sql.DB{}
	for name, c := range map[string]*dbtest.Cluster{"replica1": pair.Standby, "replica2": second} {
		sdb, err := sql.Open("postgres", pair.URLOf(c, dsn))
		if err != nil {
			t.Fatal(err)
		}
		sdb.SetMaxOpenConns(1)
		t.Cleanup(func() { _ = sdb.Close() })
		standbys[name] = sdb
	}
	// replay pauses or resumes WAL replay on the named standbys.
	replay := func(fn string, names ...string) {
		t.Helper()
		for _, name := range names {
			if _, err := standbys[name].ExecContext(ctx, "SELECT "+fn+"()"); err != nil {
				t.Fatalf("%s on %s: %v", fn, name, err)
			}
		}
	}
	srv := httptest.NewServer(server.New(d.Client, server.Config{Dialect: d.Dialect, Router: d.Router, Auth: authSvc, Ready: d.CheckCurrent}, log))
	t.Cleanup(srv.Close)

	type gqlErr struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	doAs := func(tok, query string) (json.RawMessage, []gqlErr) {
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
	do := func(query string) (json.RawMessage, []gqlErr) { return doAs(tok, query) }
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

	t.Run("answer cache keyed by the answering server's version", func(t *testing.T) {
		data, errs := do(`mutation { createOrganization(input: {code: "RC01", name: "Tên cũ", kind: BLOC, sector: STATE_AGENCY, foundedOn: "2001-01-01"}) { id } }`)
		if errs != nil {
			t.Fatalf("mutation: %v", errs)
		}
		var created struct{ CreateOrganization struct{ ID string } }
		if err := json.Unmarshal(data, &created); err != nil {
			t.Fatal(err)
		}
		id := created.CreateOrganization.ID
		var version int64
		if err := d.SQL.QueryRowContext(ctx, "SELECT version FROM data_versions WHERE id = 1").Scan(&version); err != nil {
			t.Fatal(err)
		}
		waitFor("both replicas have the organization", func() bool {
			for _, sdb := range standbys {
				var v int64
				if err := sdb.QueryRowContext(ctx, "SELECT version FROM data_versions WHERE id = 1").Scan(&v); err != nil || v < version {
					return false
				}
			}
			return true
		})
		q := `{ stats(org: "` + id + `", from: "2020-01-01", to: "2020-12-31") { organization { name } } }`
		name := func(tok string) string {
			t.Helper()
			data, errs := doAs(tok, q)
			if errs != nil {
				t.Fatalf("stats: %v", errs)
			}
			var out struct {
				Stats struct{ Organization struct{ Name string } }
			}
			_ = json.Unmarshal(data, &out)
			return out.Stats.Organization.Name
		}
		// The second user's answers come from the replicas and are kept.
		for range 3 {
			if got := name(tok2); got != "Tên cũ" {
				t.Fatalf("before the rename the replicas answer %q", got)
			}
		}
		// The replicas stop replaying: the first user renames; their next
		// read goes to the primary, whose version is newer than the kept
		// answer's, and the second user's reads stay on the replicas, whose
		// version is the kept answer's.
		replay("pg_wal_replay_pause", "replica1", "replica2")
		resumed := false
		defer func() {
			if !resumed {
				replay("pg_wal_replay_resume", "replica1", "replica2")
			}
		}()
		if _, errs := do(`mutation { updateOrganization(id: "` + id + `", input: {name: "Tên mới"}) { id } }`); errs != nil {
			t.Fatalf("rename: %v", errs)
		}
		p0 := primary.Statements()
		if got := name(tok); got != "Tên mới" {
			t.Errorf("the renaming client reads %q after its write, want the new name", got)
		}
		if primary.Statements() == p0 {
			t.Errorf("the renaming client's read did not reach the primary")
		}
		for range 2 {
			if got := name(tok2); got != "Tên cũ" {
				t.Errorf("a paused replica's reader got %q: an answer of another server's version", got)
			}
		}
		replay("pg_wal_replay_resume", "replica1", "replica2")
		resumed = true
		waitFor("the replicas replay the rename", func() bool { return name(tok2) == "Tên mới" })
	})

	t.Run("lagging replica skipped", func(t *testing.T) {
		// A router of its own with a short lag bound over the same servers.
		d2, err := db.OpenRouted(ctx, dsn, []string{pair.URLOf(pair.Standby, dsn)},
			db.RouteConfig{CheckEvery: 50 * time.Millisecond, MaxLag: 300 * time.Millisecond}, log)
		if err != nil {
			t.Fatal(err)
		}
		defer d2.Close()
		r2 := d2.Router
		srv2 := httptest.NewServer(server.New(d2.Client, server.Config{Dialect: d2.Dialect, Router: r2, Auth: authSvc, Ready: d2.CheckCurrent}, log))
		defer srv2.Close()
		state := func() db.State { return r2.States()[1] }
		waitFor("replica1 is up for the second router", func() bool { return state().State == "up" })
		replay("pg_wal_replay_pause", "replica1")
		defer replay("pg_wal_replay_resume", "replica1")
		stop := make(chan struct{})
		writes := make(chan error, 1)
		go func() {
			// Writes keep the primary ahead of the paused replica.
			defer close(writes)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := d.SQL.ExecContext(ctx, "UPDATE data_versions SET version = version WHERE id = 1"); err != nil {
					writes <- err
					return
				}
			}
		}()
		waitFor("replica1 is lagging", func() bool { return state().State == "lagging" })
		close(stop)
		if err := <-writes; err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(srv2.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var ready struct {
			Status    string     `json:"status"`
			Databases []db.State `json:"databases"`
		}
		err = json.NewDecoder(resp.Body).Decode(&ready)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || ready.Status != "ready" || len(ready.Databases) != 2 ||
			ready.Databases[1].State != "lagging" || ready.Databases[1].LagSeconds < 0.3 {
			t.Errorf("readyz with a lagging replica = %d %+v (%v)", resp.StatusCode, ready, err)
		}
		rctx := r2.ReadOnly(ctx, 0)
		rs, ps := r2.Replicas()[0].Statements(), r2.Primary().Statements()
		if _, err := d2.Client.Organization.Query().Count(rctx); err != nil {
			t.Fatal(err)
		}
		if r2.Replicas()[0].Statements() != rs || r2.Primary().Statements() == ps {
			t.Errorf("a read with the only replica lagging did not go to the primary")
		}
		replay("pg_wal_replay_resume", "replica1")
		waitFor("replica1 caught up", func() bool { return state().State == "up" })
		rs = r2.Replicas()[0].Statements()
		if _, err := d2.Client.Organization.Query().Count(r2.ReadOnly(ctx, 0)); err != nil {
			t.Fatal(err)
		}
		if r2.Replicas()[0].Statements() == rs {
			t.Errorf("a read with the replica caught up again did not go to it")
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
