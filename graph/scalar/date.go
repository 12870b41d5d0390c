// Package scalar implements ketnap's custom GraphQL scalars.
package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"ketnap/internal/apperr"
)

// DateLayout is the wire format of the Date scalar.
const DateLayout = time.DateOnly

// MarshalDate writes a date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(DateLayout)))
	})
}

// UnmarshalDate reads a "YYYY-MM-DD" date as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.Invalid("", "ngày phải là chuỗi YYYY-MM-DD", "a date must be a string YYYY-MM-DD")
	}
	t, err := ParseDate(s)
	if err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// ParseDate parses "YYYY-MM-DD" as midnight UTC, with a bilingual
// INVALID_ARGUMENT error that does not echo the input; the error presenter
// names the argument from the error's path.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, time.UTC)
	if err != nil {
		return time.Time{}, apperr.Invalid("", "ngày không hợp lệ, cần dạng YYYY-MM-DD", "invalid date, expected YYYY-MM-DD")
	}
	return t, nil
}
