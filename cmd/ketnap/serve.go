package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"ketnap/dashboard"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db"
	"ketnap/internal/importer"
	"ketnap/internal/metrics"
	"ketnap/internal/seed"
	"ketnap/internal/stats"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := dbFlag(fs, e)
	addrDef := e.getenv("KETNAP_ADDR")
	if addrDef == "" {
		addrDef = ":8080"
	}
	addr := fs.String("addr", addrDef, "listen address (env KETNAP_ADDR)")
	origins := fs.String("cors-origin", e.getenv("KETNAP_CORS_ORIGINS"), "comma-separated origins allowed to call the API (env KETNAP_CORS_ORIGINS)")
	devDef, err := boolEnv(e, "KETNAP_DEV")
	if err != nil {
		return err
	}
	dev := fs.Bool("dev", devDef, "development mode: introspection for every signed-in user, field suggestions in errors (env KETNAP_DEV)")
	demoDef, err := boolEnv(e, "KETNAP_DEMO")
	if err != nil {
		return err
	}
	demo := fs.Bool("demo", demoDef, "demo mode: create the demo users with published passwords and print them (env KETNAP_DEMO)")
	timeoutDef := server.DefaultRequestTimeout
	if v := e.getenv("KETNAP_REQUEST_TIMEOUT"); v != "" {
		if timeoutDef, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("KETNAP_REQUEST_TIMEOUT: want a duration such as 10s, got %q", v)
		}
	}
	timeout := fs.Duration("request-timeout", timeoutDef, "longest a GraphQL request may run, its SQL included (env KETNAP_REQUEST_TIMEOUT)")
	cacheDef := server.DefaultAnswerCacheBytes >> 20
	if v := e.getenv("KETNAP_ANSWER_CACHE_MB"); v != "" {
		if cacheDef, err = strconv.Atoi(v); err != nil {
			return fmt.Errorf("KETNAP_ANSWER_CACHE_MB: want a whole number of MiB, got %q", v)
		}
	}
	cacheMB := fs.Int("answer-cache-mb", cacheDef, "MiB of statistics answers kept until the data changes; 0 turns the cache off (env KETNAP_ANSWER_CACHE_MB)")
	respMB, err := mbFlag(fs, e, "max-response-mb", "KETNAP_MAX_RESPONSE_MB", server.DefaultMaxResponseBytes>>20, "MiB a GraphQL answer may reach")
	if err != nil {
		return err
	}
	uploadMB, err := mbFlag(fs, e, "max-upload-mb", "KETNAP_MAX_UPLOAD_MB", server.DefaultMaxUploadBytes>>20, "MiB an uploaded import file may reach")
	if err != nil {
		return err
	}
	unzipMB, err := mbFlag(fs, e, "max-unzip-mb", "KETNAP_MAX_UNZIP_MB", importer.DefaultUnzipBytes>>20, "MiB an .xlsx import file may unpack to")
	if err != nil {
		return err
	}
	minCellDef := stats.DefaultMinCell
	if v := e.getenv("KETNAP_MIN_CELL"); v != "" {
		if minCellDef, err = strconv.Atoi(v); err != nil {
			return fmt.Errorf("KETNAP_MIN_CELL: want a whole number of people, got %q", v)
		}
	}
	minCell := fs.Int("min-cell", minCellDef, "smallest count a VIEWER sees for a named ethnicity, religion or Youth Union value; smaller cells are merged (env KETNAP_MIN_CELL)")
	verifyDef := time.Duration(0)
	if v := e.getenv("KETNAP_VERIFY_EVERY"); v != "" {
		if verifyDef, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("KETNAP_VERIFY_EVERY: want a duration such as 1h, got %q", v)
		}
	}
	verifyEvery := fs.Duration("verify-every", verifyDef, "compare the pre-aggregated statistics with a rebuild this often and log a warning on a drift; 0 (the default) turns it off (env KETNAP_VERIFY_EVERY)")
	migrate := fs.Bool("migrate", false, "apply pending migrations to a PostgreSQL database before serving")
	ops, err := opsFlags(fs, e)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := validateAddr("--addr/KETNAP_ADDR", *addr); err != nil {
		return err
	}
	corsOrigins, err := parseOrigins("--cors-origin/KETNAP_CORS_ORIGINS", *origins)
	if err != nil {
		return err
	}
	if err := validateDB(*dsn); err != nil {
		return err
	}
	if *cacheMB < 0 || *cacheMB > 64<<10 {
		return fmt.Errorf("--answer-cache-mb/KETNAP_ANSWER_CACHE_MB: want between 0 and 65536, got %d", *cacheMB)
	}
	cacheBytes := *cacheMB << 20
	if cacheBytes == 0 {
		cacheBytes = -1 // off
	}
	if err := checkMB("max-response-mb", "KETNAP_MAX_RESPONSE_MB", *respMB, 1, 1024); err != nil {
		return err
	}
	if err := checkMB("max-upload-mb", "KETNAP_MAX_UPLOAD_MB", *uploadMB, 1, 1024); err != nil {
		return err
	}
	if err := checkMB("max-unzip-mb", "KETNAP_MAX_UNZIP_MB", *unzipMB, *uploadMB, 4096); err != nil {
		return err
	}
	if *minCell < 1 || *minCell > 100 {
		return fmt.Errorf("--min-cell/KETNAP_MIN_CELL: want between 1 and 100, got %d", *minCell)
	}
	if *timeout < time.Second || *timeout > 10*time.Minute {
		return fmt.Errorf("--request-timeout/KETNAP_REQUEST_TIMEOUT: want between 1s and 10m, got %s", *timeout)
	}
	if *verifyEvery != 0 && (*verifyEvery < time.Second || *verifyEvery > 7*24*time.Hour) {
		return fmt.Errorf("--verify-every/KETNAP_VERIFY_EVERY: want 0 (off) or between 1s and 168h, got %s", *verifyEvery)
	}

	if err := ops.validate(*dsn); err != nil {
		return err
	}
	e.log = ops.logger(e.log, e.stderr)
	// Repeated warnings and errors (a database outage) are written once.
	e.log = server.ThrottleLog(e.log)

	d, err := db.OpenRouted(ctx, withStatementTimeout(*dsn, *timeout), ops.replicaDSNs(*timeout),
		db.RouteConfig{MaxLag: ops.ReplicaMaxLag}, e.log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := prepareSchema(ctx, d, *migrate, e); err != nil {
		return err
	}
	if err := demoOnFirstRun(ctx, d, e); err != nil {
		return err
	}

	authSvc := auth.NewService(d.Client, e.log)
	if *demo {
		if err := printDemoUsers(ctx, d, authSvc, e); err != nil {
			return err
		}
	}
	m := metrics.New()
	if ops.MetricsAddr != "" {
		go serveMetrics(ctx, ops.MetricsAddr, m, e.log)
	}
	if *verifyEvery > 0 {
		go verifyPeriodically(ctx, d.Client, *verifyEvery, e.log)
	}
	h := server.New(d.Client, server.Config{
		Dev:              *dev,
		Dialect:          d.Dialect,
		CORSOrigins:      corsOrigins,
		Dashboard:        dashboard.Files(),
		Auth:             authSvc,
		RequestTimeout:   *timeout,
		AnswerCacheBytes: cacheBytes,
		MaxResponseBytes: *respMB << 20,
		MaxUploadBytes:   int64(*uploadMB) << 20,
		MaxUnzipBytes:    int64(*unzipMB) << 20,
		MinCell:          *minCell,
		Ready:            readiness(d),
		Router:           d.Router,
		Metrics:          m,
	}, e.log)
	srv := &http.Server{
		Addr:              *addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr/KETNAP_ADDR: %w", err)
	}
	e.log.Info("serving", "addr", ln.Addr().String(), "dev", *dev, "demo", *demo, "dashboard", dashboard.Built(), "database", d.Dialect)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// printDemoUsers creates the demo users when absent and prints their
// credentials: demo mode's users sign in with published passwords.
func printDemoUsers(ctx context.Context, d *db.DB, svc *auth.Service, e env) error {
	users, err := svc.EnsureDemoUsers(ctx, d.Client)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Tài khoản demo / demo users (published passwords: never use --demo in production):")
	fmt.Fprintln(w, "  USERNAME\tPASSWORD\tROLE\tSCOPE")
	for _, u := range users {
		scope := "(toàn hệ thống / everything)"
		if u.OrgCode != "" {
			scope = u.OrgCode + " " + u.OrgName
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", u.Username, u.Password, u.Role, scope)
	}
	if len(users) < 3 {
		fmt.Fprintln(w, "  (no organizations yet: the leadership and analyst demo users are created at the next start after data is loaded)")
	}
	return w.Flush()
}

// withStatementTimeout caps each PostgreSQL statement of the server's
// connections at timeout, unless the address sets statement_timeout itself,
// so a statement outlives its request's context nowhere.
func withStatementTimeout(dsn string, timeout time.Duration) string {
	if !db.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // validateDB reports it
	}
	q := u.Query()
	if q.Get("statement_timeout") != "" {
		return dsn
	}
	q.Set("statement_timeout", strconv.FormatInt(timeout.Milliseconds(), 10))
	u.RawQuery = q.Encode()
	return u.String()
}

// prepareSchema migrates the embedded database by itself; a PostgreSQL
// database is migrated only when asked, and refused when behind.
func prepareSchema(ctx context.Context, d *db.DB, migrate bool, e env) error {
	if d.Dialect == "sqlite3" || migrate {
		done, err := d.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrating: %w", err)
		}
		if len(done) > 0 {
			e.log.Info("applied migrations", "versions", done)
		}
		for _, n := range d.MigrationNotes {
			// Table, column and row ids only: never a value.
			e.log.Warn("migration note", "note", n)
		}
		return rebuildDerived(ctx, d, done)
	}
	if err := d.CheckCurrent(ctx); err != nil {
		return err
	}
	return nil
}

// demoOnFirstRun loads the demo dataset into an empty embedded database, so
// that a first `ketnap serve` shows something real. PostgreSQL databases
// are never seeded implicitly.
func demoOnFirstRun(ctx context.Context, d *db.DB, e env) error {
	if d.Dialect != "sqlite3" {
		return nil
	}
	ctx = viewer.SystemContext(ctx)
	found, err := d.Client.Organization.Query().Exist(ctx)
	if err != nil {
		return fmt.Errorf("checking for data: %w", err)
	}
	if found {
		return nil
	}
	// Append: tables other than the tree's may already hold rows (none
	// refer to organizations, which are empty), and the demo must not
	// keep the server from starting.
	res, err := seed.Demo(ctx, d, seed.Options{Append: true})
	if err != nil {
		return fmt.Errorf("loading the demo data: %w", err)
	}
	e.log.Info("empty database: loaded the demo data (Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu)",
		"organizations", res.Rows["organizations"], "candidates", res.Rows["candidates"],
		"admissions", res.Rows["admissions"], "elapsed", res.Elapsed.Round(time.Millisecond))
	return nil
}
