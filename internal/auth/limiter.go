package auth

import (
	"sync"
	"time"
)

// Limiter is an in-memory token bucket per key (a username, an address):
// each key may spend burst attempts at once, refilled at perMinute a minute.
// It forgets idle keys so that a flood of distinct keys cannot grow it
// without bound.
type Limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxKeys bounds the memory of a Limiter; past it, full buckets are dropped.
const maxKeys = 10000

// NewLimiter returns a limiter allowing perMinute attempts a minute per key,
// all of them at once at most.
func NewLimiter(perMinute int) *Limiter {
	return &Limiter{rate: float64(perMinute) / 60, burst: float64(perMinute), buckets: map[string]*bucket{}}
}

// Allow spends one attempt of key at now and reports whether one was left.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxKeys {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune drops the buckets that have refilled: forgetting them changes nothing.
func (l *Limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}
