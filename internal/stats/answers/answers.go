// Package answers defines the data version and keeps the statistics'
// answers while it stands still.
//
// The data version (table data_versions, one row) moves with every change
// to the tables the statistics and organizations read, through database
// triggers (migration 20261126090000_data_version), whatever wrote it: the
// API, a bulk load, another process, hand-written SQL. Untracked names the
// tables that do not move it.
//
// A Cache keeps whole answers by key. A computed answer is kept when the
// version read after computing it equals the version known before it
// started (read by an earlier request): versions only grow, so no change was
// committed meanwhile and the answer is that version's. Answers of older
// versions are dropped as soon as a newer version is seen.
package answers

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Untracked are the tables whose changes do not move the data version: they
// hold no statistic and no organization.
var Untracked = map[string]bool{"access_logs": true, "audit_events": true, "tokens": true, "users": true}

// Querier runs a query; *sql.DB, *sql.Tx and *ent.Client are Queriers.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Version reads the data version.
func Version(ctx context.Context, q Querier) (int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM data_versions WHERE id = 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var v int64
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return 0, errors.New("data_versions has no row")
	}
	if err := rows.Scan(&v); err != nil {
		return 0, err
	}
	return v, rows.Close()
}

// DefaultBytes bounds the answers a cache keeps.
const DefaultBytes = 64 << 20

// maxAnswerBytes bounds one answer; larger ones are not kept.
const maxAnswerBytes = 16 << 20

// maxAnswers bounds the number of answers kept, whatever their size.
const maxAnswers = 4096

// Key identifies an answer.
type Key = [sha256.Size]byte

// Cache keeps answers of one data version, at most maxBytes of them.
type Cache struct {
	maxBytes int

	mu sync.Mutex
	// version is the latest data version seen; known once one was.
	version int64
	known   bool
	bytes   int
	entries *lru.Cache[Key, *answer]
	// evictions counts answers dropped for space, for the metrics.
	evictions int64
}

type answer struct {
	version int64
	data    json.RawMessage
}

// New returns a cache of at most maxBytes of answers.
func New(maxBytes int) *Cache {
	c := &Cache{maxBytes: maxBytes}
	c.entries, _ = lru.NewWithEvict(maxAnswers, func(_ Key, a *answer) { c.bytes -= len(a.data) })
	return c
}

// Peek tells whether an answer is kept under key, and the version the
// cache knows (known false before any).
func (c *Cache) Peek(key Key) (kept bool, version int64, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, kept = c.entries.Peek(key)
	return kept, c.version, c.known
}

// Get returns the answer under key computed at version v, if any, and
// forgets every answer of an older version once v is newer.
func (c *Cache) Get(key Key, v int64) json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(v)
	a, ok := c.entries.Get(key)
	if !ok || a.version != v {
		return nil
	}
	return a.data
}

// Put notes version v, read after data was computed, and keeps data under
// key when it is that version's answer (ok) and fits.
func (c *Cache) Put(key Key, ok bool, v int64, data json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(v)
	if !ok || v != c.version || len(data) > maxAnswerBytes || len(data) > c.maxBytes {
		return
	}
	if old, ok := c.entries.Peek(key); ok {
		c.bytes -= len(old.data) // replaced without an eviction
	}
	if c.entries.Add(key, &answer{version: v, data: data}) {
		c.evictions++
	}
	c.bytes += len(data)
	for c.bytes > c.maxBytes {
		c.entries.RemoveOldest()
		c.evictions++
	}
}

// Len returns the number of answers kept and their bytes.
func (c *Cache) Len() (n, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Len(), c.bytes
}

// Evictions returns the number of answers dropped for space so far.
func (c *Cache) Evictions() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictions
}

// advance drops every answer once the data version moves past the cache's.
func (c *Cache) advance(v int64) {
	if !c.known || v > c.version {
		c.entries.Purge()
		c.version, c.known = v, true
	}
}
