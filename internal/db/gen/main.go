// Command gen writes ketnap's versioned migrations (Atlas format, with
// atlas.sum) for SQLite and PostgreSQL from the ent schema. It replays the
// existing files into an empty dev database of each dialect and writes a new
// file only when the schema has changed. PostgreSQL comes from
// KETNAP_DEV_POSTGRES or from a throwaway cluster (dbtest).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"ketnap/ent/migrate"
	"ketnap/internal/db/dbtest"
)

func main() {
	dir := flag.String("dir", "migrations", "the folder of the migrations, one sub-folder per dialect")
	rehash := flag.Bool("rehash", false, "only recompute each dialect's atlas.sum (after editing a hand-written migration or merging branches that each added one)")
	flag.Parse()
	if *rehash {
		for _, dia := range []string{dialect.SQLite, dialect.Postgres} {
			if err := rehashDir(filepath.Join(*dir, dia)); err != nil {
				log.Fatalf("%s: %v", dia, err)
			}
		}
		return
	}
	name := "changes"
	if flag.NArg() > 0 {
		name = flag.Arg(0)
	}
	ctx := context.Background()
	if err := run(ctx, *dir, dialect.SQLite, "file:dev?mode=memory&_pragma=foreign_keys(1)", "sqlite", name); err != nil {
		log.Fatalf("sqlite migrations: %v", err)
	}
	pgURL := os.Getenv("KETNAP_DEV_POSTGRES")
	if pgURL == "" {
		c, err := dbtest.StartPostgres()
		if err != nil {
			log.Fatalf("postgres migrations need a dev database: %v", err)
		}
		defer c.Stop()
		pgURL, err = c.CreateDatabase(ctx, "dev")
		if err != nil {
			c.Stop()
			log.Fatalf("postgres migrations: %v", err)
		}
	}
	if err := run(ctx, *dir, dialect.Postgres, pgURL, "postgres", name); err != nil {
		log.Fatalf("postgres migrations: %v", err)
	}
}

func run(ctx context.Context, root, dia, dsn, driver, name string) error {
	dir, err := atlas.NewLocalDir(filepath.Join(root, dia))
	if err != nil {
		return err
	}
	sqlDB, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	sqlDB.SetMaxOpenConns(1) // one in-memory SQLite database
	m, err := schema.NewMigrate(entsql.OpenDB(dia, sqlDB),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dia),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return err
	}
	before, _ := dir.Files()
	start := time.Now()
	if err := m.NamedDiff(ctx, name, migrate.Tables...); err != nil {
		return fmt.Errorf("diffing: %w", err)
	}
	after, _ := dir.Files()
	if len(after) != len(before) {
		log.Printf("%s: wrote %s (%s)", dia, after[len(after)-1].Name(), time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// rehashDir rewrites a migration folder's atlas.sum from its files.
func rehashDir(path string) error {
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return atlas.WriteSumFile(dir, sum)
}
