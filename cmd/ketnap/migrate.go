package main

import (
	"context"
	"flag"
	"fmt"

	"ketnap/ent/db"
)

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
	if err != nil {
		return err
	}
	if len(done) == 0 {
		fmt.Fprintln(e.stdout, "schema is current")
	}
	return nil
}
