// Package server wires ketnap's HTTP surface: the GraphQL endpoint, the
// playground in development mode, health and readiness probes, and the
// dashboard's static files.
package server

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/ent"
	"ketnap/ent/audit"
	"ketnap/graph"
	"ketnap/graph/generated"
	"ketnap/graph/locale"
)

// Config holds what the HTTP surface needs besides the database.
type Config struct {
	// Dev enables the playground and introspection.
	Dev bool
	// CORSOrigins lists the origins allowed to call the API from a browser.
	CORSOrigins []string
	// ComplexityLimit bounds a query's cost; 0 means DefaultComplexityLimit.
	ComplexityLimit int
	// Dashboard holds the dashboard's built files, served at /.
	Dashboard fs.FS
	// Ready reports whether the database is reachable and its schema current.
	Ready func(context.Context) error
}

// MaxUploadSize bounds an uploaded import file.
const MaxUploadSize = 64 << 20

// DefaultComplexityLimit bounds a query's cost, with connections priced as
// first × child (see complexity.go).
const DefaultComplexityLimit = 50000

// NewGraphQL returns the GraphQL handler over client.
func NewGraphQL(client *ent.Client, cfg Config, log *slog.Logger) *handler.Server {
	c := generated.Config{Resolvers: &graph.Resolver{Client: client}}
	setComplexity(&c.Complexity)
	srv := handler.New(generated.NewExecutableSchema(c))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	// Imports upload .xlsx and .csv files (GraphQL multipart request spec).
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: MaxUploadSize, MaxMemory: 32 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if cfg.Dev {
		srv.Use(extension.Introspection{})
	}
	limit := cfg.ComplexityLimit
	if limit == 0 {
		limit = DefaultComplexityLimit
	}
	// Page sizes first, so an oversized page gets the error that names it.
	srv.Use(PageLimit{})
	srv.Use(extension.FixedComplexityLimit(limit))
	srv.Use(entgql.Transactioner{TxOpener: audit.TxOpener{Client: client}})
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverFunc(log))
	return srv
}

// New returns the whole HTTP handler.
func New(client *ent.Client, cfg Config, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/query", locale.Middleware(NewGraphQL(client, cfg, log)))
	if cfg.Dev {
		mux.Handle("/playground", playground.Handler("ketnap", "/query"))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if cfg.Ready != nil {
			if err := cfg.Ready(ctx); err != nil {
				log.WarnContext(ctx, "not ready", "error", err)
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if cfg.Dashboard != nil {
		mux.Handle("/", securityHeaders(http.FileServerFS(cfg.Dashboard)))
	}
	c := cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization", "Accept-Language"},
		MaxAge:         600,
	})
	return c.Handler(mux)
}

// securityHeaders sets the headers a static page needs to resist framing,
// sniffing and injected scripts.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Compile-time check that the limits are gqlgen extensions.
var _ graphql.HandlerExtension = PageLimit{}
