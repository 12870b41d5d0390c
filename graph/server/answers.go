package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/ent"
	"ketnap/internal/access/viewer"
	"ketnap/internal/locale"
)

// DefaultAnswerCacheBytes bounds the answers the cache keeps.
const DefaultAnswerCacheBytes = 64 << 20

// maxAnswerBytes bounds one cached answer; larger ones are not kept.
const maxAnswerBytes = 16 << 20

// maxAnswers bounds the number of answers kept, whatever their size.
const maxAnswers = 4096

// answerTypes are the object types a cacheable answer may hold besides
// scalars and enums: statistics and organizations, no personal record. An
// operation that reaches any other type (a candidate, a connection, a user)
// is never cached, so every read of personal data still runs, is checked
// and is written to the access log.
var answerTypes = map[string]bool{"Stats": true, "Point": true, "Bucket": true, "Organization": true}

// AnswerCache keeps the whole answers of statistics queries (operations
// whose root fields are all `stats`) until the data changes. The data
// version (table data_versions) moves with every change to the tables the
// statistics and organizations read, through database triggers, whatever
// wrote it: the API, a bulk load, another process.
//
// A computed answer is kept when the version read after it equals the
// version known before it started (read by an earlier request): versions
// only grow, so no change was committed meanwhile and the answer is that
// version's. A request whose answer is kept reads the version (one indexed
// statement) and is served from the cache when they match. Answers of older
// versions are dropped as soon as a newer one is seen. Nothing is read
// before an answer is computed, so bad input still runs no SQL.
//
// An answer is keyed by the operation's text and name, its variables, the
// viewer's role and scope and the answer's language: two viewers share an
// answer only when the privacy rules let them see the same. Answers with
// errors are not kept.
type AnswerCache struct {
	client   *ent.Client
	log      *slog.Logger
	maxBytes int

	mu sync.Mutex
	// version is the latest data version read; known once one was read.
	version int64
	known   bool
	bytes   int
	entries *lru.Cache[[sha256.Size]byte, *answer]
}

type answer struct {
	version int64
	data    json.RawMessage
}

// NewAnswerCache returns a cache of at most maxBytes of answers read
// through client.
func NewAnswerCache(client *ent.Client, maxBytes int, log *slog.Logger) *AnswerCache {
	c := &AnswerCache{client: client, log: log, maxBytes: maxBytes}
	c.entries, _ = lru.NewWithEvict(maxAnswers, func(_ [sha256.Size]byte, a *answer) { c.bytes -= len(a.data) })
	return c
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
	c.mu.Lock()
	_, kept := c.entries.Peek(key)
	before, known := c.version, c.known
	c.mu.Unlock()
	if kept {
		v, err := c.currentVersion(ctx)
		if err != nil {
			// Not fatal: answer without the cache.
			c.log.WarnContext(ctx, "reading the data version", "error", err)
			return next(ctx)
		}
		if data := c.get(key, v); data != nil {
			return &graphql.Response{Data: data}
		}
		before, known = v, true
	}
	resp := next(ctx)
	if !keepable(resp) {
		return resp
	}
	after, err := c.currentVersion(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "reading the data version", "error", err)
		return resp
	}
	c.put(key, known && after == before, after, resp.Data)
	return resp
}

// keepable tells whether resp is a whole answer, without errors.
func keepable(resp *graphql.Response) bool {
	return resp != nil && len(resp.Errors) == 0 && len(resp.Extensions) == 0 && len(resp.Data) > 0
}

// currentVersion reads the data version.
func (c *AnswerCache) currentVersion(ctx context.Context) (int64, error) {
	rows, err := c.client.QueryContext(ctx, "SELECT version FROM data_versions WHERE id = 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var v int64
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("data_versions has no row")
	}
	if err := rows.Scan(&v); err != nil {
		return 0, err
	}
	return v, rows.Close()
}

// get returns the answer under key computed at version v, if any, and
// forgets every answer of an older version once v is newer.
func (c *AnswerCache) get(key [sha256.Size]byte, v int64) json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(v)
	a, ok := c.entries.Get(key)
	if !ok || a.version != v {
		return nil
	}
	return a.data
}

// put notes version v, read after data was computed, and keeps data under
// key when it is that version's answer (ok) and fits.
func (c *AnswerCache) put(key [sha256.Size]byte, ok bool, v int64, data json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(v)
	if !ok || v != c.version || len(data) > maxAnswerBytes || len(data) > c.maxBytes {
		return
	}
	if old, ok := c.entries.Peek(key); ok {
		c.bytes -= len(old.data) // replaced without an eviction
	}
	c.entries.Add(key, &answer{version: v, data: data})
	c.bytes += len(data)
	for c.bytes > c.maxBytes {
		c.entries.RemoveOldest()
	}
}

// advance drops every answer once the data version moves past the cache's.
func (c *AnswerCache) advance(v int64) {
	if !c.known || v > c.version {
		c.entries.Purge()
		c.version, c.known = v, true
	}
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
func answerKey(ctx context.Context, oc *graphql.OperationContext) ([sha256.Size]byte, error) {
	vars, err := json.Marshal(oc.Variables) // map keys sorted
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		return [sha256.Size]byte{}, fmt.Errorf("no viewer")
	}
	root, scoped := v.Scope()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%t\x00%s\x00%d:%s\x00%d:%s\x00", v.Role, root, scoped, locale.From(ctx),
		len(oc.OperationName), oc.OperationName, len(oc.RawQuery), oc.RawQuery)
	h.Write(vars)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, nil
}
