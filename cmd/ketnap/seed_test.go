package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
)

// TestSeedCommand runs the seed subcommand on SQLite files: errors name
// the flag, a non-empty database is refused, --reset needs --yes off a
// terminal.
func TestSeedCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "seed.db")
	e := func(out *bytes.Buffer) env {
		return env{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard,
			getenv: func(string) string { return "" }, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
		wantOut string
	}{
		{"no dataset", []string{"seed"}, "demo or synthetic", ""},
		{"unknown dataset", []string{"seed", "fake"}, "unknown dataset", ""},
		{"bad scale", []string{"seed", "synthetic", "--scale", "XL", "--db", dbPath}, "--scale", ""},
		{"append and reset", []string{"seed", "demo", "--append", "--reset", "--db", dbPath}, "exclude each other", ""},
		{"demo", []string{"seed", "demo", "--db", dbPath}, "", "checksum "},
		{"not empty", []string{"seed", "synthetic", "--scale", "S", "--db", dbPath}, "--append", ""},
		{"demo twice", []string{"seed", "demo", "--append", "--db", dbPath}, "already loaded", ""},
		{"reset without a terminal", []string{"seed", "synthetic", "--scale", "S", "--reset", "--db", dbPath}, "--yes", ""},
		{"reset", []string{"seed", "synthetic", "--scale", "S", "--seed", "3", "--reset", "--yes", "--db", dbPath}, "", "emptied every table"},
		{"append", []string{"seed", "synthetic", "--scale", "S", "--seed", "3", "--append", "--db", dbPath}, "", "checksum "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, e(&out))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, out.String())
			}
		})
	}
}

// TestDemoOnFirstRun loads the demo into an empty embedded database once,
// and never into PostgreSQL.
func TestDemoOnFirstRun(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := viewer.SystemContext(context.Background())
			d := dbtest.Open(t, dialect)
			e := env{stdout: io.Discard, stderr: io.Discard, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			for range 2 {
				if err := demoOnFirstRun(ctx, d, e); err != nil {
					t.Fatal(err)
				}
			}
			want := 0
			if dialect == "sqlite" {
				want = 157
			}
			if n := d.Client.Organization.Query().CountX(ctx); n != want {
				t.Errorf("organizations after two starts: %d, want %d", n, want)
			}
		})
	}
}
