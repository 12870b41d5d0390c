package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// isTerminal reports whether f is an interactive terminal (a character
// device), which is all a progress bar or a confirmation prompt needs.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress reports rows written: a redrawn bar with rate and ETA on a
// terminal, a plain line every few seconds otherwise (logs, CI).
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	start time.Time
	last  time.Time
	every time.Duration
	drawn bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, tty: isTerminal(w), start: time.Now(), every: 5 * time.Second}
	if p.tty {
		p.every = 150 * time.Millisecond
	}
	return p
}

// update is a seed.Options.Progress callback.
func (p *progress) update(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < p.every && done < total {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed
	}
	eta := "?"
	if rate > 0 && total > done {
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	} else if done >= total {
		eta = "0s"
	}
	frac := 0.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	if !p.tty {
		fmt.Fprintf(p.w, "đã ghi / written %s/~%s dòng (rows), %3.0f%%, %s dòng/s, còn / ETA %s\n",
			dots(done), dots(total), 100*frac, dots(int64(rate)), eta)
		return
	}
	const width = 30
	n := int(frac * width)
	bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
	fmt.Fprintf(p.w, "\r%s %3.0f%% %s/~%s dòng · %s dòng/s · còn %s   ", bar, 100*frac, dots(done), dots(total), dots(int64(rate)), eta)
	p.drawn = true
}

// finish ends the bar's line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// dots formats n the Vietnamese way: 1.234.567.
func dots(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
