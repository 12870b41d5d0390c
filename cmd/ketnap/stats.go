package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"ketnap/ent"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/stats/rollup"
)

// statsUsage lists the stats subcommands.
const statsUsage = `Usage: ketnap stats COMMAND [flags]

Commands:
  verify    compare the pre-aggregated statistics with a rebuild from the
            records; print every difference and exit non-zero on any
  rebuild   recompute the pre-aggregated statistics from the records`

// errDrift is verify's error when the rollups differ from a rebuild.
var errDrift = errors.New("stats verify: the pre-aggregated statistics differ from a rebuild")

// runStats checks and repairs the derived statistics tables.
func runStats(ctx context.Context, args []string, e env) error {
	sub, args, done, err := subcommand("stats", statsUsage, args, e)
	if done {
		return err
	}
	if sub != "verify" && sub != "rebuild" {
		fmt.Fprintln(e.stderr, statsUsage)
		return fmt.Errorf("stats: unknown command %q", sub)
	}
	fs := flag.NewFlagSet("stats "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := dbFlag(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("stats %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if err := validateDB(*dsn); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckCurrent(ctx); err != nil {
		return err
	}
	ctx = viewer.SystemContext(ctx)
	switch sub {
	case "verify":
		diffs, err := rollup.Verify(ctx, d.Client)
		if err != nil {
			return err
		}
		for _, df := range diffs {
			fmt.Fprintln(e.stdout, df)
		}
		if len(diffs) > 0 {
			fmt.Fprintf(e.stdout, "%d khác biệt / %d difference(s): run 'ketnap stats rebuild' to repair\n", len(diffs), len(diffs))
			return errDrift
		}
		fmt.Fprintln(e.stdout, "khớp / the statistics equal a rebuild")
		return nil
	default:
		start := time.Now()
		if err := rollup.Rebuild(ctx, d.Client); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "đã dựng lại / rebuilt the statistics in %s\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
}

// verifyPeriodically compares the rollups with a rebuild every interval
// until ctx ends, and logs a warning on a drift. The log names the tables
// and the number of differing rows only: the rows' keys are counts by
// organization, never a person, but a drift is for `ketnap stats verify`
// to detail.
func verifyPeriodically(ctx context.Context, client *ent.Client, every time.Duration, log *slog.Logger) {
	ctx = viewer.SystemContext(ctx)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		verifyOnce(ctx, client, log)
	}
}

// verifyOnce runs one verification and logs its outcome.
func verifyOnce(ctx context.Context, client *ent.Client, log *slog.Logger) {
	start := time.Now()
	diffs, err := rollup.Verify(ctx, client)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("verifying the statistics", "error", err)
		}
		return
	}
	if len(diffs) == 0 {
		log.Debug("statistics verified", "elapsed", time.Since(start).Round(time.Millisecond))
		return
	}
	tables := map[string]int{}
	for _, df := range diffs {
		tables[df.Table]++
	}
	attrs := []any{"differences", len(diffs)}
	for _, tbl := range slices.Sorted(maps.Keys(tables)) {
		attrs = append(attrs, tbl, tables[tbl])
	}
	attrs = append(attrs, "repair", "ketnap stats verify; ketnap stats rebuild")
	log.Warn("statistics drift: the pre-aggregated counts differ from a rebuild", attrs...)
}
