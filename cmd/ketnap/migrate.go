package main

import (
	"context"
	"flag"
	"fmt"
	"slices"

	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/stats/rollup"
)

// derivedVersions are the migrations that add derived statistics tables
// or rows (plan_totals, the year rows of stat_rollups, stats_perf2's
// trainee counters, the core rows down to rollup.CoreDepth that came with
// the data version) the existing data must fill: applying one rebuilds them.
var derivedVersions = []string{"20261126065538", "20261126065541", "20261126072446", "20261126072448", "20261126090000"}

// rebuildDerived rebuilds the statistics' derived tables when the applied
// migrations done include one of derivedVersions.
func rebuildDerived(ctx context.Context, d *db.DB, done []string) error {
	if !slices.ContainsFunc(done, func(v string) bool { return slices.Contains(derivedVersions, v) }) {
		return nil
	}
	if err := rollup.Rebuild(viewer.SystemContext(ctx), d.Client); err != nil {
		return fmt.Errorf("rebuilding the statistics after migrating: %w", err)
	}
	return nil
}

func runMigrate(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := dbFlag(fs, e)
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := validateDB(*dsn); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if *status {
		pending, err := d.Status(ctx)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			fmt.Fprintln(e.stdout, "schema is current")
		}
		for _, v := range pending {
			fmt.Fprintln(e.stdout, "pending", v)
		}
		return nil
	}
	done, err := d.Migrate(ctx)
	for _, v := range done {
		fmt.Fprintln(e.stdout, "applied", v)
	}
	for _, n := range d.MigrationNotes {
		fmt.Fprintln(e.stdout, "note:", n)
	}
	if err != nil {
		return err
	}
	if err := rebuildDerived(ctx, d, done); err != nil {
		return err
	}
	if len(done) == 0 {
		fmt.Fprintln(e.stdout, "schema is current")
	}
	return nil
}
