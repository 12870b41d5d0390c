package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"ketnap/internal/db"
	"ketnap/internal/seed"
)

const seedUsage = `Usage:
  ketnap seed demo      [--reform] [--db …] [--append | --reset [--yes]]
  ketnap seed synthetic --scale S|M|L [--seed N] [--db …] [--append | --reset [--yes]]

demo       the Bạc Liêu bloc of the source article (1.004 admissions 2015–2020/6);
           --reform then replays the 2025 restructuring (merged into Cà Mau's committee on 2025-07-01)
synthetic  generated data for benchmarks: S one bloc, M one province, L the country`

// seedFlags are the flags every seed subcommand takes.
type seedFlags struct {
	dsn    *string
	append *bool
	reset  *bool
	yes    *bool
}

func addSeedFlags(fs *flag.FlagSet, e env) seedFlags {
	return seedFlags{
		dsn:    dbFlag(fs, e),
		append: fs.Bool("append", false, "add to a database that already holds data"),
		reset:  fs.Bool("reset", false, "empty every table first (asks for confirmation on a terminal)"),
		yes:    fs.Bool("yes", false, "do not ask before --reset"),
	}
}

func runSeed(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, seedUsage)
		if len(args) == 0 {
			return errors.New("seed: name a dataset: demo or synthetic")
		}
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("seed "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	sf := addSeedFlags(fs, e)
	var load func(ctx context.Context, d *db.DB, opts seed.Options) (*seed.Result, error)
	switch args[0] {
	case "demo":
		reform := fs.Bool("reform", false, "then replay the 2025 restructuring: the new committee, the merge on 2025-07-01")
		load = func(ctx context.Context, d *db.DB, opts seed.Options) (*seed.Result, error) {
			res, err := seed.Demo(ctx, d, opts)
			if err != nil || !*reform {
				return res, err
			}
			if _, err := seed.DemoReform(ctx, d.Client); err != nil {
				return nil, err
			}
			return res, nil
		}
	case "synthetic":
		scale := fs.String("scale", "", "S (one bloc), M (one province) or L (the country)")
		n := fs.Uint64("seed", 1, "random seed; the same seed gives the same rows")
		load = func(ctx context.Context, d *db.DB, opts seed.Options) (*seed.Result, error) {
			sc, err := seed.ParseScale(*scale)
			if err != nil {
				return nil, fmt.Errorf("--scale: %w", err)
			}
			return seed.Synthetic(ctx, d, sc, *n, opts)
		}
	default:
		fmt.Fprintln(e.stderr, seedUsage)
		return fmt.Errorf("seed: unknown dataset %q: want demo or synthetic", args[0])
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed: unexpected argument %q", fs.Arg(0))
	}
	if *sf.append && *sf.reset {
		return errors.New("--append and --reset exclude each other")
	}
	if err := validateDB(*sf.dsn); err != nil {
		return err
	}
	d, err := db.Open(ctx, *sf.dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := prepareSchema(ctx, d, false, e); err != nil {
		return err
	}
	if *sf.reset {
		if err := confirmReset(e, d.Dialect, *sf.yes); err != nil {
			return err
		}
		if err := seed.Reset(ctx, d); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "đã xóa toàn bộ dữ liệu / emptied every table")
	}
	p := newProgress(e.stdout)
	res, err := load(ctx, d, seed.Options{
		Append:   *sf.append,
		Progress: p.update,
	})
	p.finish()
	if err != nil {
		return err
	}
	printResult(e.stdout, res)
	return nil
}

// confirmReset asks before emptying the database, on a terminal only; off
// a terminal --yes is required, so scripts never wipe data by accident.
func confirmReset(e env, dialect string, yes bool) error {
	if yes {
		return nil
	}
	if !isTerminal(e.stdin) {
		return errors.New("--reset: no terminal to confirm on; add --yes to empty the database")
	}
	fmt.Fprintf(e.stdout, "Xóa toàn bộ dữ liệu trong cơ sở dữ liệu %s? / Empty every table? Gõ/type \"yes\": ", dialect)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading confirmation: %w", err)
	}
	if strings.TrimSpace(strings.ToLower(line)) != "yes" {
		return errors.New("--reset: not confirmed; nothing changed / chưa xác nhận, không thay đổi gì")
	}
	return nil
}

func printResult(w io.Writer, r *seed.Result) {
	for _, t := range r.Tables() {
		fmt.Fprintf(w, "  %-22s %12s\n", t, dots(r.Rows[t]))
	}
	for _, p := range r.Phases {
		fmt.Fprintf(w, "  %-26s %8s\n", p.Name, p.Elapsed.Round(time.Millisecond))
	}
	secs := r.Elapsed.Seconds()
	fmt.Fprintf(w, "%s dòng (rows) trong %s (%s dòng/s)\n", dots(r.Total()), r.Elapsed.Round(10*time.Millisecond), dots(int64(float64(r.Total())/max(secs, 0.001))))
	fmt.Fprintf(w, "checksum %s\n", r.Checksum)
}
