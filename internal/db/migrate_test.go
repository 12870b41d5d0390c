package db_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"ketnap/ent/migrate"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/stats/answers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestMigrationsMatchSchema replays the committed migrations into an empty
// database and diffs the result against the ent schema: any difference
// means someone changed ent/schema without `go generate ./...`.
func TestMigrationsMatchSchema(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.Open(t, dialect) // only to learn the dialect's driver name and a fresh DSN
			src, err := db.Dir(d.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			dir := &atlas.MemDir{}
			files, err := src.Files()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if err := dir.WriteFile(f.Name(), f.Bytes()); err != nil {
					t.Fatal(err)
				}
			}
			sum, err := src.Checksum()
			if err != nil {
				t.Fatal(err)
			}
			if err := atlas.WriteSumFile(dir, sum); err != nil {
				t.Fatal(err)
			}
			dev := openDev(t, dialect)
			m, err := schema.NewMigrate(entsql.OpenDB(d.Dialect, dev),
				schema.WithDir(dir),
				schema.WithMigrationMode(schema.ModeReplay),
				schema.WithDialect(d.Dialect),
				schema.WithFormatter(atlas.DefaultFormatter),
				schema.WithDropColumn(true),
				schema.WithDropIndex(true),
			)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.NamedDiff(ctx, "check", migrate.Tables...); err != nil {
				t.Fatalf("diffing: %v", err)
			}
			after, err := dir.Files()
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(files) {
				t.Fatalf("the migrations are behind the ent schema; run `go generate ./...`. Missing:\n%s", after[len(after)-1].Bytes())
			}
		})
	}
}

// openDev opens a second, empty database for Atlas to replay into.
func openDev(t *testing.T, dialect string) *sql.DB {
	t.Helper()
	dsn := dbtest.DSN(t, dialect)
	driver := "postgres"
	if dialect == "sqlite" {
		driver, dsn = "sqlite", "file:"+dsn+"?_pragma=foreign_keys(1)"
	}
	dev, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	dev.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = dev.Close() })
	return dev
}

func TestMigrateStatus(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dbtest.DSN(t, dialect))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.CheckCurrent(ctx); !errors.Is(err, db.ErrSchemaBehind) {
				t.Fatalf("fresh database: CheckCurrent = %v, want ErrSchemaBehind", err)
			}
			done, err := d.Migrate(ctx)
			if err != nil || len(done) == 0 {
				t.Fatalf("Migrate = %v, %v", done, err)
			}
			if err := d.CheckCurrent(ctx); err != nil {
				t.Fatalf("after migrating: %v", err)
			}
			again, err := d.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Migrate = %v, %v; want nothing to do", again, err)
			}
		})
	}
}

func TestMigrationFilesEmbedded(t *testing.T) {
	for _, dir := range []string{"migrations/sqlite3", "migrations/postgres"} {
		entries, err := fs.ReadDir(db.Migrations, dir)
		if err != nil || len(entries) < 2 {
			t.Errorf("%s: %d entries, %v", dir, len(entries), err)
		}
	}
}

// TestDataVersionTriggers checks that every other table has the triggers
// that move the data version, for inserts, updates and deletes, and that a
// write moves it. A new table fails here until it is tracked or listed in
// answers.Untracked.
func TestDataVersionTriggers(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.Open(t, dialect)
			q := "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%data_versions%'"
			if d.Dialect == "postgres" {
				q = `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
					JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'bump_data_version'
					AND t.tgtype & 3 = 2 AND t.tgtype & 60 = 60` // statement level, BEFORE; INSERT, DELETE, UPDATE, TRUNCATE
			}
			rows, err := d.SQL.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			triggers := map[string]int{}
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					t.Fatal(err)
				}
				triggers[name]++
			}
			rows.Close()
			want := 3 // SQLite: one trigger per event
			if d.Dialect == "postgres" {
				want = 1
			}
			for _, tb := range migrate.Tables {
				if got := triggers[tb.Name]; !answers.Untracked[tb.Name] && got != want {
					t.Errorf("table %s: %d data version triggers, want %d", tb.Name, got, want)
				}
			}
			version := func() int64 {
				var v int64
				if err := d.SQL.QueryRowContext(ctx, "SELECT version FROM data_versions WHERE id = 1").Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			v0 := version()
			if _, err := d.SQL.ExecContext(ctx, `INSERT INTO organizations (created_at, updated_at, code, name, kind, sector, depth, founded_on)
				VALUES ('2026-01-01', '2026-01-01', 'X', 'X', 'BLOC', 'STATE_AGENCY', 0, '2026-01-01')`); err != nil {
				t.Fatal(err)
			}
			if v := version(); v <= v0 {
				t.Errorf("data version %d after a write, was %d", v, v0)
			}
		})
	}
}
