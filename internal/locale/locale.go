// Package locale carries the user's language through a request. Vietnamese is
// the default; English is chosen by an Accept-Language header that prefers it.
package locale

import (
	"context"
	"net/http"
	"strings"
)

// Lang is a user-interface language.
type Lang string

// The supported languages.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

type ctxKey struct{}

// With returns a context carrying lang.
func With(ctx context.Context, lang Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, lang)
}

// From returns the language of the request, Vietnamese by default.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return VI
}

// Parse picks vi or en from an Accept-Language header: the first of the two
// the header names, by order (quality values are rarely used by browsers for
// these two and are honoured only through order).
func Parse(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case tag == "vi" || strings.HasPrefix(tag, "vi-"):
			return VI
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return EN
		}
	}
	return VI
}

// Middleware stores the request's language in its context.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(With(r.Context(), Parse(r.Header.Get("Accept-Language")))))
	})
}
