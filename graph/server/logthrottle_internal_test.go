package server

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestThrottleLog checks the throttle's rules on a fake clock: the first
// line of a message, its repeats only counted, one summary at most every
// LogQuiet, a message quiet for LogQuiet written in full again, INFO never
// held back.
func TestThrottleLog(t *testing.T) {
	var out bytes.Buffer
	log := ThrottleLog(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})))
	if ThrottleLog(log) != log {
		t.Fatal("throttling twice wraps twice")
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	log.Handler().(*throttle).state.now = func() time.Time { return clock }
	step := func(d time.Duration) { clock = clock.Add(d) }
	for range 1000 {
		log.Error("request failed", "error", "sql: database is closed")
		log.With("k", 1).Warn("reading the data version")
		log.Info("request")
		step(time.Millisecond) // 1 s in all
	}
	lines := func() []string { return strings.Split(strings.TrimSpace(out.String()), "\n") }
	count := func(s string) int {
		n := 0
		for _, l := range lines() {
			if strings.Contains(l, s) {
				n++
			}
		}
		return n
	}
	if got := count(`msg="request failed"`); got != 1 {
		t.Fatalf("%d lines of the error in 1 s, want 1", got)
	}
	if got := count("level=INFO"); got != 1000 {
		t.Fatalf("%d INFO lines, want 1000", got)
	}
	if count("repeated log lines") != 0 {
		t.Fatal("a summary before LogQuiet")
	}
	step(LogQuiet)
	log.Error("request failed")
	if got := count("repeated log lines"); got != 1 {
		t.Fatalf("%d summaries after LogQuiet, want 1", got)
	}
	if !strings.Contains(out.String(), `"ERROR request failed"=999`) || !strings.Contains(out.String(), "total=1998") {
		t.Fatalf("the summary does not count the repeats: %s", lines()[len(lines())-1])
	}
	if got := count(`msg="request failed"`); got != 2 {
		t.Fatalf("a message quiet for LogQuiet is not written again (%d lines)", got)
	}
	step(time.Second)
	log.Error("request failed")
	log.Info("request")
	if got := count("repeated log lines"); got != 1 {
		t.Fatalf("a second summary within LogQuiet (%d)", got)
	}
}
