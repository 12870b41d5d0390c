package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/ent"
	"ketnap/internal/access/viewer"
	"ketnap/internal/locale"
	"ketnap/internal/metrics"
	"ketnap/internal/request"
	"ketnap/internal/stats/answers"
)

// DefaultAnswerCacheBytes bounds the answers the cache keeps.
const DefaultAnswerCacheBytes = answers.DefaultBytes

// answerTypes are the object types a cacheable answer may hold besides
// scalars and enums: statistics and organizations, no personal record. An
// operation that reaches any other type (a candidate, a connection, a user)
// is never cached, so every read of personal data still runs, is checked
// and is written to the access log.
var answerTypes = map[string]bool{"Stats": true, "Point": true, "Bucket": true, "KeyedSeries": true, "Organization": true}

// AnswerCache keeps the whole answers of statistics queries (operations
// whose root fields are all `stats`) in an answers.Cache until the data
// version moves (see package answers for the rule that keeps it exact).
// A request whose answer is kept reads the version (one indexed statement)
// and is served from the cache when they match. Nothing is read before an
// answer is computed, so bad input still runs no SQL.
//
// An answer is keyed by the operation's text and name, its variables, the
// viewer's role and scope and the answer's language: two viewers share an
// answer only when the privacy rules let them see the same. Answers with
// errors are not kept.
type AnswerCache struct {
	client *ent.Client
	log    *slog.Logger
	store  *answers.Cache
	// metrics counts hits and misses; nil counts nothing.
	metrics *metrics.Metrics
	// readBefore reads the version before computing an answer, on the
	// server that computes it: with replicas, the version the cache knows
	// may come from another server, whose past says nothing of this one's.
	readBefore bool

	// flights are the answers being computed, by key and the version known
	// before: concurrent misses for one answer share one computation.
	mu      sync.Mutex
	flights map[flightKey]*flight
}

// flightKey names one computation: the answer and the data version known
// before it started.
type flightKey struct {
	key     answers.Key
	version int64
}

// flight is one computation that others may wait for. Its data is shared
// (shared true, set before done is closed) only when no change was
// committed between the moment its version was known and the version read
// after it: every request that joined it did so within that span.
type flight struct {
	done   chan struct{}
	data   json.RawMessage
	shared bool
	// joined counts the requests waiting on it (under the cache's mu).
	joined int
}

// observe sets the metrics and whether reads go to several servers.
func (c *AnswerCache) observe(m *metrics.Metrics, replicated bool) {
	c.metrics, c.readBefore = m, replicated
	if m != nil {
		m.AnswerCache(c.store)
	}
}

// NewAnswerCache returns a cache of at most maxBytes of answers read
// through client.
func NewAnswerCache(client *ent.Client, maxBytes int, log *slog.Logger) *AnswerCache {
	return &AnswerCache{client: client, log: log, store: answers.New(maxBytes), flights: map[flightKey]*flight{}}
}

var (
	_ graphql.HandlerExtension    = (*AnswerCache)(nil)
	_ graphql.ResponseInterceptor = (*AnswerCache)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (*AnswerCache) ExtensionName() string { return "AnswerCache" }

// Validate implements graphql.HandlerExtension.
func (*AnswerCache) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (c *AnswerCache) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if len(graphql.GetErrors(ctx)) > 0 || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if !cacheable(oc) {
		return next(ctx)
	}
	key, err := answerKey(ctx, oc)
	if err != nil {
		return next(ctx)
	}
	kept, before, known := c.store.Peek(key)
	if kept {
		v, err := answers.Version(ctx, c.client)
		if err != nil {
			// Not fatal: answer without the cache.
			c.log.WarnContext(ctx, "reading the data version", "error", err)
			return next(ctx)
		}
		if data := c.store.Get(key, v); data != nil {
			c.hit(ctx)
			return &graphql.Response{Data: data}
		}
		before, known = v, true
	} else if c.readBefore {
		v, err := answers.Version(ctx, c.client)
		if err != nil {
			c.log.WarnContext(ctx, "reading the data version", "error", err)
			return next(ctx)
		}
		before, known = v, true
	}
	if !known {
		return c.compute(ctx, key, before, known, nil, next)
	}
	fk := flightKey{key, before}
	c.mu.Lock()
	if f, ok := c.flights[fk]; ok {
		f.joined++
		c.mu.Unlock()
		select {
		case <-f.done:
			if f.shared {
				c.hit(ctx)
				return &graphql.Response{Data: f.data}
			}
			// A change was committed meanwhile: compute this one alone.
		case <-ctx.Done():
		}
		return c.compute(ctx, key, before, known, nil, next)
	}
	f := &flight{done: make(chan struct{})}
	c.flights[fk] = f
	c.mu.Unlock()
	return c.compute(ctx, key, before, known, &inFlight{fk, f}, next)
}

// inFlight is a computation others wait on, with its name in flights.
type inFlight struct {
	key flightKey
	*flight
}

// hit counts an answer served without computing it.
func (c *AnswerCache) hit(ctx context.Context) {
	if c.metrics != nil {
		c.metrics.CacheHits.Inc()
	}
	if info := request.FromContext(ctx); info != nil {
		info.SetCacheHit()
	}
}

// compute answers a miss and keeps the answer when it is version before's.
// f, when not nil, is the computation others wait on: it leaves flights
// before the version is read again, so everyone who joined it joined
// before that read, and they are given the answer only when it holds for
// them.
func (c *AnswerCache) compute(ctx context.Context, key answers.Key, before int64, known bool, f *inFlight, next graphql.ResponseHandler) *graphql.Response {
	land := func() {}
	if f != nil {
		land = func() {
			c.mu.Lock()
			if c.flights[f.key] == f.flight {
				delete(c.flights, f.key)
			}
			c.mu.Unlock()
		}
		defer func() {
			land()
			close(f.done)
		}()
	}
	if c.metrics != nil {
		c.metrics.CacheMisses.Inc()
	}
	resp := next(ctx)
	land()
	if !keepable(resp) {
		return resp
	}
	after, err := answers.Version(ctx, c.client)
	if err != nil {
		c.log.WarnContext(ctx, "reading the data version", "error", err)
		return resp
	}
	ok := known && after == before
	if f != nil {
		f.data, f.shared = resp.Data, ok
	}
	c.store.Put(key, ok, after, resp.Data)
	return resp
}

// keepable tells whether resp is a whole answer, without errors.
func keepable(resp *graphql.Response) bool {
	return resp != nil && len(resp.Errors) == 0 && len(resp.Extensions) == 0 && len(resp.Data) > 0
}

// cacheable tells whether oc is a query whose root fields are all `stats`
// and whose answer holds only statistics and organizations.
func cacheable(oc *graphql.OperationContext) bool {
	op := oc.Operation
	if op == nil || op.Operation != ast.Query {
		return false
	}
	stats := false
	for _, sel := range flatten(op.SelectionSet) {
		if sel.Name == "__typename" {
			continue
		}
		if sel.Name != "stats" {
			return false
		}
		stats = true
	}
	return stats && answerShape(op.SelectionSet)
}

// flatten lists the fields of a selection set, through its fragments.
func flatten(set ast.SelectionSet) []*ast.Field {
	var out []*ast.Field
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			out = append(out, flatten(s.SelectionSet)...)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				out = append(out, flatten(s.Definition.SelectionSet)...)
			}
		}
	}
	return out
}

// answerShape tells whether every field of set, at any depth, returns a
// scalar, an enum or one of answerTypes.
func answerShape(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			if s.Definition == nil || s.Definition.Type == nil {
				return false
			}
			name := s.Definition.Type.Name()
			if len(s.SelectionSet) == 0 {
				// A leaf: validation has checked it is a scalar or an enum.
				continue
			}
			if !answerTypes[name] || !answerShape(s.SelectionSet) {
				return false
			}
		case *ast.InlineFragment:
			if !answerShape(s.SelectionSet) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !answerShape(s.Definition.SelectionSet) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// answerKey identifies an answer: what was asked, by whom (as the privacy
// rules see them), in which language.
func answerKey(ctx context.Context, oc *graphql.OperationContext) (answers.Key, error) {
	vars, err := json.Marshal(oc.Variables) // map keys sorted
	if err != nil {
		return answers.Key{}, err
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		return answers.Key{}, fmt.Errorf("no viewer")
	}
	root, scoped := v.Scope()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%t\x00%s\x00%d:%s\x00%d:%s\x00", v.Role, root, scoped, locale.From(ctx),
		len(oc.OperationName), oc.OperationName, len(oc.RawQuery), oc.RawQuery)
	h.Write(vars)
	var key answers.Key
	h.Sum(key[:0])
	return key, nil
}
