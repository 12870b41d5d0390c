package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/seed"
)

// TestStatsVerifyAndRebuild loads the demo, checks that verify finds no
// difference, drifts the rollups behind the hooks' back, and checks that
// verify prints the difference and fails, that rebuild repairs it, and
// that a server run with --verify-every logs the drift without any
// record's content.
func TestStatsVerifyAndRebuild(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			ctx := viewer.SystemContext(context.Background())
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := seed.Demo(ctx, d, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			runCmd := func(args ...string) (string, error) {
				var out bytes.Buffer
				e := env{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard,
					getenv: func(string) string { return "" }, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
				err := run(context.Background(), append(args, "--db", dsn), e)
				return out.String(), err
			}
			if out, err := runCmd("stats", "verify"); err != nil || !strings.Contains(out, "equal a rebuild") {
				t.Fatalf("verify on fresh data: %v\n%s", err, out)
			}
			if _, err := d.SQL.ExecContext(ctx, `UPDATE stat_rollups SET n = n + 1 WHERE dim = 'ADMITTED'`); err != nil {
				t.Fatal(err)
			}
			if _, err := d.SQL.ExecContext(ctx, `UPDATE plan_totals SET target = target + 5`); err != nil {
				t.Fatal(err)
			}
			out, err := runCmd("stats", "verify")
			if !errors.Is(err, errDrift) {
				t.Fatalf("verify after a drift: %v, want errDrift\n%s", err, out)
			}
			for _, want := range []string{"stat_rollups: ", "dim=ADMITTED", "plan_totals: ", "difference(s)"} {
				if !strings.Contains(out, want) {
					t.Errorf("verify's output lacks %q:\n%.2000s", want, out)
				}
			}

			// The server's periodic verification reports the drift.
			if dialect == "sqlite3" {
				logs := &syncBuffer{}
				sctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() {
					done <- run(sctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--verify-every", "1s"}, testEnv(nil, logs))
				}()
				waitFor(t, logs, done, regexp.MustCompile(`level=(WARN) msg="statistics drift`))
				cancel()
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("serve: %v", err)
					}
				case <-time.After(30 * time.Second):
					t.Fatal("serve did not stop")
				}
				line := regexp.MustCompile(`.*statistics drift.*`).FindString(logs.String())
				if !regexp.MustCompile(`differences=\d+ plan_totals=\d+ stat_rollups=\d+`).MatchString(line) || strings.Contains(line, "organization_id") {
					t.Errorf("drift warning %q: want the counts by table and nothing of the rows", line)
				}
			}

			if out, err := runCmd("stats", "rebuild"); err != nil || !strings.Contains(out, "rebuilt") {
				t.Fatalf("rebuild: %v\n%s", err, out)
			}
			if out, err := runCmd("stats", "verify"); err != nil {
				t.Fatalf("verify after rebuild: %v\n%s", err, out)
			}
		})
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stats"}, "a command is required"},
		{[]string{"stats", "repair"}, "unknown command"},
		{[]string{"stats", "verify", "extra"}, "unexpected argument"},
		{[]string{"serve", "--verify-every", "10ms"}, "--verify-every/KETNAP_VERIFY_EVERY"},
	} {
		if err := run(context.Background(), tc.args, testEnv(nil, io.Discard)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error naming %q", tc.args, err, tc.want)
		}
	}
	if err := run(context.Background(), []string{"serve"}, testEnv(map[string]string{"KETNAP_VERIFY_EVERY": "often"}, io.Discard)); err == nil || !strings.Contains(err.Error(), "KETNAP_VERIFY_EVERY") {
		t.Errorf("bad KETNAP_VERIFY_EVERY: %v", err)
	}
}
