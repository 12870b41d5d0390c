package stats_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// benchTree is what the benchmark asks about.
type benchTree struct {
	root, province, grassroots int
}

// seedM loads the seed command's M scale (one province: about 3,000
// organizations, 50,000 admissions over 2016–2025) and rebuilds the
// derived tables, as `ketnap seed synthetic --scale M` does.
func seedM(tb testing.TB, d *db.DB) benchTree {
	tb.Helper()
	ctx := fixtureCtx()
	if _, err := seed.Synthetic(ctx, d, seed.ScaleM, 1, seed.Options{Append: true}); err != nil {
		tb.Fatal(err)
	}
	// Fresh statistics for the planners, as after any bulk load.
	if _, err := d.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	return findTree(tb, d)
}

// findTree picks the root, its first child (a province at L, a grassroots
// organization at M) and the first grassroots organization with branches.
func findTree(tb testing.TB, d *db.DB) benchTree {
	tb.Helper()
	ctx := fixtureCtx()
	var t benchTree
	var err error
	if t.root, err = d.Client.Organization.Query().Where(organization.ParentIDIsNil()).
		Order(ent.Asc(organization.FieldCode)).FirstID(ctx); err != nil {
		tb.Fatal(err)
	}
	if t.province, err = d.Client.Organization.Query().Where(organization.ParentID(t.root)).
		Order(ent.Asc(organization.FieldCode)).FirstID(ctx); err != nil {
		tb.Fatal(err)
	}
	if t.grassroots, err = d.Client.Organization.Query().
		Where(organization.KindEQ(organization.KindGRASSROOTS_COMMITTEE), organization.HasChildren()).
		Order(ent.Asc(organization.FieldCode)).FirstID(ctx); err != nil {
		tb.Fatal(err)
	}
	return t
}

// BenchmarkDashboard times the dashboard's full query (stats, children, a
// QUARTER series, three breakdowns, organizations without admissions) over
// HTTP on the synthetic M dataset, for the root (a province), its first
// child (depth 1) and a grassroots committee with branches, computed and
// from the answer cache, and reports p50 and p95 in milliseconds. With KETNAP_BENCH_DSN it also runs against that
// database (seeded with `ketnap seed synthetic --scale L`): the national
// root, the first province and a grassroots committee.
func BenchmarkDashboard(b *testing.B) {
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			t0 := time.Now()
			tree := seedM(b, d)
			b.Logf("seeded M on %s in %v", dialect, time.Since(t0).Round(time.Millisecond))
			benchServers(b, d, tree)
		})
	}
	if dsn := os.Getenv("KETNAP_BENCH_DSN"); dsn != "" {
		b.Run("L", func(b *testing.B) {
			d, err := db.Open(fixtureCtx(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			benchServers(b, d, findTree(b, d))
		})
	}
}

// benchServers times the requests computed ("cold": the answer cache off,
// as for the first request after any change to the data) and answered from
// the answer cache ("cached": the data unchanged since the answer was
// computed).
func benchServers(b *testing.B, d *db.DB, tree benchTree) {
	b.Run("cold", func(b *testing.B) {
		benchTargets(b, gqltest.Serve(b, d, server.Config{AnswerCacheBytes: -1}), tree)
	})
	b.Run("cached", func(b *testing.B) { benchTargets(b, gqltest.Serve(b, d), tree) })
}

// issueQuery is the benchmark's query as issue 4 defines it: the figures,
// the children's figures, a QUARTER series and three breakdowns.
const issueQuery = statsHead + `
      organization { id code name }
      admitted target targetAttainment trainees recognized notRecognized leftOrDisciplined
    }
  }
}`

func benchTargets(b *testing.B, c *gqltest.Client, tree benchTree) {
	// "issue" is issueQuery; "full" is dashboardQuery (each child with its own series, breakdown and
	// organizations without admissions); "page" is the text the dashboard
	// itself sends for a view (seven breakdowns, the children's headline figures).
	page, err := os.ReadFile("../../dashboard/src/dashboard.graphql")
	if err != nil {
		b.Fatalf("reading the dashboard's query: %v", err)
	}
	for _, q := range []struct{ name, text string }{{"issue", issueQuery}, {"full", dashboardQuery}, {"page", string(page)}} {
		b.Run(q.name, func(b *testing.B) { benchQuery(b, c, tree, q.text) })
	}
}

func benchQuery(b *testing.B, c *gqltest.Client, tree benchTree, query string) {
	for _, target := range []struct {
		name string
		id   int
	}{{"national", tree.root}, {"province", tree.province}, {"grassroots", tree.grassroots}} {
		if target.id == 0 {
			continue
		}
		for _, p := range []struct{ name, from, to string }{{"10y", "2016-01-01", "2025-12-31"}, {"1y", "2024-01-01", "2024-12-31"}} {
			b.Run(target.name+"/"+p.name, func(b *testing.B) {
				vars := map[string]any{"org": gqltest.ID(target.id), "from": p.from, "to": p.to, "granularity": "QUARTER"}
				body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
				if err != nil {
					b.Fatal(err)
				}
				// The time to the answer's last byte; decoding it is the
				// client's work, not the server's.
				ask := func() int {
					status, raw := c.Post(body)
					if status != http.StatusOK || !bytes.HasPrefix(raw, []byte(`{"data":`)) || bytes.Contains(raw, []byte(`"errors":`)) {
						b.Fatalf("HTTP %d: %.300s", status, raw)
					}
					return len(raw)
				}
				// Warm up; the cache keeps an answer from its second request.
				ask()
				size := ask()
				times := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					ask()
					times = append(times, time.Since(t0))
				}
				b.StopTimer()
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				ms := func(q float64) float64 {
					return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(ms(0.5), "p50-ms")
				b.ReportMetric(ms(0.95), "p95-ms")
				b.ReportMetric(float64(size)/1024, "answer-KiB")
			})
		}
	}
}
