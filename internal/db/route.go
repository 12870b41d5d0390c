package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"ketnap/internal/apperr"
	"ketnap/internal/request"
)

// DefaultReplicaMaxLag is how far behind the primary a replica may be and
// still answer reads.
const DefaultReplicaMaxLag = 5 * time.Second

// ErrReadOnly refuses a write while the primary is unavailable.
var ErrReadOnly = apperr.New(apperr.CodeReadOnly, "",
	"hệ thống tạm thời chỉ cho phép đọc: cơ sở dữ liệu chính không sẵn sàng, vui lòng thử lại sau",
	"read-only for now: the primary database is unavailable, please try again later")

// RouteConfig tunes a Router.
type RouteConfig struct {
	// MaxLag is how far behind a replica may be and still answer reads; 0
	// means DefaultReplicaMaxLag.
	MaxLag time.Duration
	// CheckEvery is how often the servers' state and lag are read; 0 means
	// one second. A server found down is retried with a backoff from
	// CheckEvery doubling up to 30 times CheckEvery.
	CheckEvery time.Duration
}

// Server is one database server behind a Router.
type Server struct {
	// Name identifies the server in /readyz, metrics and logs: "primary" or
	// "replica1", "replica2", …, never its address (which may hold a password).
	Name string
	// SQL is the server's connection pool.
	SQL *sql.DB

	drv     *entsql.Driver
	primary bool

	statements atomic.Int64

	mu        sync.Mutex
	up        bool
	checked   bool
	lag       time.Duration
	replayLSN uint64
	caughtUp  time.Time
	retryAt   time.Time
	backoff   time.Duration
}

// State is a server's state as /readyz reports it.
type State struct {
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	State      string  `json:"state"`
	LagSeconds float64 `json:"lag_seconds"`
}

// Statements returns the number of SQL statements the server has run
// through the router, a hook for tests and metrics.
func (s *Server) Statements() int64 { return s.statements.Load() }

func (s *Server) isUp() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up
}

// Router is an ent driver over a primary and its streaming replicas: writes,
// transactions and every statement but a SELECT go to the primary; the
// SELECTs of a request marked ReadOnly go to one healthy replica, the same
// for the whole request, so that the data version it reads is the one its
// answer was computed at. It also counts each request's statements (see
// package request). With no replicas it only counts.
type Router struct {
	primary  *Server
	replicas []*Server
	cfg      RouteConfig
	log      *slog.Logger
	next     atomic.Uint64

	mu      sync.Mutex
	written map[int]written // read-your-writes: client → the LSN of its last write

	stop chan struct{}
	done chan struct{}
}

type written struct {
	lsn uint64
	at  time.Time
}

// NewRouter returns a router over primary and replicas (their pools); it
// starts checking the replicas when there are any, until Close.
func NewRouter(dia string, primary *sql.DB, replicas []*sql.DB, cfg RouteConfig, log *slog.Logger) *Router {
	if cfg.MaxLag == 0 {
		cfg.MaxLag = DefaultReplicaMaxLag
	}
	if cfg.CheckEvery == 0 {
		cfg.CheckEvery = time.Second
	}
	r := &Router{
		primary: &Server{Name: "primary", SQL: primary, drv: entsql.OpenDB(dia, primary), primary: true, up: true, checked: true},
		cfg:     cfg, log: log, written: map[int]written{},
	}
	for i, db := range replicas {
		r.replicas = append(r.replicas, &Server{Name: "replica" + strconv.Itoa(i+1), SQL: db, drv: entsql.OpenDB(dia, db)})
	}
	if len(r.replicas) > 0 {
		r.stop, r.done = make(chan struct{}), make(chan struct{})
		r.check(context.Background())
		go r.watch()
	}
	return r
}

// Primary returns the primary server.
func (r *Router) Primary() *Server { return r.primary }

// Replicas returns the replica servers.
func (r *Router) Replicas() []*Server { return r.replicas }

// PrimaryUp tells whether the primary was reachable at the last check or
// statement.
func (r *Router) PrimaryUp() bool { return r.primary.isUp() }

// States reports each server's state and lag.
func (r *Router) States() []State {
	out := make([]State, 0, 1+len(r.replicas))
	for _, s := range append([]*Server{r.primary}, r.replicas...) {
		s.mu.Lock()
		st := State{Name: s.Name, Role: "replica", State: "down", LagSeconds: s.lag.Seconds()}
		if s.primary {
			st.Role = "primary"
		}
		switch {
		case !s.checked:
			st.State = "unknown"
		case s.up && !s.primary && s.lag > r.cfg.MaxLag && r.primary.isUp():
			st.State = "lagging"
		case s.up:
			st.State = "up"
		}
		s.mu.Unlock()
		out = append(out, st)
	}
	return out
}

type routeKey struct{}

// pin is a request's choice of server for its reads.
type pin struct {
	mu      sync.Mutex
	srv     *Server
	minLSN  uint64
	primary bool
}

// ReadOnly returns a copy of ctx whose SELECTs may go to a replica: the
// context of a GraphQL query. client identifies who asks (a user id, 0 for
// none): after that client's write (NoteWrite) its reads go to the primary,
// or to a replica that has replayed the write, until the replicas catch up.
func (r *Router) ReadOnly(ctx context.Context, client int) context.Context {
	p := &pin{}
	if client != 0 {
		r.mu.Lock()
		p.minLSN = r.written[client].lsn
		r.mu.Unlock()
	}
	return context.WithValue(ctx, routeKey{}, p)
}

// OnPrimary returns a copy of ctx whose statements all go to the primary.
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, routeKey{}, &pin{primary: true})
}

// NoteWrite records the primary's WAL position after client's write, so that
// client's next reads see it (read-your-writes).
func (r *Router) NoteWrite(ctx context.Context, client int) {
	if len(r.replicas) == 0 || client == 0 {
		return
	}
	lsn, err := r.currentLSN(ctx)
	if err != nil {
		// Unknown position: read from the primary for a while.
		lsn = ^uint64(0)
	}
	r.mu.Lock()
	r.written[client] = written{lsn: lsn, at: time.Now()}
	r.mu.Unlock()
}

// currentLSN reads the primary's WAL insert position, which is past every
// commit record it has written: pg_current_wal_lsn is the position written
// out, which under synchronous_commit=off can still be before a commit that
// has returned, and a replica that had replayed up to it would not have the
// write.
func (r *Router) currentLSN(ctx context.Context) (uint64, error) {
	var s string
	if err := r.primary.SQL.QueryRowContext(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&s); err != nil {
		return 0, err
	}
	return parseLSN(s)
}

// parseLSN reads a PostgreSQL WAL position such as 16/B374D848.
func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	return h<<32 | l, nil
}

// healthy tells whether s may answer reads now.
func (r *Router) healthy(s *Server, primaryUp bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up && (!primaryUp || s.lag <= r.cfg.MaxLag)
}

// pick chooses the server for a SELECT under ctx.
func (r *Router) pick(ctx context.Context) *Server {
	p, _ := ctx.Value(routeKey{}).(*pin)
	primaryUp := r.primary.isUp()
	if p == nil || p.primary || len(r.replicas) == 0 {
		if primaryUp || len(r.replicas) == 0 {
			return r.primary
		}
		// Reads keep working while the primary is away.
		if s := r.anyReplica(ctx, 0, false); s != nil {
			return s
		}
		return r.primary
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv != nil && p.srv.isUp() {
		return p.srv
	}
	s := r.anyReplica(ctx, p.minLSN, true)
	if s == nil && !primaryUp {
		s = r.anyReplica(ctx, 0, false)
	}
	if s == nil {
		s = r.primary
	}
	p.srv = s
	if info := request.FromContext(ctx); info != nil {
		info.SetServer(s.Name)
	}
	return s
}

// anyReplica returns a replica that is up (and within the lag, when
// healthy), round robin, that has replayed minLSN; or nil.
func (r *Router) anyReplica(ctx context.Context, minLSN uint64, healthy bool) *Server {
	primaryUp := r.primary.isUp()
	n := len(r.replicas)
	start := int(r.next.Add(1) % uint64(n))
	var behind *Server
	for i := range n {
		s := r.replicas[(start+i)%n]
		if healthy && !r.healthy(s, primaryUp) || !s.isUp() {
			continue
		}
		s.mu.Lock()
		replayed := s.replayLSN
		s.mu.Unlock()
		if replayed >= minLSN {
			return s
		}
		if behind == nil {
			behind = s
		}
	}
	if behind == nil || minLSN == ^uint64(0) {
		return nil
	}
	// The last check may be stale: ask the replica whether it has replayed
	// the client's write now, once and briefly, else use the primary.
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if lsn, err := replayLSN(cctx, behind.SQL); err == nil && lsn >= minLSN {
		return behind
	}
	return nil
}

func replayLSN(ctx context.Context, db *sql.DB) (uint64, error) {
	var s sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT pg_last_wal_replay_lsn()::text").Scan(&s); err != nil {
		return 0, err
	}
	if !s.Valid {
		return ^uint64(0), nil // not a standby: it has everything it will get
	}
	return parseLSN(s.String)
}

// watch checks the servers until Close.
func (r *Router) watch() {
	defer close(r.done)
	t := time.NewTicker(r.cfg.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.check(context.Background())
		}
	}
}

// check reads the primary's WAL position, then each replica's replay
// position and lag; a server that does not answer is marked down and
// retried with a backoff.
func (r *Router) check(ctx context.Context) {
	now := time.Now()
	ctx, cancel := context.WithTimeout(ctx, max(r.cfg.CheckEvery, time.Second))
	defer cancel()
	primaryLSN, perr := r.currentLSN(ctx)
	r.setUp(r.primary, perr == nil, now, perr)
	for _, s := range r.replicas {
		s.mu.Lock()
		wait := !s.up && now.Before(s.retryAt)
		s.mu.Unlock()
		if wait {
			continue
		}
		var (
			lsnText sql.NullString
			since   sql.NullFloat64
		)
		err := s.SQL.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn()::text,
			EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8`).Scan(&lsnText, &since)
		r.setUp(s, err == nil, now, err)
		if err != nil {
			continue
		}
		lsn := ^uint64(0) // promoted, or not a standby
		if lsnText.Valid {
			if lsn, err = parseLSN(lsnText.String); err != nil {
				continue
			}
		}
		s.mu.Lock()
		s.replayLSN = lsn
		switch {
		case perr != nil:
			// The primary is away: nothing to be behind of.
		case lsn >= primaryLSN:
			s.caughtUp, s.lag = now, 0
		default:
			lag := now.Sub(s.caughtUp)
			if s.caughtUp.IsZero() {
				lag = r.cfg.MaxLag + time.Nanosecond
			}
			if since.Valid && since.Float64 >= 0 {
				lag = min(lag, time.Duration(since.Float64*float64(time.Second)))
			}
			s.lag = lag
		}
		s.mu.Unlock()
	}
	r.forget(now)
}

// forget drops read-your-writes positions every replica has replayed, or
// older than a minute.
func (r *Router) forget(now time.Time) {
	least := ^uint64(0)
	for _, s := range r.replicas {
		s.mu.Lock()
		if s.up {
			least = min(least, s.replayLSN)
		}
		s.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, w := range r.written {
		if w.lsn <= least || now.Sub(w.at) > time.Minute {
			delete(r.written, k)
		}
	}
}

func (r *Router) setUp(s *Server, up bool, now time.Time, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	was := s.up || !s.checked
	s.checked = true
	if up {
		if !s.up && r.log != nil {
			r.log.Info("database server is back", "server", s.Name)
		}
		s.up, s.backoff = true, 0
		return
	}
	if was && r.log != nil {
		r.log.Warn("database server is down", "server", s.Name, "error", safeErr(err))
	}
	s.up = false
	if s.backoff == 0 {
		s.backoff = r.cfg.CheckEvery
	} else {
		s.backoff = min(2*s.backoff, 30*r.cfg.CheckEvery)
	}
	s.retryAt = now.Add(s.backoff)
}

// markDown records a failed statement's server as down.
func (r *Router) markDown(s *Server, err error) {
	r.setUp(s, false, time.Now(), err)
}

// Close stops the checks and closes every pool.
func (r *Router) Close() error {
	if r.stop != nil {
		close(r.stop)
		<-r.done
	}
	errs := []error{r.primary.SQL.Close()}
	for _, s := range r.replicas {
		errs = append(errs, s.SQL.Close())
	}
	return errors.Join(errs...)
}

// Dialect implements dialect.Driver.
func (r *Router) Dialect() string { return r.primary.drv.Dialect() }

// Exec implements dialect.Driver: always on the primary.
func (r *Router) Exec(ctx context.Context, query string, args, v any) error {
	return r.write(ctx, func() error { return r.primary.drv.Exec(ctx, query, args, v) })
}

// Query implements dialect.Driver: a SELECT on the server the context picks,
// anything else (INSERT … RETURNING) on the primary.
func (r *Router) Query(ctx context.Context, query string, args, v any) error {
	if !isSelect(query) {
		return r.write(ctx, func() error { return r.primary.drv.Query(ctx, query, args, v) })
	}
	return r.read(ctx, func(s *Server) error { return s.drv.Query(ctx, query, args, v) })
}

// ExecContext runs a statement on the primary, as *sql.DB does.
func (r *Router) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := r.write(ctx, func() (err error) {
		res, err = r.primary.SQL.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// QueryContext runs a query as Query does, returning its rows.
func (r *Router) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	run := func(s *Server) (err error) {
		rows, err = s.SQL.QueryContext(ctx, query, args...)
		return err
	}
	if !isSelect(query) {
		return rows, r.write(ctx, func() error { return run(r.primary) })
	}
	return rows, r.read(ctx, run)
}

// Tx implements dialect.Driver: transactions run on the primary.
func (r *Router) Tx(ctx context.Context) (dialect.Tx, error) {
	return r.BeginTx(ctx, nil)
}

// BeginTx starts a transaction on the primary.
func (r *Router) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	var tx dialect.Tx
	err := r.write(ctx, func() (err error) {
		tx, err = r.primary.drv.BeginTx(ctx, opts)
		if err != nil || r.primary.drv.Dialect() != dialect.Postgres || (opts != nil && opts.ReadOnly) {
			return err
		}
		if err = tx.Exec(ctx, lockWrites, []any{}, nil); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("taking the write lock: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &countedTx{Tx: tx, srv: r.primary}, nil
}

// write runs a statement on the primary, failing fast with ErrReadOnly while
// it is known to be down.
func (r *Router) write(ctx context.Context, run func() error) error {
	if len(r.replicas) > 0 && !r.primary.isUp() {
		return ErrReadOnly
	}
	err := counted(ctx, r.primary, run)
	if err != nil && len(r.replicas) > 0 && isConnErr(err) {
		r.markDown(r.primary, err)
		return &apperr.Error{Code: ErrReadOnly.Code, VI: ErrReadOnly.VI, EN: ErrReadOnly.EN, Err: err}
	}
	return err
}

// read runs a SELECT on the server ctx picks; when that server's connection
// fails it is marked down and the read runs again elsewhere, so losing a
// server costs no client an error.
func (r *Router) read(ctx context.Context, run func(*Server) error) error {
	var err error
	for range 2 + len(r.replicas) {
		s := r.pick(ctx)
		err = counted(ctx, s, func() error { return run(s) })
		if err == nil || len(r.replicas) == 0 || !isConnErr(err) || ctx.Err() != nil {
			return err
		}
		r.markDown(s, err)
		if p, _ := ctx.Value(routeKey{}).(*pin); p != nil {
			p.mu.Lock()
			p.srv = nil
			p.mu.Unlock()
		}
	}
	return err
}

func counted(ctx context.Context, s *Server, run func() error) error {
	start := time.Now()
	err := run()
	s.statements.Add(1)
	if info := request.FromContext(ctx); info != nil {
		info.AddStatement(time.Since(start))
	}
	return err
}

// countedTx counts a transaction's statements.
type countedTx struct {
	dialect.Tx
	srv *Server
}

func (t *countedTx) Exec(ctx context.Context, query string, args, v any) error {
	return counted(ctx, t.srv, func() error { return t.Tx.Exec(ctx, query, args, v) })
}

func (t *countedTx) Query(ctx context.Context, query string, args, v any) error {
	return counted(ctx, t.srv, func() error { return t.Tx.Query(ctx, query, args, v) })
}

// ExecContext runs a statement in the transaction, as *sql.Tx does.
func (t *countedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, errors.New("Tx.ExecContext is not supported")
	}
	var res sql.Result
	err := counted(ctx, t.srv, func() (err error) {
		res, err = ex.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// QueryContext runs a query in the transaction, as *sql.Tx does.
func (t *countedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, errors.New("Tx.QueryContext is not supported")
	}
	var rows *sql.Rows
	err := counted(ctx, t.srv, func() (err error) {
		rows, err = q.QueryContext(ctx, query, args...)
		return err
	})
	return rows, err
}

// isSelect tells whether query only reads: a SELECT (no writable CTE starts
// with SELECT).
func isSelect(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT") && !strings.Contains(strings.ToUpper(q), " FOR UPDATE")
}

// isConnErr tells whether err means the server could not be reached or went
// away, rather than that the statement failed.
func isConnErr(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01–03: shutdown, crash, cannot connect now.
		return pe.Code.Class() == "08" || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" ||
			pe.Code == "25006" // read_only_sql_transaction: a standby got a write
	}
	return strings.Contains(err.Error(), "driver: bad connection") || strings.Contains(err.Error(), "connection refused")
}

// safeErr describes a connection error without an address's password.
func safeErr(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "invalid database URL"
	}
	return err.Error()
}

var (
	_ dialect.Driver = (*Router)(nil)
	_ dialect.Tx     = (*countedTx)(nil)
)
