package seed

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// day returns midnight UTC of a date, the form of every date-only field.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// stamp is the created_at of a record about an event on date: that
// morning in Vietnam, so timestamps follow the paperwork.
func stamp(date time.Time) time.Time {
	return date.Add(2*time.Hour + 15*time.Minute)
}

// addDays adds n days.
func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// between returns a uniform date in [from, to].
func between(r *rand.Rand, from, to time.Time) time.Time {
	n := int(to.Sub(from).Hours() / 24)
	if n <= 0 {
		return from
	}
	return addDays(from, r.IntN(n+1))
}

// weekday moves a Saturday or Sunday to the nearest weekday inside [lo, hi].
func weekday(t, lo, hi time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		if f := addDays(t, -1); !f.Before(lo) {
			return f
		}
		if m := addDays(t, 2); !m.After(hi) {
			return m
		}
	case time.Sunday:
		if m := addDays(t, 1); !m.After(hi) {
			return m
		}
		if f := addDays(t, -2); !f.Before(lo) {
			return f
		}
	}
	return t
}

// quarterBounds returns the first and last day of a quarter (1–4).
func quarterBounds(year, q int) (time.Time, time.Time) {
	first := day(year, time.Month(3*(q-1)+1), 1)
	return first, addDays(first.AddDate(0, 3, 0), -1)
}

// anniversaries are the days admissions cluster around, per quarter: the
// Party's founding (3/2), President Hồ Chí Minh's birthday (19/5), National
// Day (2/9) and the October Revolution (7/11).
var anniversaries = [4]struct {
	m time.Month
	d int
}{{time.February, 3}, {time.May, 19}, {time.September, 2}, {time.November, 7}}

// admissionDay draws a ceremony date in a quarter, half the time within
// ten days before its anniversary, always on a weekday.
func admissionDay(r *rand.Rand, year, q int) time.Time {
	lo, hi := quarterBounds(year, q)
	var t time.Time
	if r.IntN(2) == 0 {
		a := anniversaries[q-1]
		ann := day(year, a.m, a.d)
		t = between(r, addDays(ann, -10), ann)
		if t.Before(lo) {
			t = lo
		}
		if t.After(hi) {
			t = hi
		}
	} else {
		t = between(r, lo, hi)
	}
	return weekday(t, lo, hi)
}

// probationEnd mirrors workflow.ProbationEnd: 12 months from the ceremony.
func probationEnd(admitted time.Time) time.Time { return admitted.AddDate(1, 0, 0) }

// workflow derives the dates before a ceremony: the branch resolution and
// the higher committee's decision (within 60 working days of it), the
// ceremony within 30 working days of the decision.
func workflow(r *rand.Rand, admitted time.Time) (resolution, decision time.Time) {
	decision = addDays(admitted, -(3 + r.IntN(33)))
	decision = weekday(decision, addDays(decision, -3), addDays(admitted, -1))
	resolution = addDays(decision, -(12 + r.IntN(60)))
	resolution = weekday(resolution, addDays(resolution, -3), addDays(decision, -1))
	return resolution, decision
}

// birthFor returns a birth date giving the age in whole years on date.
func birthFor(r *rand.Rand, on time.Time, age int) time.Time {
	return addDays(on.AddDate(-age, 0, 0), -r.IntN(365))
}

// ageBand draws an age at the branch resolution: 18–60, most under 35.
func ageBand(r *rand.Rand) int {
	x := r.Float64()
	switch {
	case x < 0.12:
		return 18 + r.IntN(5) // 18–22
	case x < 0.66:
		return 23 + r.IntN(8) // 23–30
	case x < 0.83:
		return 31 + r.IntN(5) // 31–35
	case x < 0.96:
		return 36 + r.IntN(10) // 36–45
	default:
		return 46 + r.IntN(15) // 46–60
	}
}

// nationalID builds a citizen identity number: province code, century and
// gender digit, year of birth, serial.
func nationalID(province int, female bool, birth time.Time, serial int) string {
	g := 0
	if birth.Year() >= 2000 {
		g = 2
	}
	if female {
		g++
	}
	return fmt.Sprintf("%03d%d%02d%06d", province, g, birth.Year()%100, serial%1000000)
}

// phone builds a unique mobile number from a serial below 10^8.
func phone(serial int) string {
	// A multiplier coprime with 10^8 scrambles the serials bijectively.
	return fmt.Sprintf("09%08d", (serial*7919+1234567)%100000000)
}
