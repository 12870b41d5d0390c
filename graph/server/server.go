// Package server wires ketnap's HTTP surface: the GraphQL endpoint, the
// playground in development mode, health and readiness probes, and the
// dashboard's static files.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
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
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/ent"
	"ketnap/graph"
	"ketnap/graph/generated"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/audit"
	"ketnap/internal/auth"
	"ketnap/internal/db"
	"ketnap/internal/importer"
	"ketnap/internal/locale"
	"ketnap/internal/metrics"
	"ketnap/internal/request"
	"ketnap/internal/stats"
)

// Config holds what the HTTP surface needs besides the database.
type Config struct {
	// Dev allows introspection to every signed-in user (otherwise only
	// ADMINs and ANALYSTs may introspect) and field suggestions in errors.
	Dev bool
	// CORSOrigins lists the origins allowed to call the API from a browser.
	CORSOrigins []string
	// ComplexityLimit bounds a query's cost; 0 means DefaultComplexityLimit.
	ComplexityLimit int
	// Dashboard holds the dashboard's built files, served at /.
	Dashboard fs.FS
	// Ready reports whether the database is reachable and its schema current.
	Ready func(context.Context) error
	// Auth signs users in; nil means a default service over the client.
	Auth *auth.Service
	// RequestTimeout bounds a request's work, SQL included; 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxDepth and MaxAliases bound an operation's shape; 0 means the defaults.
	MaxDepth, MaxAliases int
	// AnswerCacheBytes bounds the answers of statistics queries kept until
	// the data changes (see AnswerCache); 0 means DefaultAnswerCacheBytes,
	// a negative value turns the cache off.
	AnswerCacheBytes int
	// MaxResponseBytes caps a GraphQL answer; 0 means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int
	// MaxUploadBytes caps an import file (the request body of an upload);
	// 0 means DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// MaxUnzipBytes caps an .xlsx file unpacked; 0 means the importer's
	// default.
	MaxUnzipBytes int64
	// MinCell is the smallest count a VIEWER sees for a named value of a
	// sensitive breakdown; 0 means stats.DefaultMinCell.
	MinCell int
	// Dialect is the client's SQL dialect ("sqlite3" or "postgres"), which
	// the statistics need to build their statements; required.
	Dialect string
	// Router is the driver under the client (db.DB.Router): with replicas,
	// queries read from them; nil means no routing.
	Router *db.Router
	// Metrics receives the request, cache and database metrics, served at
	// /metrics to ADMIN tokens; nil means a private set, not served.
	Metrics *metrics.Metrics
}

// DefaultMaxUploadBytes bounds an uploaded import file (--max-upload-mb).
const DefaultMaxUploadBytes = importer.DefaultFileBytes

func (c Config) uploadBytes() int64 {
	if c.MaxUploadBytes > 0 {
		return c.MaxUploadBytes
	}
	return DefaultMaxUploadBytes
}

// DefaultRequestTimeout bounds a GraphQL request; its SQL is cancelled with it.
const DefaultRequestTimeout = 10 * time.Second

// maxBody bounds a request body: a query, its variables, nothing more
// (uploads have Config.MaxUploadBytes).
const maxBody = 1 << 20

// ParserTokenLimit bounds the tokens of a query document, so a huge query
// is refused while it is being parsed.
const ParserTokenLimit = 15000

// DefaultComplexityLimit bounds a query's cost, with connections priced as
// first × child (see complexity.go).
const DefaultComplexityLimit = 50000

// NewGraphQL returns the GraphQL handler over client. Requests reach it
// through auth.Service.Middleware, which puts their viewer in the context.
func NewGraphQL(client *ent.Client, authSvc *auth.Service, cfg Config, log *slog.Logger) *handler.Server {
	c := generated.Config{Resolvers: &graph.Resolver{Client: client, Dialect: cfg.Dialect, Auth: authSvc,
		ImportLimits: importer.Limits{FileBytes: cfg.uploadBytes(), UnzipBytes: cfg.MaxUnzipBytes}}}
	setComplexity(&c.Complexity)
	srv := handler.New(generated.NewExecutableSchema(c))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	// POST takes one operation a request: a JSON array (a batch) is refused.
	srv.AddTransport(transport.POST{})
	// Imports upload .xlsx and .csv files (GraphQL multipart request spec).
	// The body is capped before the transport reads it (see limitRequest),
	// so no more than the cap is ever written to temporary files.
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.uploadBytes(), MaxMemory: min(cfg.uploadBytes(), 8<<20)})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// Field-name suggestions ("Did you mean …?") map the schema for
	// strangers: development mode only. The token limit bounds parsing.
	srv.SetDisableSuggestion(!cfg.Dev)
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.Use(extension.AutomaticPersistedQuery{Cache: signedInCache{lru.New[string](1000)}})
	// The guard comes first: without a token nothing but login gets further.
	srv.Use(Guard{Dev: cfg.Dev, MaxDepth: orDefault(cfg.MaxDepth, DefaultMaxDepth), MaxAliases: orDefault(cfg.MaxAliases, DefaultMaxAliases)})
	limit := cfg.ComplexityLimit
	if limit == 0 {
		limit = DefaultComplexityLimit
	}
	// Page sizes first, so an oversized page gets the error that names it.
	srv.Use(PageLimit{})
	srv.Use(extension.FixedComplexityLimit(limit))
	// Outside the cache and the transaction: routes a query's reads to a
	// replica, and notes the request's facts for its log line.
	srv.Use(Observe{Router: cfg.Router, Metrics: cfg.Metrics})
	// Statistics answers come from the cache while the data is unchanged;
	// only operations that read no personal record are kept.
	if cfg.AnswerCacheBytes >= 0 {
		ac := NewAnswerCache(client, orDefault(cfg.AnswerCacheBytes, DefaultAnswerCacheBytes), log)
		ac.observe(cfg.Metrics, cfg.Router != nil && len(cfg.Router.Replicas()) > 0)
		srv.Use(ac)
	}
	// The read log wraps the transaction, so it is written after the commit.
	srv.Use(AccessLog{Client: client, Log: log, Collisions: readlog.NewCollisions()})
	// Every mutation is one transaction, which also writes its audit events.
	srv.Use(txUnlessRefused{entgql.Transactioner{TxOpener: audit.TxOpener{Client: client}}})
	// The whole request, resolution included, ends at its deadline and its
	// answer is capped while it is built.
	srv.Use(Budget{MaxBytes: cfg.MaxResponseBytes})
	srv.AroundFields(budgetFields)
	// Filters on personal fields are reads of the persons they match.
	srv.AroundFields(personalFilter)
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverFunc(log))
	return srv
}

// New returns the whole HTTP handler.
func New(client *ent.Client, cfg Config, log *slog.Logger) http.Handler {
	// Repeated warnings and errors (a database outage) are written once.
	log = ThrottleLog(log)
	authSvc := cfg.Auth
	if authSvc == nil {
		authSvc = auth.NewService(client, log)
	}
	timeout := cfg.RequestTimeout
	if timeout == 0 {
		timeout = DefaultRequestTimeout
	}
	log = request.Logger(log)
	served := cfg.Metrics != nil
	if !served {
		cfg.Metrics = metrics.New()
	}
	if cfg.Router != nil {
		registerDatabases(cfg.Metrics, cfg.Router)
	}
	mux := http.NewServeMux()
	mux.Handle("/query", codedTransportErrors(apiHeaders(limitRequest(timeout, cfg.uploadBytes(), authSvc.Middleware(uploadGate(withMinCell(cfg.MinCell, locale.Middleware(NewGraphQL(client, authSvc, cfg, log)))))))))
	// The playground (GraphiQL) is a static page for analysts: what it may
	// do is decided per request by the token it sends (its Headers tab),
	// and introspection needs an ADMIN or an ANALYST. It loads GraphiQL from
	// its CDN, so it keeps out of the dashboard's content security policy.
	mux.Handle("GET /playground", playgroundHeaders(playground.Handler("ketnap — GraphiQL", "/query",
		playground.WithGraphiqlUiHeaders(map[string]string{"Authorization": "Bearer PASTE_YOUR_TOKEN_HERE"}),
		playground.WithStoragePrefix("ketnap:"))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if cfg.Ready != nil {
			if err := cfg.Ready(ctx); err != nil {
				log.WarnContext(ctx, "not ready", "error", err)
				writeJSON(w, http.StatusServiceUnavailable, readyBody(cfg.Router, "unavailable"))
				return
			}
		}
		writeJSON(w, http.StatusOK, readyBody(cfg.Router, "ready"))
	})
	if served {
		mux.Handle("GET /metrics", authSvc.Middleware(adminOnly(cfg.Metrics.Handler())))
	}
	if cfg.Dashboard != nil {
		mux.Handle("/", securityHeaders(http.FileServerFS(cfg.Dashboard)))
	}
	var h http.Handler = mux
	// rs/cors reads an empty list as "*": with no origin configured,
	// answer no cross-origin request at all.
	if len(cfg.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowedHeaders: []string{"Content-Type", "Authorization", "Accept-Language", RequestIDHeader},
			ExposedHeaders: []string{RequestIDHeader},
			MaxAge:         600,
		}).Handler(mux)
	}
	return observe(cfg.Metrics, log, h)
}

// txUnlessRefused opens the mutation's transaction only for an operation
// that passed validation and the guards: gqlgen runs the response
// interceptors for refused operations too, and an anonymous client must not
// be able to open write transactions (on SQLite, take the write lock).
type txUnlessRefused struct{ entgql.Transactioner }

// InterceptResponse implements graphql.ResponseInterceptor.
func (t txUnlessRefused) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if len(graphql.GetErrors(ctx)) > 0 {
		return next(ctx)
	}
	return t.Transactioner.InterceptResponse(ctx, next)
}

func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// limitRequest bounds a request's body and its time: the context deadline
// cancels its SQL on both databases.
func limitRequest(timeout time.Duration, upload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		limit := int64(maxBody)
		if isUpload(r) {
			limit = upload + 64<<10 // an import file and its form; the transport checks it too
			if r.ContentLength > limit {
				writeError(w, http.StatusRequestEntityTooLarge, apperr.New(importer.CodeFileTooLarge, "file",
					fmt.Sprintf("tệp quá lớn: tối đa %d MiB", upload>>20), fmt.Sprintf("the file is too large: at most %d MiB", upload>>20)))
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isUpload(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// uploadGate refuses an upload before a byte of it is read unless its
// sender may import (an ADMIN or an ANALYST): gqlgen's transport parses the
// whole multipart body before any resolver could check the role.
func uploadGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpload(r) {
			v := viewer.FromContext(r.Context())
			switch {
			case v == nil:
				writeError(w, http.StatusUnauthorized, viewer.ErrUnauthenticated)
				return
			case !(v.Unrestricted() || v.Role == viewer.RoleAnalyst):
				writeError(w, http.StatusForbidden, viewer.Forbidden("file"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withMinCell gives the request the small-cell threshold of its statistics.
func withMinCell(k int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(stats.WithMinCell(r.Context(), orDefault(k, stats.DefaultMinCell))))
	})
}

// writeError answers a request refused before GraphQL with one coded error.
func writeError(w http.ResponseWriter, status int, err error) {
	ae, ok := apperr.As(err)
	if !ok {
		ae = apperr.New(apperr.CodeInternal, "", "lỗi hệ thống", "internal error")
	}
	writeJSON(w, status, map[string]any{"errors": gqlerror.List{guardError(nil, ae)}, "data": nil})
}

// apiHeaders keeps API answers, which carry personal data, out of caches
// and from being sniffed or framed as pages.
func apiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
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

// playgroundHeaders sets the headers of the GraphiQL page: its scripts and
// styles come from GraphiQL's CDN (pinned with integrity hashes) and from
// the page itself, and it talks to this server only.
func playgroundHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; font-src 'self' data: https://cdn.jsdelivr.net; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
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
