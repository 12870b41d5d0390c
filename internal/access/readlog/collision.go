package readlog

import (
	"sync"
	"time"

	"ketnap/ent/accesslog"
	"ketnap/internal/apperr"
)

// The limit on out-of-scope collisions: a scoped user whose writes collided
// CollisionLimit times within CollisionWindow with a unique value (national
// ID, phone number) of a person outside their scope is refused every write
// of such a value until the window has moved on. Each collision is one probe
// of an existence oracle ("does this number belong to somebody?"), so the
// limit bounds how many numbers one account can test.
const (
	CollisionLimit  = 10
	CollisionWindow = time.Hour
)

// CodeRateLimited is the error code of a refused attempt over a limit.
const CodeRateLimited apperr.Code = "RATE_LIMITED"

// ErrCollisionLimited refuses the writes of unique personal values of a
// user over the collision limit.
var ErrCollisionLimited = apperr.New(CodeRateLimited, "",
	"quá nhiều lần trùng số định danh hoặc số điện thoại với hồ sơ ngoài phạm vi; vui lòng thử lại sau hoặc liên hệ quản trị viên",
	"too many national IDs or phone numbers collided with records outside your scope; try again later or ask an administrator")

// Collisions counts, per user, the out-of-scope collisions of the last
// window. It is safe for concurrent use; one serves a whole server.
type Collisions struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	seen   map[int][]time.Time
}

// NewCollisions returns a counter with CollisionLimit per CollisionWindow.
func NewCollisions() *Collisions {
	return &Collisions{limit: CollisionLimit, window: CollisionWindow, now: time.Now, seen: map[int][]time.Time{}}
}

// defaultCollisions serves recorders not given a counter of their own.
var defaultCollisions = NewCollisions()

// recent drops the times of user that left the window and returns the rest;
// c.mu is held.
func (c *Collisions) recent(user int, now time.Time) []time.Time {
	ts := c.seen[user]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= c.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(c.seen, user)
	} else {
		c.seen[user] = ts
	}
	return ts
}

// exhausted reports whether user has no collision left in the window.
func (c *Collisions) exhausted(user int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.recent(user, c.now())) >= c.limit
}

// note counts one collision of user.
func (c *Collisions) note(user int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.seen[user] = append(c.recent(user, now), now)
}

// SetCollisions gives the recorder the server's collision counter.
func (r *Recorder) SetCollisions(c *Collisions) { r.collisions = c }

func (r *Recorder) counter() *Collisions {
	if r.collisions != nil {
		return r.collisions
	}
	return defaultCollisions
}

// CollisionAllowed returns ErrCollisionLimited when the recorder's user has
// spent the collision limit; a write of a unique personal value is then
// refused before it is compared with anything. A nil recorder (no request
// keeps an access log) is refused too.
func (r *Recorder) CollisionAllowed() error {
	if r == nil {
		return ErrNoRecorder
	}
	if r.counter().exhausted(r.userID) {
		return ErrCollisionLimited
	}
	return nil
}

// Collision records that a write of the recorder's user collided on field
// (the GraphQL name) with the record of person other, outside the user's
// scope: one CONFLICT row of the access log, one collision counted. It
// returns the error to answer, which names the writer's own field and
// nothing of the other record: not its organization, not its fields, not
// whether it is a candidate or a member.
func (r *Recorder) Collision(other int, field string) error {
	if r == nil {
		return ErrNoRecorder
	}
	r.counter().note(r.userID)
	r.Add(Entry{CandidateID: other, Entity: accesslog.EntityCONFLICT, Fields: []string{field}})
	return ErrConflict(field)
}

// ErrConflict is the answer to a collision of a unique value on field,
// whether the other record is in the writer's scope or not, so the answer
// does not tell which.
func ErrConflict(field string) error {
	return apperr.New(apperr.CodeConflict, field, "giá trị đã tồn tại", "value already exists")
}
