package server

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"ketnap/ent"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
)

// personalEdges are the where-input keys that test a personal record
// through an edge, and the ent type they reach.
var personalEdges = map[string]string{
	"hasCandidateWith":           ent.TypeCandidate,
	"hasCandidatesWith":          ent.TypeCandidate,
	"hasAdmissionWith":           ent.TypeAdmission,
	"hasAdmissionsWith":          ent.TypeAdmission,
	"hasEnrollmentsWith":         ent.TypeEnrollment,
	"hasDisciplinaryActionsWith": ent.TypeDisciplinaryAction,
}

// predicateSuffixes are the endings entgql gives a field's predicates.
var predicateSuffixes = []string{"ContainsFold", "EqualFold", "HasPrefix", "HasSuffix", "Contains", "NotNil", "IsNil", "NotIn", "NEQ", "GTE", "LTE", "GT", "LT", "In"}

// personalFilter is a field middleware that treats a filter on personal
// fields as a read of the persons it matches (issue 12, item 3): on a
// connection of personal records it tells the access log which fields the
// filter tests, so that a count is logged as a read of those people; a
// filter that reaches personal records from an organization or a class is
// an ADMIN's only, since it would answer questions about people (how many
// organizations have a Khmer candidate) that nothing could log.
func personalFilter(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args == nil {
		return next(ctx)
	}
	where, ok := fc.Args["where"]
	if !ok || where == nil || (reflect.ValueOf(where).Kind() == reflect.Pointer && reflect.ValueOf(where).IsNil()) {
		return next(ctx)
	}
	typ := whereType(where)
	raw, err := json.Marshal(where)
	if err != nil {
		return next(ctx)
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return next(ctx)
	}
	fields, reaches := testedFields(m, "")
	if len(fields) == 0 && !reaches {
		return next(ctx)
	}
	v := viewer.FromContext(ctx)
	if v.Unrestricted() {
		return next(ctx)
	}
	if !readlog.Personal(typ) {
		if reaches {
			return nil, apperr.New(apperr.CodeForbidden, "where",
				"chỉ quản trị viên được lọc theo thông tin cá nhân qua tổ chức hoặc lớp học",
				"only an ADMIN may filter by personal records through an organization or a class")
		}
		return next(ctx)
	}
	if fc.Object != "Query" && len(fields) > 0 {
		// A nested connection's count is loaded with its parent, where the
		// access log cannot tell whom it counted.
		return nil, apperr.Invalid("where",
			"lọc hồ sơ cá nhân theo trường cá nhân chỉ được ở truy vấn gốc (candidates, admissions, enrollments, disciplinaryActions)",
			"filter personal records by a personal field at the query root only (candidates, admissions, enrollments, disciplinaryActions)")
	}
	return next(readlog.WithFilter(ctx, readlog.Filter{Type: typ, Fields: fields}))
}

// whereType names the ent type of a where input.
func whereType(where any) string {
	switch where.(type) {
	case *ent.CandidateWhereInput:
		return ent.TypeCandidate
	case *ent.AdmissionWhereInput:
		return ent.TypeAdmission
	case *ent.EnrollmentWhereInput:
		return ent.TypeEnrollment
	case *ent.DisciplinaryActionWhereInput:
		return ent.TypeDisciplinaryAction
	}
	return ""
}

// testedFields lists the fields a where input tests (ent spelling, edges
// as edge.field), references (…ID) left out, and whether it reaches a
// personal record through an edge.
func testedFields(m map[string]any, prefix string) (fields []string, reaches bool) {
	seen := map[string]bool{}
	var walk func(m map[string]any, prefix string)
	walk = func(m map[string]any, prefix string) {
		for k, v := range m {
			switch {
			case k == "not":
				if sub, ok := v.(map[string]any); ok {
					walk(sub, prefix)
				}
			case k == "or" || k == "and":
				for _, s := range asList(v) {
					walk(s, prefix)
				}
			case strings.HasPrefix(k, "has") && strings.HasSuffix(k, "With"):
				edge := snake(strings.TrimSuffix(strings.TrimPrefix(k, "has"), "With"))
				if _, ok := personalEdges[k]; ok {
					reaches = true
				}
				for _, s := range asList(v) {
					walk(s, prefix+edge+".")
				}
			case strings.HasPrefix(k, "has"):
				// Existence of an edge: no field of the record.
			default:
				name := k
				for _, suf := range predicateSuffixes {
					if strings.HasSuffix(name, suf) && len(name) > len(suf) {
						name = strings.TrimSuffix(name, suf)
						break
					}
				}
				if name == "id" || strings.HasSuffix(name, "ID") {
					continue
				}
				f := prefix + snake(name)
				if !seen[f] {
					seen[f] = true
					fields = append(fields, f)
				}
			}
		}
	}
	walk(m, prefix)
	sort.Strings(fields)
	return fields, reaches
}

func asList(v any) []map[string]any {
	var out []map[string]any
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// snake turns a GraphQL field name into ent's column spelling.
func snake(s string) string {
	s = strings.ReplaceAll(s, "ID", "Id")
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
