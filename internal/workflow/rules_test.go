package workflow

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddWorkingDays(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-06-06", 1, "2025-06-09"},  // Friday → Monday
		{"2025-06-07", 1, "2025-06-09"},  // Saturday → Monday
		{"2025-06-02", 5, "2025-06-09"},  // a week
		{"2025-06-02", 30, "2025-07-14"}, // six weeks
		{"2025-06-02", 0, "2025-06-02"},
	} {
		if got := AddWorkingDays(day(tc.from), tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth, on string
		want      int
	}{
		{"2000-03-15", "2018-03-14", 17},
		{"2000-03-15", "2018-03-15", 18},
		{"1964-02-29", "2025-02-28", 60},
		{"1964-02-29", "2025-03-01", 61},
	} {
		if got := Age(day(tc.birth), day(tc.on)); got != tc.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tc.birth, tc.on, got, tc.want)
		}
	}
}

func TestCheckAgeBounds(t *testing.T) {
	on := day("2025-01-01")
	for _, tc := range []struct {
		birth     string
		exception bool
		note      string
		ok        bool
	}{
		{"2007-01-01", false, "", true},  // 18 on the day
		{"2007-01-02", false, "", false}, // 17
		{"1964-01-02", false, "", true},  // 60
		{"1964-01-01", false, "", false}, // 61
		{"1964-01-01", true, " ", false},
		{"1964-01-01", true, "Ban Thường vụ đồng ý", true},
	} {
		if err := CheckAge(day(tc.birth), on, tc.exception, tc.note); (err == nil) != tc.ok {
			t.Errorf("CheckAge(%s, %v, %q) = %v", tc.birth, tc.exception, tc.note, err)
		}
	}
}
