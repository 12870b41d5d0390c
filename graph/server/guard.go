package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/ent"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
)

// Limits on an operation's shape, checked before anything runs.
const (
	// DefaultMaxDepth bounds the nesting of fields (fragments add none).
	DefaultMaxDepth = 12
	// DefaultMaxAliases bounds the aliased fields of an operation, counting
	// a fragment once for every place it is spread.
	DefaultMaxAliases = 50
)

// Error codes of the guard.
const (
	CodeTooDeep        apperr.Code = "QUERY_TOO_DEEP"
	CodeTooManyAliases apperr.Code = "TOO_MANY_ALIASES"
)

// Guard rejects, after parsing and before any resolver (hence any SQL)
// runs: every operation but login without a valid token, introspection by
// anyone but an ADMIN or an ANALYST (outside development mode: GraphiQL is
// the analysts' tool, the dashboard's users need no schema), and operations
// nested too deep or with too many aliases.
type Guard struct {
	// Dev allows introspection to everyone signed in.
	Dev        bool
	MaxDepth   int
	MaxAliases int
}

// mayIntrospect tells whether v may read the schema: ADMINs and ANALYSTs,
// and in development mode everyone signed in.
func mayIntrospect(v *viewer.Viewer, dev bool) bool {
	if v == nil {
		return false
	}
	return v.Unrestricted() || v.Role == viewer.RoleAnalyst || dev
}

// ExtensionName implements graphql.HandlerExtension.
func (Guard) ExtensionName() string { return "Guard" }

// Validate implements graphql.HandlerExtension.
func (Guard) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (g Guard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.DisableIntrospection = true
	if oc.Operation == nil {
		return nil
	}
	v := viewer.FromContext(ctx)
	if v == nil && !onlyLogin(oc) {
		return guardError(oc.Operation.Position, viewer.ErrUnauthenticated)
	}
	w := walker{oc: oc, frags: map[string]*shape{}}
	s := w.set(oc.Operation.SelectionSet)
	if w.introspection {
		if !mayIntrospect(v, g.Dev) {
			return guardError(oc.Operation.Position, &apperr.Error{Code: apperr.CodeForbidden,
				VI: "chỉ quản trị viên và chuyên viên phân tích được truy vấn cấu trúc API (introspection)",
				EN: "only an ADMIN or an ANALYST may introspect the API"})
		}
		oc.DisableIntrospection = false
	}
	if s.depth > g.MaxDepth {
		return guardError(oc.Operation.Position, apperr.New(CodeTooDeep, "",
			fmt.Sprintf("truy vấn lồng quá sâu (tối đa %d cấp)", g.MaxDepth),
			fmt.Sprintf("the query is nested too deeply (at most %d levels)", g.MaxDepth)))
	}
	if s.aliases > g.MaxAliases {
		return guardError(oc.Operation.Position, apperr.New(CodeTooManyAliases, "",
			fmt.Sprintf("truy vấn có quá nhiều bí danh (tối đa %d)", g.MaxAliases),
			fmt.Sprintf("the query has too many aliases (at most %d)", g.MaxAliases)))
	}
	return nil
}

// onlyLogin reports whether an operation is one login mutation (with
// __typename at most), the only thing allowed without a token.
func onlyLogin(oc *graphql.OperationContext) bool {
	if oc.Operation.Operation != ast.Mutation {
		return false
	}
	logins := 0
	var visit func(ast.SelectionSet) bool
	visit = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				switch s.Name {
				case "login":
					logins++
				case "__typename":
				default:
					return false
				}
			case *ast.InlineFragment:
				if !visit(s.SelectionSet) {
					return false
				}
			case *ast.FragmentSpread:
				return false
			}
		}
		return true
	}
	return visit(oc.Operation.SelectionSet) && logins == 1
}

// shape is what the guard measures of a selection set.
type shape struct {
	depth, aliases int
	done           bool
}

// walker measures an operation, measuring each fragment once.
type walker struct {
	oc            *graphql.OperationContext
	frags         map[string]*shape
	introspection bool
}

// saturating keeps sums of aliases from overflowing on fragments spread
// exponentially many times.
const saturating = 1 << 30

func (w *walker) set(set ast.SelectionSet) shape {
	var out shape
	add := func(s shape) {
		out.depth = max(out.depth, s.depth)
		out.aliases = min(out.aliases+s.aliases, saturating)
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				if s.Name != "__typename" {
					w.introspection = true
				}
				add(shape{depth: 1})
				continue
			}
			child := w.set(s.SelectionSet)
			child.depth++
			if s.Alias != s.Name {
				child.aliases = min(child.aliases+1, saturating)
			}
			add(child)
		case *ast.InlineFragment:
			add(w.set(s.SelectionSet))
		case *ast.FragmentSpread:
			if f, ok := w.frags[s.Name]; ok {
				if f.done {
					add(*f)
				}
				continue // a cycle; validation has refused it already
			}
			f := &shape{}
			w.frags[s.Name] = f
			if def := w.oc.Doc.Fragments.ForName(s.Name); def != nil {
				*f = w.set(def.SelectionSet)
			}
			f.done = true
			add(*f)
		}
	}
	return out
}

func guardError(pos *ast.Position, ae *apperr.Error) *gqlerror.Error {
	err := &gqlerror.Error{Message: ae.Error()}
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	err.Extensions = map[string]any{"code": string(ae.Code), "vi": ae.VI, "en": ae.EN}
	if ae.Field != "" {
		err.Extensions["field"] = ae.Field
	}
	return err
}

// AccessLog keeps the access log of each request: it gives the request a
// recorder for the persons it reads (see internal/access/readlog) and writes them in one
// batch once the operation is done, and after its transaction. When the log
// cannot be written, the response is withheld: no read goes unrecorded.
type AccessLog struct {
	Client *ent.Client
	Log    *slog.Logger
	// Collisions counts each user's out-of-scope collisions of unique
	// personal values (see internal/access/rule.CandidateUnique); nil means
	// a counter shared by the process.
	Collisions *readlog.Collisions
}

// ExtensionName implements graphql.HandlerExtension.
func (AccessLog) ExtensionName() string { return "AccessLog" }

// Validate implements graphql.HandlerExtension.
func (AccessLog) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (a AccessLog) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	v := viewer.FromContext(ctx)
	if v == nil || v.IsSystem() {
		return next(ctx)
	}
	name := ""
	if graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil {
			name = op.Name
		}
	}
	rec := readlog.NewRecorder(v.UserID, name)
	rec.SetClient(a.Client)
	rec.SetCollisions(a.Collisions)
	resp := next(readlog.WithRecorder(ctx, rec))
	if err := rec.Flush(ctx, a.Client); err != nil {
		a.Log.ErrorContext(ctx, "writing access log", "error", safeText(err))
		ae := apperr.New(apperr.CodeInternal, "", "không ghi được nhật ký truy cập; dữ liệu không được trả về",
			"the access log could not be written; no data was returned")
		return &graphql.Response{Errors: gqlerror.List{guardError(nil, ae)}}
	}
	return resp
}

// Compile-time checks that the guard and the read log are gqlgen extensions.
var (
	_ graphql.OperationContextMutator = Guard{}
	_ graphql.ResponseInterceptor     = AccessLog{}
)
