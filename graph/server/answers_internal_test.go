package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"ketnap/graph"
	"ketnap/graph/generated"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
)

// TestAnswerCacheVersions drives the cache directly: an answer is kept only
// when no change was committed while it was computed, so a change made
// during a computation is never hidden by the answer computed before it.
func TestAnswerCacheVersions(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			schema := generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{}}).Schema()
			const q = `{ stats(from: "2020-01-01", to: "2020-12-31") { admitted } }`
			doc, errs := gqlparser.LoadQueryWithRules(schema, q, nil)
			if errs != nil {
				t.Fatal(errs)
			}
			oc := &graphql.OperationContext{RawQuery: q, Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
			ctx := graphql.WithResponseContext(graphql.WithOperationContext(viewer.NewContext(t.Context(), &viewer.Viewer{UserID: 1, Role: viewer.RoleAdmin}), oc), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
			c := NewAnswerCache(d.Client, 1<<20, slog.New(slog.NewTextHandler(io.Discard, nil)))
			writes := 0
			write := func() {
				writes++
				if _, err := d.SQL.ExecContext(ctx, fmt.Sprintf(`INSERT INTO organizations (created_at, updated_at, code, name, kind, sector, depth, founded_on)
					VALUES ('2026-01-01', '2026-01-01', 'W%d', 'W', 'BLOC', 'STATE_AGENCY', 0, '2026-01-01')`, writes)); err != nil {
					t.Fatal(err)
				}
			}
			computed := 0
			answer := func(during func()) graphql.ResponseHandler {
				return func(context.Context) *graphql.Response {
					computed++
					if during != nil {
						during()
					}
					return &graphql.Response{Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, computed))}
				}
			}
			ask := func(during func()) string {
				t.Helper()
				return string(c.InterceptResponse(ctx, answer(during)).Data)
			}

			ask(nil)         // learns the version
			kept := ask(nil) // computed at a known version: kept
			if got := ask(nil); got != kept || computed != 2 {
				t.Fatalf("third request: %s after %d computations, want the kept %s", got, computed, kept)
			}
			write()
			if got := ask(nil); got == kept || computed != 3 {
				t.Fatalf("after a change: %s after %d computations, want a new answer", got, computed)
			}
			// A change committed while the answer is computed: not kept.
			write()
			during := ask(write)
			if got := ask(nil); got == during {
				t.Fatalf("the answer computed during a change was kept: %s", got)
			}
		})
	}
}

// TestAnswerCacheSharesMisses checks that concurrent misses for one answer
// share one computation, and that they do not when a change is committed
// while it runs (each then computes its own, so none sees an answer older
// than what it could read).
func TestAnswerCacheSharesMisses(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			schema := generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{}}).Schema()
			const q = `{ stats(from: "2020-01-01", to: "2020-12-31") { admitted } }`
			doc, errs := gqlparser.LoadQueryWithRules(schema, q, nil)
			if errs != nil {
				t.Fatal(errs)
			}
			oc := &graphql.OperationContext{RawQuery: q, Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
			ctx := graphql.WithResponseContext(graphql.WithOperationContext(viewer.NewContext(t.Context(), &viewer.Viewer{UserID: 1, Role: viewer.RoleAdmin}), oc), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
			c := NewAnswerCache(d.Client, 1<<20, slog.New(slog.NewTextHandler(io.Discard, nil)))
			var computed atomic.Int64
			plain := func(context.Context) *graphql.Response {
				return &graphql.Response{Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, computed.Add(1)))}
			}
			c.InterceptResponse(ctx, plain) // learns the version
			c.InterceptResponse(ctx, plain) // kept
			writes := 0
			write := func() {
				writes++
				if _, err := d.SQL.ExecContext(ctx, fmt.Sprintf(`INSERT INTO organizations (created_at, updated_at, code, name, kind, sector, depth, founded_on)
					VALUES ('2026-01-01', '2026-01-01', 'S%d', 'S', 'BLOC', 'STATE_AGENCY', 0, '2026-01-01')`, writes)); err != nil {
					t.Error(err)
				}
			}

			// round sends one request that blocks in its computation until n
			// more have joined it, runs during (if any) and then answers.
			round := func(n int, during func()) []string {
				t.Helper()
				computed.Store(0)
				release := make(chan struct{})
				blocking := func(context.Context) *graphql.Response {
					k := computed.Add(1)
					if k == 1 {
						<-release
						if during != nil {
							during()
						}
					}
					return &graphql.Response{Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, k))}
				}
				got := make([]string, n+1)
				var wg sync.WaitGroup
				wg.Add(1)
				go func() { defer wg.Done(); got[0] = string(c.InterceptResponse(ctx, blocking).Data) }()
				for computed.Load() == 0 {
					runtime.Gosched()
				}
				for i := 1; i <= n; i++ {
					wg.Add(1)
					go func() { defer wg.Done(); got[i] = string(c.InterceptResponse(ctx, blocking).Data) }()
				}
				for joined := 0; joined < n; {
					runtime.Gosched()
					c.mu.Lock()
					joined = 0
					for _, f := range c.flights {
						joined += f.joined
					}
					c.mu.Unlock()
				}
				close(release)
				wg.Wait()
				return got
			}

			// A change makes the kept answer stale: the next requests read
			// the new version and miss together.
			write()
			got := round(7, nil)
			if n := computed.Load(); n != 1 {
				t.Fatalf("8 concurrent misses ran %d computations, want 1", n)
			}
			for _, g := range got {
				if g != got[0] {
					t.Fatalf("shared answers differ: %q", got)
				}
			}
			write()
			round(7, write) // a change committed during the computation
			if n := computed.Load(); n != 8 {
				t.Fatalf("with a change during the computation, %d computations, want 8 (each its own)", n)
			}
		})
	}
}
