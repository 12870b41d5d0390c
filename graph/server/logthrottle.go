package server

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// LogQuiet is how long a warning or error must stay away before its next
// occurrence is logged again in full, and the shortest time between two
// summaries of the occurrences left out.
const LogQuiet = 5 * time.Second

// maxThrottleKeys bounds the messages a throttle remembers.
const maxThrottleKeys = 1000

// ThrottleLog returns log whose warnings and errors are written once while
// they repeat: during a database outage every request fails the same way,
// and thousands of identical lines a second would bury the one that says
// what happened. The first occurrence of a message (level and text) is
// written; its repeats less than LogQuiet after the previous one are only
// counted, and one "repeated log lines" record, at most every LogQuiet,
// gives their counts by message when the next record of any level comes
// (a live server logs every request). Once a message has been quiet for
// LogQuiet its next occurrence is written in full again. Records below
// WARN are never held back. Wrapping a throttled logger again returns it.
func ThrottleLog(log *slog.Logger) *slog.Logger {
	if _, ok := log.Handler().(*throttle); ok {
		return log
	}
	return slog.New(&throttle{next: log.Handler(), state: &throttleState{now: time.Now, last: map[string]time.Time{}, held: map[string]int{}}})
}

type throttle struct {
	next  slog.Handler
	state *throttleState
}

type throttleState struct {
	mu          sync.Mutex
	now         func() time.Time
	last        map[string]time.Time // when each message last occurred
	held        map[string]int       // repeats not written since the last summary
	lastSummary time.Time
}

// Enabled implements slog.Handler.
func (h *throttle) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *throttle) Handle(ctx context.Context, r slog.Record) error {
	s := h.state
	s.mu.Lock()
	now := s.now()
	var summary map[string]int
	if len(s.held) > 0 && now.Sub(s.lastSummary) >= LogQuiet {
		summary, s.held, s.lastSummary = s.held, map[string]int{}, now
	}
	write := true
	if r.Level >= slog.LevelWarn {
		key := r.Level.String() + " " + r.Message
		if prev, ok := s.last[key]; ok && now.Sub(prev) < LogQuiet {
			write = false
			s.held[key]++
		}
		if len(s.last) >= maxThrottleKeys {
			for k, t := range s.last {
				if now.Sub(t) >= LogQuiet {
					delete(s.last, k)
				}
			}
		}
		if len(s.last) < maxThrottleKeys || !write {
			s.last[key] = now
		}
		if write && len(s.held) == 0 && summary == nil {
			// A new message starts a summary period of its own.
			s.lastSummary = now
		}
	}
	s.mu.Unlock()
	if summary != nil {
		keys := make([]string, 0, len(summary))
		total := 0
		for k, n := range summary {
			keys = append(keys, k)
			total += n
		}
		sort.Strings(keys)
		attrs := []any{"total", total}
		for _, k := range keys {
			attrs = append(attrs, k, summary[k])
		}
		sr := slog.NewRecord(now, slog.LevelWarn, "repeated log lines left out", 0)
		sr.Add(attrs...)
		if err := h.next.Handle(ctx, sr); err != nil {
			return err
		}
	}
	if !write {
		return nil
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *throttle) WithAttrs(as []slog.Attr) slog.Handler {
	return &throttle{next: h.next.WithAttrs(as), state: h.state}
}

// WithGroup implements slog.Handler.
func (h *throttle) WithGroup(name string) slog.Handler {
	return &throttle{next: h.next.WithGroup(name), state: h.state}
}
