package stats

import (
	"fmt"
	"math"
	"time"

	"ketnap/internal/apperr"
)

// Limits on the work one request may ask for; checked before any SQL runs.
const (
	// MaxYears bounds the length of a period.
	MaxYears = 50
	// MaxPoints bounds the number of buckets of a series.
	MaxPoints = 600
)

const day = 24 * time.Hour

// validatePeriod refuses a period that ends before it starts or spans more
// than MaxYears.
func validatePeriod(from, to time.Time) error {
	if from.After(to) {
		return apperr.Invalid("from",
			"ngày bắt đầu phải không sau ngày kết thúc",
			"from must not be after to")
	}
	if to.After(from.AddDate(MaxYears, 0, 0)) {
		return apperr.Invalid("to",
			fmt.Sprintf("khoảng thời gian dài quá %d năm", MaxYears),
			fmt.Sprintf("the period is longer than %d years", MaxYears))
	}
	return nil
}

// monthIndex numbers calendar months continuously: year*12 + month - 1.
func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// monthStart returns the first day of the month numbered m.
func monthStart(m int) time.Time { return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC) }

// months is the length of a bucket of each granularity.
func months(g Granularity) int {
	switch g {
	case GranularityYear:
		return 12
	case GranularityQuarter:
		return 3
	}
	return 1
}

// bucket is one calendar bucket of a series, clipped to the period.
type bucket struct {
	start, end time.Time
	// first and last month (monthIndex) the bucket spans.
	first, last int
}

// bucketCount returns how many buckets of granularity g cover [from, to].
func bucketCount(from, to time.Time, g Granularity) int {
	n := months(g)
	return (monthIndex(to)/n - monthIndex(from)/n) + 1
}

// buckets cuts [from, to] along calendar years, quarters or months.
func buckets(from, to time.Time, g Granularity) []bucket {
	n := months(g)
	out := make([]bucket, 0, bucketCount(from, to, g))
	for b := monthIndex(from) / n; b <= monthIndex(to)/n; b++ {
		first, last := b*n, b*n+n-1
		start, end := monthStart(first), monthStart(last+1).Add(-day)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		out = append(out, bucket{start: start, end: end, first: first, last: last})
	}
	return out
}

// split cuts [from, to] into its whole calendar months m1..m2 (none when
// m1 > m2) and the partial months before and after them.
func split(from, to time.Time) (m1, m2 int, edges [][2]time.Time) {
	m1 = monthIndex(from)
	if from.Day() != 1 {
		m1++
	}
	m2 = monthIndex(to.Add(day)) - 1
	if m1 > m2 {
		return m1, m2, [][2]time.Time{{from, to}}
	}
	if s := monthStart(m1); from.Before(s) {
		edges = append(edges, [2]time.Time{from, s.Add(-day)})
	}
	if e := monthStart(m2 + 1); !to.Before(e) {
		edges = append(edges, [2]time.Time{e, to})
	}
	return m1, m2, edges
}

// proRata returns the share of the yearly values that [from, to] covers:
// each year's value times the fraction of its days inside the period. ok is
// false when no year the period touches has a value.
func proRata(perYear map[int]int64, from, to time.Time) (v float64, ok bool) {
	for y := from.Year(); y <= to.Year(); y++ {
		val, has := perYear[y]
		if !has {
			continue
		}
		ok = true
		ys := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		ye := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		s, e := ys, ye
		if from.After(s) {
			s = from
		}
		if to.Add(day).Before(e) {
			e = to.Add(day)
		}
		v += float64(val) * float64(e.Sub(s)/day) / float64(ye.Sub(ys)/day)
	}
	return v, ok
}

// roundPtr rounds v half away from zero, or returns nil when !ok.
func roundPtr(v float64, ok bool) *int {
	if !ok {
		return nil
	}
	r := int(math.Round(v))
	return &r
}

// ratio returns n/d, or nil when d is unknown or zero.
func ratio(n int, d *int) *float64 {
	if d == nil || *d == 0 {
		return nil
	}
	r := float64(n) / float64(*d)
	return &r
}
