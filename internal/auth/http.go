package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"ketnap/internal/access/viewer"
	"ketnap/internal/audit"
)

type addrKey struct{}

// ClientAddr returns the address of the request's client (its IP), for the
// per-address login limit. Behind a reverse proxy every client shares the
// proxy's address; the limit then applies to them together.
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}

// Middleware puts the viewer of the request's bearer token (Authorization:
// Bearer …) into its context. A request without a valid token goes on with
// no viewer: the GraphQL guard then allows it only to log in, and the data
// layer refuses it everything.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ctx := context.WithValue(r.Context(), addrKey{}, host)
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, tok, _ := strings.Cut(h, " ")
			if strings.EqualFold(scheme, "Bearer") {
				v, err := s.Authenticate(ctx, strings.TrimSpace(tok))
				switch {
				case err == nil:
					ctx = viewer.NewContext(ctx, v)
					// The audit trail names who made each change.
					ctx = audit.WithActor(ctx, v.Username)
				case errors.Is(err, ErrInvalidToken):
				default:
					s.log.ErrorContext(ctx, "authenticating request", "error", err)
					http.Error(w, `{"errors":[{"message":"lỗi hệ thống / internal error","extensions":{"code":"INTERNAL"}}]}`, http.StatusServiceUnavailable)
					return
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
