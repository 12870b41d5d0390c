// Package db opens ketnap's database, SQLite (embedded, the default) or
// PostgreSQL, and applies its versioned migrations.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	_ "github.com/lib/pq"  // PostgreSQL driver
	_ "modernc.org/sqlite" // SQLite driver, pure Go

	"ketnap/ent"
	_ "ketnap/ent/runtime" // schema hooks and defaults
)

// DefaultPath is the embedded database used when none is configured.
const DefaultPath = "ketnap.db"

// DB is an open database: the ent client, the underlying pool and its dialect.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	// Driver is the driver under Client (the Router), for clients of
	// their own over the same routing and write lock.
	Driver dialect.Driver
	// Router is the driver under Client: it sends reads to the replicas, if
	// any, counts each request's statements, and makes every transaction on
	// PostgreSQL take the write lock first (see lockWrites).
	Router *Router
	// MigrationNotes are what the migrations applied by Migrate report
	// for the operator (e.g. duplicates the text normalisation found).
	MigrationNotes []string
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn: a postgres:// URL, or else the path of a SQLite file
// (created when missing). It does not migrate.
func Open(ctx context.Context, dsn string, opts ...ent.Option) (*DB, error) {
	return OpenRouted(ctx, dsn, nil, RouteConfig{}, nil, opts...)
}

// OpenRouted connects to the primary dsn, as Open does, and to the
// PostgreSQL streaming replicas at replicas, whose reads the Router sends
// them. A replica that cannot be reached at start is not an error: it is
// marked down and retried.
func OpenRouted(ctx context.Context, dsn string, replicas []string, cfg RouteConfig, log *slog.Logger, opts ...ent.Option) (*DB, error) {
	if dsn == "" {
		dsn = DefaultPath
	}
	var (
		name, source, dia string
	)
	if IsPostgres(dsn) {
		name, source, dia = "postgres", postgresDSN(dsn), dialect.Postgres
	} else {
		name, source, dia = "sqlite", sqliteDSN(dsn), dialect.SQLite
	}
	sqlDB, err := sql.Open(name, source)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	if dia == dialect.Postgres {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		// One writer at a time is SQLite's rule; readers run in parallel under WAL.
		sqlDB.SetMaxOpenConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connecting to database: %w", redact(err))
	}
	if len(replicas) > 0 && dia != dialect.Postgres {
		_ = sqlDB.Close()
		return nil, errors.New("replicas need a PostgreSQL primary")
	}
	var pools []*sql.DB
	for _, r := range replicas {
		if !IsPostgres(r) {
			_ = sqlDB.Close()
			return nil, errors.New("a replica must be a postgres:// URL")
		}
		p, err := sql.Open("postgres", postgresDSN(r))
		if err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("opening replica: %w", redact(err))
		}
		p.SetMaxOpenConns(20)
		p.SetMaxIdleConns(10)
		p.SetConnMaxIdleTime(5 * time.Minute)
		pools = append(pools, p)
	}
	router := NewRouter(dia, sqlDB, pools, cfg, log)
	opts = append([]ent.Option{ent.Driver(router)}, opts...)
	return &DB{Client: ent.NewClient(opts...), SQL: sqlDB, Dialect: dia, Driver: router, Router: router}, nil
}

// Close closes the client and the pool.
func (d *DB) Close() error {
	return d.Client.Close()
}

// postgresDSN turns JIT compilation off unless dsn sets it: the planner's
// cost estimates for the statistics' grouped joins at L are high enough to
// trigger it, and compiling took 0.3–0.8 s of statements that run in tens
// of milliseconds (EXPLAIN ANALYZE: "JIT: … Total 813 ms" for the 972
// children of a province).
func postgresDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // the driver reports it
	}
	q := u.Query()
	if q.Get("jit") != "" {
		return dsn
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// sqliteDSN turns a file path into a modernc DSN: foreign keys on, WAL, a busy
// timeout, immediate write transactions (no lock upgrade deadlocks), and
// dates stored as UTC text so cursors compare the same everywhere.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	q.Set("_timezone", "UTC")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// redact drops a connection error's text when it could echo a password.
func redact(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return errors.New("invalid database URL")
	}
	return err
}
