package stats

import (
	"fmt"
	"io"
	"strconv"

	"ketnap/internal/locale"
)

// Granularity is the calendar unit of a series; it is the GraphQL enum of
// the same name.
type Granularity string

// The granularities of a series.
const (
	GranularityYear    Granularity = "YEAR"
	GranularityQuarter Granularity = "QUARTER"
	GranularityMonth   Granularity = "MONTH"
)

// IsValid reports whether g is a known granularity.
func (g Granularity) IsValid() bool {
	return g == GranularityYear || g == GranularityQuarter || g == GranularityMonth
}

// UnmarshalGQL reads the enum from GraphQL input.
func (g *Granularity) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, g, Granularity.IsValid, "Granularity")
}

// MarshalGQL writes the enum to GraphQL output.
func (g Granularity) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(g))) }

func unmarshalEnum[T ~string](v any, dst *T, valid func(T) bool, name string) error {
	s, ok := v.(string)
	if !ok || !valid(T(s)) {
		return fmt.Errorf("giá trị không hợp lệ cho %s / invalid value for %s", name, name)
	}
	*dst = T(s)
	return nil
}

var romanQuarters = [4]string{"I", "II", "III", "IV"}

// bucketLabel names a calendar bucket: Năm 2020, Quý I/2020, Tháng 3/2020.
func bucketLabel(g Granularity, first int, lang locale.Lang) string {
	t := monthStart(first)
	switch g {
	case GranularityYear:
		if lang == locale.EN {
			return strconv.Itoa(t.Year())
		}
		return fmt.Sprintf("Năm %d", t.Year())
	case GranularityQuarter:
		q := (int(t.Month()) - 1) / 3
		if lang == locale.EN {
			return fmt.Sprintf("Q%d %d", q+1, t.Year())
		}
		return fmt.Sprintf("Quý %s/%d", romanQuarters[q], t.Year())
	}
	if lang == locale.EN {
		return t.Format("Jan 2006")
	}
	return fmt.Sprintf("Tháng %d/%d", int(t.Month()), t.Year())
}
