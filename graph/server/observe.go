package server

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/db"
	"ketnap/internal/metrics"
	"ketnap/internal/request"
)

// RequestIDHeader carries a request's id to the client (and, when a proxy
// set a well-formed one, from it): the id is in every log line of the request.
const RequestIDHeader = "X-Request-ID"

// observe gives each request an id (returned in X-Request-ID) and a
// request.Info, and after a GraphQL request writes its one log line and
// its metrics: operation, status, duration, statements, cache hit, user id;
// never variables, tokens or personal data.
func observe(m *metrics.Metrics, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := request.New(r.Header.Get(RequestIDHeader))
		w.Header().Set(RequestIDHeader, info.ID)
		ctx := request.NewContext(r.Context(), info)
		if r.URL.Path != "/query" || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(sw, r.WithContext(ctx))
		elapsed := time.Since(start)
		f := info.Facts()
		if f.Outcome == "" {
			f.Outcome = "http_" + http.StatusText(sw.status)
			if sw.status == http.StatusOK {
				f.Outcome = "ok"
			}
		}
		op := m.Operation(f.Operation)
		m.Requests.WithLabelValues(op, orNone(f.OpType), f.Outcome).Inc()
		m.Duration.WithLabelValues(op, f.Outcome).Observe(elapsed.Seconds())
		m.Statements.Observe(float64(f.Statements))
		m.SQLTime.Observe(f.SQLTime.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		log.Log(ctx, level, "request",
			"operation", op, "type", orNone(f.OpType), "status", sw.status, "outcome", f.Outcome,
			"duration_ms", float64(elapsed.Microseconds())/1000, "statements", f.Statements,
			"sql_ms", float64(f.SQLTime.Microseconds())/1000, "cache_hit", f.CacheHit,
			"user_id", f.UserID, "db", f.Server)
	})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Observe is the GraphQL side of the request's facts and of routing: it
// notes the operation, its outcome and the viewer into the request.Info;
// it lets a query's reads go to a replica (db.Router.ReadOnly), refuses
// mutations at once with READ_ONLY while the primary is down, and after a
// mutation notes its WAL position so the client reads its own writes. It
// also counts failed sign-ins and imports.
type Observe struct {
	Router  *db.Router
	Metrics *metrics.Metrics
}

// ExtensionName implements graphql.HandlerExtension.
func (Observe) ExtensionName() string { return "Observe" }

// Validate implements graphql.HandlerExtension.
func (Observe) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (o Observe) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	info := request.FromContext(ctx)
	var (
		op     *ast.OperationDefinition
		userID int
	)
	if graphql.HasOperationContext(ctx) {
		op = graphql.GetOperationContext(ctx).Operation
	}
	if v := viewer.FromContext(ctx); v != nil && !v.IsSystem() {
		userID = v.UserID
	}
	if info != nil {
		info.SetUser(userID)
		if op != nil {
			info.SetOperation(op.Name, string(op.Operation))
		}
	}
	replicated := o.Router != nil && len(o.Router.Replicas()) > 0
	var resp *graphql.Response
	switch {
	case op == nil:
		resp = next(ctx)
	case op.Operation == ast.Query && replicated:
		resp = next(o.Router.ReadOnly(ctx, userID))
	case op.Operation == ast.Mutation && replicated && len(graphql.GetErrors(ctx)) == 0:
		if !o.Router.PrimaryUp() {
			resp = &graphql.Response{Errors: gqlerror.List{guardError(nil, db.ErrReadOnly)}}
			break
		}
		resp = next(ctx)
		switch {
		case len(resp.Errors) > 0 && !o.Router.PrimaryUp():
			// The transaction could not be opened or committed: say why.
			resp = &graphql.Response{Errors: gqlerror.List{guardError(nil, db.ErrReadOnly)}}
		case len(resp.Errors) == 0:
			o.Router.NoteWrite(ctx, userID)
		}
	default:
		resp = next(ctx)
	}
	outcome := outcomeOf(resp)
	if info != nil {
		info.SetOutcome(outcome)
	}
	if o.Metrics != nil && op != nil && op.Operation == ast.Mutation {
		for _, f := range flatten(op.SelectionSet) {
			switch {
			case f.Name == "login" && outcome != "ok":
				o.Metrics.LoginFailures.Inc()
			case f.Name == "importRecords":
				o.Metrics.ImportJobs.WithLabelValues(outcome).Inc()
			}
		}
	}
	return resp
}

// outcomeOf is "ok" or the code of the response's first error.
func outcomeOf(resp *graphql.Response) string {
	if resp == nil || len(resp.Errors) == 0 {
		return "ok"
	}
	if code, ok := resp.Errors[0].Extensions["code"].(string); ok && code != "" {
		return code
	}
	return "ERROR"
}

// adminOnly serves next to a signed-in ADMIN only (the viewer comes from
// auth.Service.Middleware).
func adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		if v == nil || v.Role != viewer.RoleAdmin {
			writeJSON(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{{
				"message":    "chỉ quản trị viên / administrators only",
				"extensions": map[string]string{"code": string(apperr.CodeForbidden)},
			}}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readyBody is /readyz's answer: the status and, with replicas, each
// database server's state and lag.
func readyBody(r *db.Router, status string) any {
	if r == nil || len(r.Replicas()) == 0 {
		return map[string]string{"status": status}
	}
	return map[string]any{"status": status, "databases": r.States()}
}

// registerDatabases adds the router's servers to the metrics.
func registerDatabases(m *metrics.Metrics, r *db.Router) {
	servers := append([]*db.Server{r.Primary()}, r.Replicas()...)
	pools := map[string]*sql.DB{}
	for _, s := range servers {
		pools[s.Name] = s.SQL
	}
	m.Databases(pools, func() []metrics.ServerState {
		states := r.States()
		out := make([]metrics.ServerState, len(states))
		for i, st := range states {
			out[i] = metrics.ServerState{Name: st.Name, Up: st.State == "up" || st.State == "lagging",
				LagSeconds: st.LagSeconds, Statements: servers[i].Statements()}
		}
		return out
	})
}
