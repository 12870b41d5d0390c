package server

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/lib/pq"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/ent"
	"ketnap/ent/privacy"
	"ketnap/internal/apperr"
	"ketnap/internal/keyset"
)

// presentError turns any resolver error into a client error: a known
// *apperr.Error as is, ent's validation, constraint and not-found errors as
// their apperr equivalents, and anything else as an opaque INTERNAL error
// whose cause goes to the log only. SQL never reaches the client.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			if _, done := gqlErr.Extensions["vi"]; done {
				// The guard's and the limits' errors.
				return gqlErr
			}
			// Parsing and validation errors, and the transports' and
			// the executor's own.
			return coded(gqlErr, parseOrValidation(gqlErr))
		}
		ae := classify(err)
		if ae.Field == "" && gqlErr != nil {
			// Input coercion errors (malformed ID or Date) know the
			// argument only through their path, whose last step names it.
			if name, ok := lastName(gqlErr.Path); ok && ae.Code == apperr.CodeInvalid {
				named := *ae
				named.Field = name
				ae = &named
			}
		}
		if ae.Code == apperr.CodeInternal {
			log.ErrorContext(ctx, "request failed", "error", safeText(err))
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		out.Message = ae.Error()
		out.Extensions = map[string]any{"code": string(ae.Code), "vi": ae.VI, "en": ae.EN}
		if ae.Field != "" {
			out.Extensions["field"] = ae.Field
		}
		return out
	}
}

// CodeBadRequest is the error code of a request body that is not one
// GraphQL operation in JSON.
const CodeBadRequest apperr.Code = "BAD_REQUEST"

// transportError replaces the errors of gqlgen's transports that quote the
// request (a malformed body, a batch: with a login's password in it) by
// coded errors that quote nothing.
func transportError(msg string) (*apperr.Error, bool) {
	switch {
	case strings.HasPrefix(msg, "json request body could not be decoded"):
		return apperr.New(CodeBadRequest, "body",
			"nội dung yêu cầu phải là một truy vấn GraphQL dạng JSON (không nhận nhiều truy vấn một lúc)",
			"the request body must be one GraphQL operation in JSON (batches are refused)"), true
	case strings.HasPrefix(msg, "could not read request body"), strings.HasPrefix(msg, "unable to get Request Body"):
		return apperr.New(CodeBadRequest, "body",
			"không đọc được nội dung yêu cầu (có thể quá lớn)",
			"the request body could not be read (it may be too large)"), true
	case strings.HasPrefix(msg, "could not get form body"), strings.HasPrefix(msg, "could not cleanup body"):
		return apperr.New(CodeBadRequest, "body", "nội dung biểu mẫu không hợp lệ", "invalid form body"), true
	}
	return nil, false
}

// lastName returns the last field or argument name of a path.
func lastName(p ast.Path) (string, bool) {
	if len(p) == 0 {
		return "", false
	}
	name, ok := p[len(p)-1].(ast.PathName)
	return string(name), ok
}

// recoverFunc logs a panic with its stack and answers INTERNAL.
func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p, "stack", string(debug.Stack()))
		return apperr.New(apperr.CodeInternal, "", "lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later")
	}
}

var (
	sqliteUnique = regexp.MustCompile(`UNIQUE constraint failed: ([a-z_]+)\.([a-z_]+)`)
	pgUniqueKey  = regexp.MustCompile(`^[a-z_]+?_([a-z_]+)_key$`)
)

// classify maps an error to the user-facing error it stands for.
func classify(err error) *apperr.Error {
	if ae, ok := apperr.As(err); ok {
		return ae
	}
	if ae, ok := inputError(err); ok {
		return ae
	}
	var ve *ent.ValidationError
	if errors.As(err, &ve) {
		return apperr.Invalid(camel(ve.Name), "giá trị không hợp lệ", "invalid value")
	}
	if errors.Is(err, privacy.Deny) {
		// A policy that refused without saying why.
		return apperr.New(apperr.CodeForbidden, "", "không có quyền truy cập", "access denied")
	}
	if ent.IsNotFound(err) || strings.Contains(err.Error(), "Could not resolve to a node") {
		return apperr.New(apperr.CodeNotFound, "", "không tìm thấy bản ghi", "record not found")
	}
	var ce *ent.ConstraintError
	if errors.As(err, &ce) {
		if field, ok := uniqueField(err); ok {
			return apperr.New(apperr.CodeConflict, field, "giá trị đã tồn tại", "value already exists")
		}
		return apperr.New(apperr.CodeInUse, "", "bản ghi đang được dùng hoặc tham chiếu không hợp lệ",
			"the record is in use, or a reference is invalid")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return apperr.New(apperr.CodeInternal, "", "truy vấn quá thời gian cho phép", "the request took too long")
	}
	return apperr.New(apperr.CodeInternal, "", "lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later")
}

// inputError codes the errors of scalars that could not be read: a
// malformed cursor, a Time that is not RFC 3339, an Upload sent as
// something else than a file.
func inputError(err error) (*apperr.Error, bool) {
	var pe *time.ParseError
	msg := err.Error()
	switch {
	case strings.Contains(msg, "cannot decode cursor"):
		ae, _ := apperr.As(keyset.InvalidCursor("", err))
		return ae, true
	case errors.As(err, &pe):
		return apperr.Invalid("", "thời điểm phải theo RFC 3339, ví dụ 2026-01-31T08:00:00+07:00",
			"a Time must be RFC 3339, as 2026-01-31T08:00:00+07:00"), true
	case strings.Contains(msg, "is not an Upload"):
		return apperr.Invalid("", "giá trị phải là một tệp gửi theo đặc tả GraphQL multipart request",
			"the value must be a file sent as a GraphQL multipart request"), true
	}
	return nil, false
}

// uniqueField names the field of a unique violation, from the driver error.
func uniqueField(err error) (string, bool) {
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "23505" {
		if m := pgUniqueKey.FindStringSubmatch(pe.Constraint); m != nil {
			return camel(m[1]), true
		}
		return "", false
	}
	if m := sqliteUnique.FindStringSubmatch(err.Error()); m != nil {
		return camel(m[2]), true
	}
	return "", false
}

// safeText describes an error for the log without the values a driver may
// quote (PostgreSQL puts them in Detail, which is left out).
func safeText(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return "postgres " + string(pe.Code) + ": " + pe.Message
	}
	return err.Error()
}

// camel converts a snake_case column name to the GraphQL field name.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
			continue
		}
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
