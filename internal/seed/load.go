package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lib/pq"

	"ketnap/ent/migrate"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/stats/rollup"
	"ketnap/internal/tree"
)

// ErrNotEmpty reports a database that already holds data, which a seed
// does not touch unless told to append or reset.
var ErrNotEmpty = errors.New("cơ sở dữ liệu đã có dữ liệu: dùng --append để thêm hoặc --reset để xóa trước / the database is not empty: use --append to add to it or --reset to empty it first")

// Options configure a seed load.
type Options struct {
	// Append loads into a database that already holds data; new rows take
	// ids after the existing ones and organization codes get a run prefix.
	Append bool
	// Progress, when set, is called now and then with the rows written so
	// far and the expected total (an estimate).
	Progress func(done, total int64)
}

// Result describes a finished load.
type Result struct {
	// Rows counts the rows written per table, the closure table included.
	Rows map[string]int64
	// Checksum is the SHA-256 of the generated rows in canonical form: the
	// same seed gives the same checksum on every database.
	Checksum string
	// Elapsed is the wall time of the load.
	Elapsed time.Duration
	// Phases splits Elapsed into steps.
	Phases []Phase
}

// Total returns the number of rows written.
func (r *Result) Total() int64 {
	var n int64
	for _, v := range r.Rows {
		n += v
	}
	return n
}

// ids hands out explicit ids per table, inside each table's global-ID range.
type ids struct {
	next map[string]int
}

// take returns the next id of a table.
func (a *ids) take(t *table) int {
	id := a.next[t.name]
	a.next[t.name] = id + 1
	return id
}

// peek returns the id the next take of t will return.
func (a *ids) peek(t *table) int { return a.next[t.name] }

// rangeStarts returns the first id of each table's global-ID range, as
// the generated migration schema records it.
func rangeStarts() (map[string]int, error) {
	starts := map[string]int{}
	for _, t := range migrate.Tables {
		if t.Annotation == nil || t.Annotation.IncrementStart == nil {
			return nil, fmt.Errorf("reading global-ID ranges: table %s has no range", t.Name)
		}
		starts[t.Name] = *t.Annotation.IncrementStart
	}
	return starts, nil
}

// queryer is what the loader needs from a transaction.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// allocIDs starts each table after its largest id, or at its range start.
// The range start itself is skipped: PostgreSQL identities begin there.
func allocIDs(ctx context.Context, q queryer) (*ids, error) {
	starts, err := rangeStarts()
	if err != nil {
		return nil, err
	}
	a := &ids{next: map[string]int{}}
	for _, t := range loadTables {
		var maxID sql.NullInt64
		if err := q.QueryRowContext(ctx, "SELECT MAX(id) FROM "+quote(t.name)).Scan(&maxID); err != nil {
			return nil, fmt.Errorf("reading largest id of %s: %w", t.name, err)
		}
		a.next[t.name] = max(starts[t.name]+1, int(maxID.Int64)+1)
	}
	return a, nil
}

// IsEmpty reports whether none of ketnap's tables holds a row.
func IsEmpty(ctx context.Context, d *db.DB) (bool, error) {
	ctx = viewer.SystemContext(ctx) // a loader works below the viewer's scope
	for _, t := range migrate.Tables {
		var found bool
		err := d.SQL.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+quote(t.Name)+")").Scan(&found)
		if err != nil {
			return false, fmt.Errorf("checking whether %s is empty: %w", t.Name, err)
		}
		if found {
			return false, nil
		}
	}
	return true, nil
}

// Reset empties every table of the schema in one transaction, keeping the
// schema and restarting each table's ids at the start of its range.
func Reset(ctx context.Context, d *db.DB) error {
	ctx = viewer.SystemContext(ctx) // a loader works below the viewer's scope
	names := make([]string, len(migrate.Tables))
	for i, t := range migrate.Tables {
		names[i] = quote(t.Name)
	}
	if d.Dialect != "sqlite3" {
		return inTx(ctx, d.SQL, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "TRUNCATE "+strings.Join(names, ", ")+" RESTART IDENTITY CASCADE")
			if err != nil {
				return fmt.Errorf("emptying tables: %w", err)
			}
			return nil
		})
	}
	// Foreign keys are switched off for the connection (it cannot be done
	// inside a transaction): every table is emptied, so none can dangle,
	// and RESTRICT would otherwise refuse to delete a parent before its children.
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("emptying tables: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("emptying tables: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	starts, err := rangeStarts()
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("emptying tables: %w", err)
	}
	defer tx.Rollback()
	for _, t := range migrate.Tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quote(t.Name)); err != nil {
			return fmt.Errorf("emptying %s: %w", t.Name, err)
		}
		if start, ok := starts[t.Name]; ok {
			if _, err := tx.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", start, t.Name); err != nil {
				return fmt.Errorf("restarting ids of %s: %w", t.Name, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("emptying tables: %w", err)
	}
	return nil
}

// generator writes the rows of a seed through w, taking ids from a.
type generator func(ctx context.Context, w *writer, a *ids) error

// load runs gen in one transaction, then derives the closure table, bumps
// the id sequences and calls AfterLoad. bulk drops the secondary indexes
// and foreign keys of the loaded tables on PostgreSQL while loading and
// rebuilds them afterwards, which is much faster for millions of rows.
func load(ctx context.Context, d *db.DB, opts Options, bulk bool, total int64, gen generator) (*Result, error) {
	start := time.Now()
	phases := &phaseLog{last: start}
	if !opts.Append {
		empty, err := IsEmpty(ctx, d)
		if err != nil {
			return nil, err
		}
		if !empty {
			return nil, ErrNotEmpty
		}
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close()
	sqlite := d.Dialect == "sqlite3"
	if sqlite {
		// The load is one transaction, so losing it to a crash loses nothing
		// committed; restore the durable settings afterwards.
		for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return nil, fmt.Errorf("preparing SQLite for loading: %w", err)
			}
		}
		defer func() {
			bg := context.WithoutCancel(ctx)
			for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT"} {
				_, _ = conn.ExecContext(bg, p)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("starting the load: %w", err)
	}
	defer tx.Rollback()
	a, err := allocIDs(ctx, tx)
	if err != nil {
		return nil, err
	}
	var s sink
	var restore func() error
	if sqlite {
		s = &sqliteSink{ctx: ctx, tx: tx}
	} else {
		s = &pgSink{ctx: ctx, tx: tx}
		if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
			return nil, fmt.Errorf("preparing PostgreSQL for loading: %w", err)
		}
		if bulk {
			if restore, err = dropIndexes(ctx, tx); err != nil {
				return nil, err
			}
		}
	}
	var progress func(int64)
	if opts.Progress != nil {
		progress = func(n int64) { opts.Progress(n, total) }
	}
	w := newWriter(s, progress)
	if err := gen(ctx, w, a); err != nil {
		return nil, err
	}
	phases.mark("rows")
	if err := tree.Rebuild(ctx, tx); err != nil {
		return nil, err
	}
	phases.mark("closure")
	if restore != nil {
		if err := restore(); err != nil {
			return nil, err
		}
		phases.mark("indexes and foreign keys")
	}
	if err := bumpSequences(ctx, tx, sqlite); err != nil {
		return nil, err
	}
	phases.mark("sequences")
	rows := w.perTable
	var closures int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM organization_closures").Scan(&closures); err != nil {
		return nil, fmt.Errorf("counting closure rows: %w", err)
	}
	rows["organization_closures"] = closures
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("committing the load: %w", err)
	}
	phases.mark("commit")
	if opts.Progress != nil {
		opts.Progress(w.rows, w.rows)
	}
	if !sqlite {
		if _, err := conn.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, fmt.Errorf("analyzing: %w", err)
		}
		phases.mark("analyze")
	}
	// Bulk loading bypasses the ent hooks: the statistics rollups derived
	// from the loaded rows are rebuilt before the load returns.
	if err := rollup.Rebuild(ctx, d.Client); err != nil {
		return nil, fmt.Errorf("rebuilding the statistics rollups: %w", err)
	}
	phases.mark("rollups")
	return &Result{Rows: rows, Checksum: w.checksum(), Elapsed: time.Since(start), Phases: phases.list}, nil
}

// bumpSequences moves each table's id generator past the loaded rows, so
// that later inserts through ent do not collide with them.
func bumpSequences(ctx context.Context, tx *sql.Tx, sqlite bool) error {
	for _, t := range loadTables {
		var q string
		if sqlite {
			q = "UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM " + quote(t.name) + ") " +
				"WHERE name = ? AND seq < (SELECT MAX(id) FROM " + quote(t.name) + ")"
		} else {
			q = "SELECT setval(pg_get_serial_sequence($1, 'id'), m) FROM (SELECT MAX(id) AS m FROM " + quote(t.name) + ") x WHERE m IS NOT NULL"
		}
		if _, err := tx.ExecContext(ctx, q, t.name); err != nil {
			return fmt.Errorf("moving the id sequence of %s: %w", t.name, err)
		}
	}
	return nil
}

// dropIndexes drops the foreign keys touching the loaded tables and their
// indexes other than primary keys, returning a function that recreates
// them from their saved definitions. It runs inside the load transaction,
// so a failed load restores them with everything else.
func dropIndexes(ctx context.Context, tx *sql.Tx) (func() error, error) {
	names := []string{"organization_closures"}
	for _, t := range loadTables {
		names = append(names, t.name)
	}
	fks, err := queryStrings(ctx, tx, 3, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c
		WHERE c.contype = 'f' AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))
		ORDER BY 1, 2`, pq.Array(names))
	if err != nil {
		return nil, fmt.Errorf("listing foreign keys: %w", err)
	}
	idxs, err := queryStrings(ctx, tx, 2, `SELECT i.indexname, i.indexdef
		FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
		ORDER BY 1`, pq.Array(names))
	if err != nil {
		return nil, fmt.Errorf("listing indexes: %w", err)
	}
	for _, f := range fks { // table, name, definition
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+f[0]+" DROP CONSTRAINT "+quote(f[1])); err != nil {
			return nil, fmt.Errorf("dropping foreign key %s: %w", f[1], err)
		}
	}
	for _, i := range idxs { // name, definition
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+quote(i[0])); err != nil {
			return nil, fmt.Errorf("dropping index %s: %w", i[0], err)
		}
	}
	return func() error {
		for _, i := range idxs {
			if _, err := tx.ExecContext(ctx, i[1]); err != nil {
				return fmt.Errorf("rebuilding index %s: %w", i[0], err)
			}
		}
		for _, f := range fks {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+f[0]+" ADD CONSTRAINT "+quote(f[1])+" "+f[2]); err != nil {
				return fmt.Errorf("restoring foreign key %s: %w", f[1], err)
			}
		}
		return nil
	}, nil
}

// queryStrings returns the rows of a query of n text columns.
func queryStrings(ctx context.Context, tx *sql.Tx, n int, query string, args ...any) ([][]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		row := make([]string, n)
		ptrs := make([]any, n)
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// inTx runs fn in a transaction of pool.
func inTx(ctx context.Context, pool *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// quote quotes an identifier for both dialects (SQLite accepts the
// standard double quotes too).
func quote(name string) string { return pq.QuoteIdentifier(name) }

// pgSink streams rows with COPY, in batches so that errors surface early
// and no single statement buffers without bound.
type pgSink struct {
	ctx  context.Context
	tx   *sql.Tx
	t    *table
	stmt *sql.Stmt
	n    int
}

const pgBatch = 100000

func (s *pgSink) begin(t *table) error {
	s.t = t
	return s.open()
}

func (s *pgSink) open() error {
	cols := make([]string, len(s.t.cols))
	for i, c := range s.t.cols {
		cols[i] = quote(c)
	}
	stmt, err := s.tx.PrepareContext(s.ctx, "COPY "+quote(s.t.name)+" ("+strings.Join(cols, ", ")+") FROM STDIN")
	if err != nil {
		return fmt.Errorf("copying into %s: %w", s.t.name, err)
	}
	s.stmt, s.n = stmt, 0
	return nil
}

func (s *pgSink) row(vals []any) error {
	if _, err := s.stmt.ExecContext(s.ctx, vals...); err != nil {
		return fmt.Errorf("copying into %s: %w", s.t.name, err)
	}
	s.n++
	if s.n == pgBatch {
		if err := s.end(); err != nil {
			return err
		}
		return s.open()
	}
	return nil
}

func (s *pgSink) end() error {
	if s.stmt == nil {
		return nil
	}
	_, err := s.stmt.ExecContext(s.ctx)
	cerr := s.stmt.Close()
	s.stmt = nil
	if err != nil {
		return fmt.Errorf("copying into %s: %w", s.t.name, err)
	}
	if cerr != nil {
		return fmt.Errorf("copying into %s: %w", s.t.name, cerr)
	}
	return nil
}

// sqliteSink writes rows with prepared multi-row INSERTs.
type sqliteSink struct {
	ctx  context.Context
	tx   *sql.Tx
	t    *table
	per  int // rows per statement
	stmt *sql.Stmt
	args []any
}

func (s *sqliteSink) begin(t *table) error {
	s.t = t
	s.per = min(256, 30000/len(t.cols))
	stmt, err := s.tx.PrepareContext(s.ctx, s.insert(s.per))
	if err != nil {
		return fmt.Errorf("inserting into %s: %w", t.name, err)
	}
	s.stmt = stmt
	s.args = s.args[:0]
	return nil
}

// insert returns a multi-row INSERT of n rows.
func (s *sqliteSink) insert(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quote(s.t.name) + " (")
	for i, c := range s.t.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c))
	}
	b.WriteString(") VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(s.t.cols)), ", ") + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

func (s *sqliteSink) row(vals []any) error {
	s.args = append(s.args, vals...)
	if len(s.args) == s.per*len(s.t.cols) {
		if _, err := s.stmt.ExecContext(s.ctx, s.args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", s.t.name, err)
		}
		s.args = s.args[:0]
	}
	return nil
}

func (s *sqliteSink) end() error {
	defer s.stmt.Close()
	if n := len(s.args) / len(s.t.cols); n > 0 {
		if _, err := s.tx.ExecContext(s.ctx, s.insert(n), s.args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", s.t.name, err)
		}
	}
	s.args = s.args[:0]
	return nil
}

// Tables returns the names of the tables written, sorted.
func (r *Result) Tables() []string {
	names := make([]string, 0, len(r.Rows))
	for n := range r.Rows {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Phase is a step of a load and its wall time.
type Phase struct {
	Name    string
	Elapsed time.Duration
}

type phaseLog struct {
	list []Phase
	last time.Time
}

// mark ends a phase.
func (p *phaseLog) mark(name string) {
	now := time.Now()
	p.list = append(p.list, Phase{name, now.Sub(p.last)})
	p.last = now
}
