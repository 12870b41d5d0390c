package stats

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/stats/dim"
)

// Filter is one condition of a filtered statistic, the GraphQL inputs
// StatsFilter and BucketInput: the admissions whose key of dimension By is
// Key.
type Filter struct {
	By  dim.Dimension
	Key string
}

// MaxFilters bounds the conditions of one filtered statistic.
const MaxFilters = 10

// checkFilters refuses, before any SQL, an unknown dimension, an empty key,
// too many conditions, and a sensitive dimension asked by a VIEWER (the
// small-cell rule could not hold for a figure cut by one ethnicity).
func checkFilters(ctx context.Context, field string, fs []Filter) error {
	if len(fs) > MaxFilters {
		return apperr.Invalid(field,
			fmt.Sprintf("tối đa %d điều kiện lọc", MaxFilters),
			fmt.Sprintf("at most %d filter conditions", MaxFilters))
	}
	for _, f := range fs {
		if err := checkDimension(ctx, field, f.By); err != nil {
			return err
		}
		if f.Key == "" {
			return apperr.Invalid(field, "giá trị lọc (key) không được để trống", "the filter's key must not be empty")
		}
	}
	return nil
}

// checkDimension refuses an unknown dimension, and a sensitive one for a
// VIEWER, in the argument field.
func checkDimension(ctx context.Context, field string, by dim.Dimension) error {
	if dim.Lookup(by) == nil {
		return apperr.Invalid(field, "chiều phân tích không hợp lệ", "unknown dimension")
	}
	if v := viewer.FromContext(ctx); v != nil && v.Role == viewer.RoleViewer && Sensitive[by] {
		return apperr.New(apperr.CodeForbidden, field,
			"lãnh đạo (VIEWER) không được lọc hoặc tách chuỗi theo chiều nhạy cảm này",
			"a VIEWER may not filter or split a series by this sensitive dimension")
	}
	return nil
}

// setFilters makes g count only the admissions meeting every filter: its
// admission figures are then read from the records, not the rollups (which
// are not kept per combination of keys).
func (g *group) setFilters(fs []Filter) {
	if len(fs) == 0 {
		return
	}
	g.filters = fs
	g.rolled, g.core = false, false
}

// filterAdmissions restricts s, over the admissions table a, to the
// admissions meeting every filter of g.
func (g *group) filterAdmissions(s *sql.Selector, a *sql.SelectTable) {
	for _, f := range g.filters {
		s.Where(filterPred(s.Dialect(), a, f))
	}
}

// filterPred holds for the admissions of table a whose key of f.By is
// f.Key: a correlated EXISTS over the candidate or the organization the key
// reads.
func filterPred(d string, a *sql.SelectTable, f Filter) *sql.Predicate {
	def := dim.Lookup(f.By)
	ca := sql.Dialect(d).Table(candidate.Table).As("fca")
	o := sql.Dialect(d).Table(organization.Table).As("fo")
	expr := def.SQL(d, dim.Tables{Admission: a, Candidate: ca, Organization: o})
	var sub *sql.Selector
	if def.NeedsCandidate {
		sub = sql.Dialect(d).Select(ca.C(candidate.FieldID)).From(ca).
			Where(sql.ColumnsEQ(ca.C(candidate.FieldID), a.C(admission.FieldCandidateID)))
	} else {
		sub = sql.Dialect(d).Select(o.C(organization.FieldID)).From(o).
			Where(sql.ColumnsEQ(o.C(organization.FieldID), a.C(admission.FieldOrganizationID)))
	}
	sub.Where(sql.P(func(b *sql.Builder) { b.WriteString("(" + expr + ") = ").Arg(f.Key) }))
	return sql.Exists(sub)
}
