package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"ketnap/ent"
	"ketnap/internal/access/viewer"
)

// VerifiedTTL is how long a verified token's viewer is taken from memory
// before the database is asked again. Revoking a token, disabling a user or
// setting a password through this process takes effect at once; the same
// change made by another process (another API server, the CLI) within
// VerifiedTTL.
const VerifiedTTL = 5 * time.Second

// maxVerified bounds the tokens kept; past it the cache starts afresh.
const maxVerified = 10_000

// verifiedTokens keeps the viewers of recently verified tokens by token
// hash, so that a request does not cost a database round trip to know who
// sends it. An entry holds while its generation is current: every change
// to tokens or users made here moves the generation when it is made and
// again when its transaction commits, so a lookup that read the row before
// the commit cannot keep its stale answer.
type verifiedTokens struct {
	ttl time.Duration
	gen atomic.Uint64

	mu      sync.Mutex
	entries map[string]verifiedToken
}

type verifiedToken struct {
	viewer  viewer.Viewer
	expires time.Time // the token's own expiry
	checked time.Time
	gen     uint64
}

func newVerifiedTokens(ttl time.Duration) *verifiedTokens {
	return &verifiedTokens{ttl: ttl, entries: map[string]verifiedToken{}}
}

// get returns the viewer kept for hash, if it still holds at now.
func (c *verifiedTokens) get(hash string, now time.Time) (*viewer.Viewer, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[hash]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || now.Sub(e.checked) >= c.ttl || now.Before(e.checked) || !now.Before(e.expires) {
		return nil, false
	}
	v := e.viewer
	return &v, true
}

// put keeps v for hash, verified at now under generation gen (read before
// the lookup): nothing is kept if the generation has moved since.
func (c *verifiedTokens) put(hash string, v *viewer.Viewer, expires, now time.Time, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen.Load() {
		return
	}
	if len(c.entries) >= maxVerified {
		clear(c.entries)
	}
	c.entries[hash] = verifiedToken{viewer: *v, expires: expires, checked: now, gen: gen}
}

// forget drops every kept viewer now and, when ctx carries a transaction,
// once more when it commits.
func (c *verifiedTokens) forget(ctx context.Context) {
	c.bump()
	if tx := ent.TxFromContext(ctx); tx != nil {
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				err := next.Commit(ctx, tx)
				c.bump()
				return err
			})
		})
	}
}

func (c *verifiedTokens) bump() {
	c.gen.Add(1)
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}
