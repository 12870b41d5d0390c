package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/internal/apperr"
)

// MaxPage is the largest page a connection may return.
const MaxPage = 1000

// PageLimit rejects, before anything runs, a connection asked for more than
// MaxPage rows, or for its edges without first or last.
type PageLimit struct{}

// ExtensionName implements graphql.HandlerExtension.
func (PageLimit) ExtensionName() string { return "PageLimit" }

// Validate implements graphql.HandlerExtension.
func (PageLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (PageLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	if err := checkPages(oc, oc.Operation.SelectionSet, seen); err != nil {
		return err
	}
	return nil
}

func checkPages(oc *graphql.OperationContext, set ast.SelectionSet, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition != nil && s.Definition.Arguments.ForName("first") != nil && s.Definition.Arguments.ForName("last") != nil {
				args := s.ArgumentMap(oc.Variables)
				first, hasFirst := intArg(args["first"])
				last, hasLast := intArg(args["last"])
				for _, a := range []struct {
					name string
					n    int
					ok   bool
				}{{"first", first, hasFirst}, {"last", last, hasLast}} {
					if a.ok && (a.n < 0 || a.n > MaxPage) {
						return pageError(s, a.name, fmt.Sprintf("phải từ 0 đến %d", MaxPage), fmt.Sprintf("must be between 0 and %d", MaxPage))
					}
				}
				if !hasFirst && !hasLast && selectsRows(s.SelectionSet, oc, map[string]bool{}) {
					return pageError(s, "first", fmt.Sprintf("cần first hoặc last (tối đa %d) khi lấy edges hoặc nodes", MaxPage),
						fmt.Sprintf("first or last (at most %d) is required to fetch edges or nodes", MaxPage))
				}
			}
			if err := checkPages(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := checkPages(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := oc.Doc.Fragments.ForName(s.Name); f != nil {
				if err := checkPages(oc, f.SelectionSet, seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// selectsRows reports whether a connection's selection asks for its rows.
func selectsRows(set ast.SelectionSet, oc *graphql.OperationContext, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "edges" || s.Name == "nodes" {
				return true
			}
		case *ast.InlineFragment:
			if selectsRows(s.SelectionSet, oc, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := oc.Doc.Fragments.ForName(s.Name); f != nil && selectsRows(f.SelectionSet, oc, seen) {
				return true
			}
		}
	}
	return false
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

func pageError(f *ast.Field, arg, vi, en string) *gqlerror.Error {
	ae := apperr.Invalid(arg, vi, en)
	err := gqlerror.ErrorPosf(f.Position, "%s.%s", f.Name, ae.Error())
	err.Message = f.Name + "." + ae.Error()
	err.Extensions = map[string]any{"code": string(ae.Code), "field": arg, "vi": ae.VI, "en": ae.EN}
	return err
}
