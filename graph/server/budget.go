package server

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/internal/apperr"
)

// DefaultMaxResponseBytes caps a GraphQL answer (--max-response-mb).
const DefaultMaxResponseBytes = 16 << 20

// Error codes of the request's budget.
const (
	CodeTimeout          apperr.Code = "REQUEST_TIMEOUT"
	CodeResponseTooLarge apperr.Code = "RESPONSE_TOO_LARGE"
)

// Budget ends a request at its deadline and caps the size of its answer
// (issue 12, item 8). The deadline of the request's context cancels its
// SQL; Budget also stops resolution: every field checks it before it runs,
// and every field's result is counted against the answer's cap while it is
// built, so a query that would answer too much stops growing the process
// as soon as it passes the cap, not after marshalling it.
type Budget struct {
	// MaxBytes caps the answer; 0 means DefaultMaxResponseBytes.
	MaxBytes int
}

type budgetKey struct{}

type budget struct {
	max, used atomic.Int64
	cancel    context.CancelFunc
}

// ExtensionName implements graphql.HandlerExtension.
func (Budget) ExtensionName() string { return "Budget" }

// Validate implements graphql.HandlerExtension.
func (Budget) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (b Budget) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	limit := int64(orDefault(b.MaxBytes, DefaultMaxResponseBytes))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st := &budget{cancel: cancel}
	st.max.Store(limit)
	resp := next(context.WithValue(ctx, budgetKey{}, st))
	switch {
	case st.used.Load() > limit || (resp != nil && int64(len(resp.Data)) > limit):
		return &graphql.Response{Errors: gqlerror.List{guardError(nil, tooLarge(limit))}}
	case context.Cause(ctx) == context.DeadlineExceeded || (ctx.Err() != nil && st.used.Load() <= limit):
		return &graphql.Response{Errors: gqlerror.List{guardError(nil, timedOut())}}
	}
	return resp
}

func tooLarge(limit int64) *apperr.Error {
	size := fmt.Sprintf("%d MiB", limit>>20)
	if limit%(1<<20) != 0 {
		size = fmt.Sprintf("%d KiB", limit>>10)
	}
	return apperr.New(CodeResponseTooLarge, "",
		fmt.Sprintf("kết quả vượt quá %s; hãy thu hẹp truy vấn (ít cấp lồng hơn, trang nhỏ hơn)", size),
		fmt.Sprintf("the answer exceeds %s; narrow the query (fewer nested levels, smaller pages)", size))
}

func timedOut() *apperr.Error {
	return apperr.New(CodeTimeout, "",
		"truy vấn quá thời gian cho phép; hãy thu hẹp truy vấn",
		"the request took longer than allowed; narrow the query")
}

// budgetFields is the field middleware of Budget.
func budgetFields(ctx context.Context, next graphql.Resolver) (any, error) {
	st, _ := ctx.Value(budgetKey{}).(*budget)
	if st == nil {
		return next(ctx)
	}
	if ctx.Err() != nil {
		return nil, timedOut()
	}
	res, err := next(ctx)
	if st.used.Add(sizeOf(res)) > st.max.Load() {
		st.cancel() // stops the request's other fields and its SQL
		return nil, tooLarge(st.max.Load())
	}
	return res, err
}

// sizeOf estimates the bytes a field's result adds to the answer.
func sizeOf(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return int64(len(x)) + 8
	case *string:
		if x != nil {
			return int64(len(*x)) + 8
		}
		return 4
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return int64(rv.Len())*16 + 8
	}
	return 16
}

var _ graphql.ResponseInterceptor = Budget{}
