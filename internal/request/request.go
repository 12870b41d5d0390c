// Package request carries the facts of one API request that its log line and
// its metrics report: its id, the GraphQL operation, who asked, how many SQL
// statements it ran and for how long, and whether the answer came from the
// cache. The HTTP layer creates an Info, the GraphQL extensions and the
// database driver fill it in, and the HTTP layer reports it when the
// request ends. It never holds variables, tokens or personal data.
package request

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Info is what is known about one request; safe for concurrent use, since
// resolvers run in parallel.
type Info struct {
	// ID identifies the request in logs and in the X-Request-ID header.
	ID string

	statements atomic.Int64
	sqlNanos   atomic.Int64

	mu        sync.Mutex
	operation string
	opType    string
	outcome   string
	userID    int
	cacheHit  bool
	server    string
}

// Facts is a snapshot of an Info.
type Facts struct {
	Operation  string
	OpType     string
	Outcome    string
	UserID     int
	CacheHit   bool
	Server     string
	Statements int64
	SQLTime    time.Duration
}

// New returns an Info with the given id, or a fresh random one when id is
// not a safe request id (see ValidID).
func New(id string) *Info {
	if !ValidID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	return &Info{ID: id}
}

// ValidID tells whether id may be taken from a client's X-Request-ID header:
// 1 to 64 letters, digits, '-' or '_', so a header cannot inject log fields.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// AddStatement counts one SQL statement that took d.
func (i *Info) AddStatement(d time.Duration) {
	i.statements.Add(1)
	i.sqlNanos.Add(int64(d))
}

// SetOperation records the GraphQL operation's (bounded) name and type.
func (i *Info) SetOperation(name, opType string) {
	i.mu.Lock()
	i.operation, i.opType = name, opType
	i.mu.Unlock()
}

// SetOutcome records the operation's outcome: "ok" or an error code.
func (i *Info) SetOutcome(outcome string) {
	i.mu.Lock()
	i.outcome = outcome
	i.mu.Unlock()
}

// SetUser records the signed-in user's id.
func (i *Info) SetUser(id int) {
	i.mu.Lock()
	i.userID = id
	i.mu.Unlock()
}

// SetCacheHit records that the answer came from the answer cache.
func (i *Info) SetCacheHit() {
	i.mu.Lock()
	i.cacheHit = true
	i.mu.Unlock()
}

// SetServer records which database server answered the reads.
func (i *Info) SetServer(name string) {
	i.mu.Lock()
	i.server = name
	i.mu.Unlock()
}

// Facts returns a snapshot of the Info.
func (i *Info) Facts() Facts {
	i.mu.Lock()
	defer i.mu.Unlock()
	return Facts{
		Operation: i.operation, OpType: i.opType, Outcome: i.outcome, UserID: i.userID,
		CacheHit: i.cacheHit, Server: i.server,
		Statements: i.statements.Load(), SQLTime: time.Duration(i.sqlNanos.Load()),
	}
}

type ctxKey struct{}

// NewContext returns a copy of ctx carrying i.
func NewContext(ctx context.Context, i *Info) context.Context {
	return context.WithValue(ctx, ctxKey{}, i)
}

// FromContext returns the Info of ctx, or nil outside a request.
func FromContext(ctx context.Context) *Info {
	i, _ := ctx.Value(ctxKey{}).(*Info)
	return i
}

// LogHandler adds the request id of the record's context to every record,
// so that a request's error lines can be found from its X-Request-ID.
type LogHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if i := FromContext(ctx); i != nil {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", i.ID))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h LogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return LogHandler{h.Handler.WithAttrs(as)}
}

// WithGroup implements slog.Handler.
func (h LogHandler) WithGroup(name string) slog.Handler {
	return LogHandler{h.Handler.WithGroup(name)}
}

// Logger returns log whose records carry their request's id.
func Logger(log *slog.Logger) *slog.Logger {
	if _, ok := log.Handler().(LogHandler); ok {
		return log
	}
	return slog.New(LogHandler{log.Handler()})
}
