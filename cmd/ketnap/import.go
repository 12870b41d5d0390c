package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	gen "ketnap/ent"
	"ketnap/internal/audit"
	"ketnap/internal/db"
	"ketnap/internal/importer"
)

// runImport imports an .xlsx or .csv file, or writes an entity's template.
//
//	ketnap import FILE.xlsx|FILE.csv --entity candidates [--dry-run]
//	ketnap import --template candidates > candidates.xlsx
func runImport(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ketnap import FILE.xlsx|FILE.csv --entity ENTITY [--dry-run]\n       ketnap import --template ENTITY > ENTITY.xlsx\n\nEntities:", importer.Entities)
		fs.PrintDefaults()
	}
	dsn := dbFlag(fs, e)
	entity := fs.String("entity", "", "what the file holds: organizations, annual-plans, candidates, enrollments or admissions")
	dryRun := fs.Bool("dry-run", false, "check every row and report, writing nothing")
	uploadMB, err := mbFlag(fs, e, "max-upload-mb", "KETNAP_MAX_UPLOAD_MB", importer.DefaultFileBytes>>20, "MiB the file may reach")
	if err != nil {
		return err
	}
	unzipMB, err := mbFlag(fs, e, "max-unzip-mb", "KETNAP_MAX_UNZIP_MB", importer.DefaultUnzipBytes>>20, "MiB an .xlsx file may unpack to")
	if err != nil {
		return err
	}
	template := fs.String("template", "", "write the .xlsx template of an entity to standard output")
	// Flags may follow the file name.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *template != "" {
		return importer.Template(e.stdout, importer.Entity(*template))
	}
	if len(files) != 1 {
		fs.Usage()
		return errors.New("import: give exactly one file")
	}
	if *entity == "" {
		return errors.New("--entity: required (organizations, annual-plans, candidates, enrollments or admissions)")
	}
	if _, err := importer.Columns(importer.Entity(*entity)); err != nil {
		return fmt.Errorf("--entity: %w", err)
	}
	if err := validateDB(*dsn); err != nil {
		return err
	}
	if err := checkMB("max-upload-mb", "KETNAP_MAX_UPLOAD_MB", *uploadMB, 1, 1024); err != nil {
		return err
	}
	if err := checkMB("max-unzip-mb", "KETNAP_MAX_UNZIP_MB", *unzipMB, *uploadMB, 4096); err != nil {
		return err
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("opening %s: %w", files[0], err)
	}
	defer f.Close()
	rows, err := importer.ReadLimited(f, files[0], importer.Limits{FileBytes: int64(*uploadMB) << 20, UnzipBytes: int64(*unzipMB) << 20})
	if err != nil {
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
	actor := "cli"
	if u := e.getenv("USER"); u != "" {
		actor = "cli:" + u
	}
	var rep *importer.Report
	err = audit.WithTx(audit.WithActor(ctx, actor), d.Client, func(ctx context.Context, c *gen.Client) error {
		rep, err = importer.Run(ctx, c, importer.Entity(*entity), rows, *dryRun)
		return err
	})
	if err != nil {
		return err
	}
	return printReport(e, rep)
}

// printReport writes the outcome and fails when any row was bad.
func printReport(e env, rep *importer.Report) error {
	verb := "đã ghi / written"
	if rep.DryRun {
		verb = "chạy thử, không ghi / dry run, nothing written"
	}
	if !rep.OK() {
		verb = "không ghi gì / nothing written"
	}
	fmt.Fprintf(e.stdout, "%s: %d dòng / rows; tạo mới / created %d, cập nhật / updated %d, không đổi / unchanged %d (%s)\n",
		rep.Entity, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, verb)
	for _, r := range rep.Errors {
		fmt.Fprintln(e.stderr, r.Message())
	}
	if !rep.OK() {
		return fmt.Errorf("import rejected: %d errors", len(rep.Errors))
	}
	return nil
}
