package workflow

import (
	"strings"
	"time"
)

// AddWorkingDays returns the date n working days (Monday to Friday) after d.
// Public holidays are not known to ketnap and count as working days.
func AddWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

func trimmed(s string) string { return strings.TrimSpace(s) }
