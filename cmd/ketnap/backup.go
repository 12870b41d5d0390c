package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/stats/rollup"
)

// backupConfig is the configuration of `ketnap backup`.
type backupConfig struct {
	DB  string
	Out string
}

// runBackup writes a consistent copy of the embedded database while the
// server may be running: VACUUM INTO reads one snapshot, so every write
// committed before it started is in the copy and none after.
func runBackup(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := backupConfig{}
	dsn := dbFlag(fs, e)
	fs.StringVar(&c.Out, "out", e.getenv("KETNAP_BACKUP_OUT"), "file to write the copy to; must not exist (env KETNAP_BACKUP_OUT)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.DB = *dsn
	if err := validateDB(c.DB); err != nil {
		return err
	}
	if db.IsPostgres(c.DB) {
		return errors.New("--db/DATABASE_URL: backup copies the embedded SQLite database; for PostgreSQL use pg_dump or pg_basebackup (see the README)")
	}
	if c.Out == "" {
		return errors.New("--out/KETNAP_BACKUP_OUT: a file to write the copy to is required")
	}
	if _, err := os.Stat(c.Out); err == nil {
		return fmt.Errorf("--out/KETNAP_BACKUP_OUT: %s exists; choose a new file", c.Out)
	}
	if _, err := os.Stat(c.DB); err != nil {
		return fmt.Errorf("--db/DATABASE_URL: %w", err)
	}
	d, err := db.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", c.Out); err != nil {
		return fmt.Errorf("copying the database: %w", err)
	}
	info, err := os.Stat(c.Out)
	if err != nil {
		return fmt.Errorf("checking the copy: %w", err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s (%d bytes)\n", c.DB, c.Out, info.Size())
	return nil
}

// restoreConfig is the configuration of `ketnap restore`.
type restoreConfig struct {
	DB   string
	File string
	Yes  bool
}

// runRestore checks a backup (a SQLite database of ketnap's, its
// migrations, its rollups against a rebuild in a scratch copy) and only
// then puts it in place of the database, which it overwrites only with
// --yes.
func runRestore(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := restoreConfig{}
	dsn := dbFlag(fs, e)
	fs.BoolVar(&c.Yes, "yes", false, "overwrite an existing database (stop the server first)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: want one backup FILE")
	}
	c.DB, c.File = *dsn, fs.Arg(0)
	if err := validateDB(c.DB); err != nil {
		return err
	}
	if db.IsPostgres(c.DB) {
		return errors.New("--db/DATABASE_URL: restore replaces the embedded SQLite database; for PostgreSQL use pg_restore (see the README)")
	}
	if err := isSQLite(c.File); err != nil {
		return err
	}
	if _, err := os.Stat(c.DB); err == nil && !c.Yes {
		return fmt.Errorf("refusing to overwrite %s, which exists and may be live: stop the server and pass --yes", c.DB)
	}
	scratch, err := os.MkdirTemp(filepath.Dir(c.DB), ".ketnap-restore-")
	if err != nil {
		return fmt.Errorf("making a scratch directory: %w", err)
	}
	defer os.RemoveAll(scratch)
	check := filepath.Join(scratch, "check.db")
	if err := copyFile(c.File, check); err != nil {
		return err
	}
	pending, diffs, err := verifyBackup(ctx, check)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		fmt.Fprintf(e.stdout, "the backup is %d migration(s) behind this binary; serve applies them at start\n", len(pending))
	}
	if len(diffs) > 0 {
		for _, d := range diffs[:min(len(diffs), 20)] {
			fmt.Fprintln(e.stdout, "  ", d)
		}
		return fmt.Errorf("the backup's statistics rollups differ from a rebuild (%d rows); not restored", len(diffs))
	}
	fmt.Fprintln(e.stdout, "migrations checked; rollups match a rebuild")
	staged := filepath.Join(scratch, "restored.db")
	if err := copyFile(c.File, staged); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(c.DB + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the old database's %s file: %w", suffix, err)
		}
	}
	if err := os.Rename(staged, c.DB); err != nil {
		return fmt.Errorf("putting the backup in place: %w", err)
	}
	fmt.Fprintf(e.stdout, "restored %s from %s\n", c.DB, c.File)
	return nil
}

// isSQLite checks that path is a SQLite database file.
func isSQLite(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening the backup: %w", err)
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("%s is not a SQLite database", path)
	}
	return nil
}

// verifyBackup opens the scratch copy at path, lists the migrations it
// lacks, and compares its rollups (stat_rollups, plan_totals) with those a
// rebuild computes from its records, returning the rows that differ.
func verifyBackup(ctx context.Context, path string) (pending, diffs []string, err error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	if pending, err = d.Status(ctx); err != nil {
		return nil, nil, fmt.Errorf("reading the backup's migrations: %w", err)
	}
	if len(pending) > 0 {
		// Verify the rollups as serve would see them: migrated.
		if _, err := d.Migrate(ctx); err != nil {
			return nil, nil, fmt.Errorf("migrating the scratch copy: %w", err)
		}
	}
	tables := []string{"stat_rollups", "plan_totals"}
	before := map[string][]string{}
	for _, t := range tables {
		if before[t], err = tableRows(ctx, d.SQL, t); err != nil {
			return nil, nil, err
		}
	}
	if err := rollup.Rebuild(viewer.SystemContext(ctx), d.Client); err != nil {
		return nil, nil, fmt.Errorf("rebuilding the rollups in the scratch copy: %w", err)
	}
	for _, t := range tables {
		after, err := tableRows(ctx, d.SQL, t)
		if err != nil {
			return nil, nil, err
		}
		diffs = append(diffs, diffRows(t, before[t], after)...)
	}
	return pending, diffs, nil
}

// tableRows reads every row of table but its id, as sorted text lines.
func tableRows(ctx context.Context, q *sql.DB, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table) // a constant name
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
		var b strings.Builder
		for i, c := range cols {
			if c == "id" {
				continue
			}
			fmt.Fprintf(&b, "%s=%v ", c, vals[i])
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	slices.Sort(out)
	return out, nil
}

// diffRows lists the rows only one of two sorted lists holds.
func diffRows(table string, a, b []string) []string {
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, table+": in the backup only: "+a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, table+": in a rebuild only: "+b[j])
			j++
		default:
			i++
			j++
		}
	}
	return out
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("opening the backup: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("copying the backup: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copying the backup: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("copying the backup: %w", err)
	}
	return dst.Close()
}
