package db

import (
	"errors"
	"testing"
	"time"
)

// TestBackoff checks that a server found down is retried after CheckEvery,
// then after twice as long each time, up to 30 times CheckEvery, and that
// coming back resets the backoff; and that check skips a down server until
// its retry time.
func TestBackoff(t *testing.T) {
	r := &Router{cfg: RouteConfig{CheckEvery: time.Second, MaxLag: DefaultReplicaMaxLag}}
	s := &Server{Name: "replica1"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	down := errors.New("connection refused")
	var waits []time.Duration
	for range 7 {
		r.setUp(s, false, now, down)
		waits = append(waits, s.retryAt.Sub(now))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i, w := range want {
		if waits[i] != w*time.Second {
			t.Errorf("retry %d after %s, want %s", i+1, waits[i], w*time.Second)
		}
	}
	if s.isUp() {
		t.Error("a server found down is up")
	}
	r.setUp(s, true, now, nil)
	if !s.isUp() || s.backoff != 0 {
		t.Errorf("a server back up: up %v, backoff %s", s.isUp(), s.backoff)
	}
	r.setUp(s, false, now, down)
	if got := s.retryAt.Sub(now); got != time.Second {
		t.Errorf("after coming back, the first retry is after %s, want 1s", got)
	}
}

func TestParseLSN(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0/0", 0, true},
		{"16/B374D848", 0x16<<32 | 0xB374D848, true},
		{"16B374D848", 0, false},
		{"x/1", 0, false},
	} {
		got, err := parseLSN(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseLSN(%q) = %d, %v", tt.in, got, err)
		}
	}
}
