package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// Migrations holds the versioned migration files of both dialects, in Atlas
// format with their atlas.sum. `go generate ./...` writes them (see gen/),
// but for the hand-written data-version migration (see migrations/README.md).
//
//go:embed migrations
var Migrations embed.FS

// revisionsTable records the applied migration versions.
const revisionsTable = "ketnap_schema_revisions"

// ErrSchemaBehind reports a database whose schema lacks migrations.
var ErrSchemaBehind = errors.New("database schema is behind: run `ketnap migrate` or start with --migrate")

// ErrSchemaAhead reports a database migrated by a newer ketnap.
var ErrSchemaAhead = errors.New("database schema is newer than this ketnap binary")

// Dir returns the migration directory of a dialect, with its checksum verified.
func Dir(dia string) (migrate.Dir, error) {
	sub, err := fs.Sub(Migrations, path.Join("migrations", dia))
	if err != nil {
		return nil, err
	}
	dir := &migrate.MemDir{}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return nil, fmt.Errorf("reading migrations: %w", err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	if err := migrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migration files do not match atlas.sum: %w", err)
	}
	return dir, nil
}

// Status lists the migration versions not yet applied to the database.
func (d *DB) Status(ctx context.Context) (pending []string, err error) {
	dir, err := Dir(d.Dialect)
	if err != nil {
		return nil, err
	}
	applied, err := d.applied(ctx)
	if err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(files))
	for _, f := range files {
		known[f.Version()] = true
		if !applied[f.Version()] {
			pending = append(pending, f.Version())
		}
	}
	for v := range applied {
		if !known[v] {
			return nil, fmt.Errorf("%w (version %s)", ErrSchemaAhead, v)
		}
	}
	return pending, nil
}

// CheckCurrent returns ErrSchemaBehind when migrations are pending.
func (d *DB) CheckCurrent(ctx context.Context) error {
	pending, err := d.Status(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w (%d pending)", ErrSchemaBehind, len(pending))
	}
	return nil
}

// Migrate applies the pending migrations, each file in one transaction, and
// returns the versions it applied.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	if err := d.ensureRevisions(ctx); err != nil {
		return nil, err
	}
	dir, err := Dir(d.Dialect)
	if err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	var done []string
	for _, f := range files {
		ok, err := d.apply(ctx, f)
		if err != nil {
			return done, fmt.Errorf("applying migration %s: %w", f.Version(), err)
		}
		if ok {
			done = append(done, f.Version())
		}
	}
	return done, nil
}

// apply runs one file unless it is already recorded, under a lock that keeps
// two starting servers from applying it twice.
func (d *DB) apply(ctx context.Context, f migrate.File) (bool, error) {
	stmts, err := f.Stmts()
	if err != nil {
		return false, err
	}
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	if d.Dialect == dialect.Postgres {
		// Serialize concurrent migrators; released at commit.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7243001)"); err != nil {
			return false, err
		}
		// A server may cap statements (statement_timeout in its DSN); a
		// migration may rightly take longer.
		if _, err := tx.ExecContext(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
			return false, err
		}
	}
	q, args := entsql.Dialect(d.Dialect).
		Select(entsql.Count("*")).
		From(entsql.Table(revisionsTable)).
		Where(entsql.EQ("version", f.Version())).
		Query()
	var n int
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return false, err
		}
	}
	if st, ok := steps[f.Version()]; ok {
		notes, err := st(ctx, tx, d.Dialect)
		if err != nil {
			return false, err
		}
		d.MigrationNotes = append(d.MigrationNotes, notes...)
	}
	q, args = entsql.Dialect(d.Dialect).
		Insert(revisionsTable).
		Columns("version", "description", "applied_at").
		Values(f.Version(), f.Desc(), time.Now().UTC().Format(time.RFC3339)).
		Query()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

func (d *DB) ensureRevisions(ctx context.Context) error {
	_, err := d.SQL.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+revisionsTable+
		" (version VARCHAR(64) PRIMARY KEY, description VARCHAR(255) NOT NULL, applied_at VARCHAR(32) NOT NULL)")
	if err != nil {
		return fmt.Errorf("creating %s: %w", revisionsTable, err)
	}
	return nil
}

// applied returns the recorded versions; none when the table does not exist.
func (d *DB) applied(ctx context.Context) (map[string]bool, error) {
	exists, err := d.tableExists(ctx, revisionsTable)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	if !exists {
		return out, nil
	}
	rows, err := d.SQL.QueryContext(ctx, "SELECT version FROM "+revisionsTable)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", revisionsTable, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

func (d *DB) tableExists(ctx context.Context, name string) (bool, error) {
	var q string
	if d.Dialect == dialect.Postgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	} else {
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	}
	var n int
	if err := d.SQL.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("inspecting schema: %w", err)
	}
	return n > 0, nil
}
