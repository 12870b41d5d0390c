package stats

import (
	"fmt"
	"io"
	"sort"
	"strconv"

	"entgo.io/contrib/entgql"

	"ketnap/internal/apperr"
)

// ChildOrderField is a figure Stats.children can be ordered by; it is the
// GraphQL enum StatsChildOrderField.
type ChildOrderField string

// The figures children can be ordered by.
const (
	ChildByAdmitted         ChildOrderField = "ADMITTED"
	ChildByTargetAttainment ChildOrderField = "TARGET_ATTAINMENT"
	ChildByAdmissionRate    ChildOrderField = "ADMISSION_RATE"
	ChildByTrainees         ChildOrderField = "TRAINEES"
	ChildByPipeline         ChildOrderField = "PIPELINE"
)

// IsValid reports whether f is a known field.
func (f ChildOrderField) IsValid() bool {
	switch f {
	case ChildByAdmitted, ChildByTargetAttainment, ChildByAdmissionRate, ChildByTrainees, ChildByPipeline:
		return true
	}
	return false
}

// UnmarshalGQL reads the enum from GraphQL input.
func (f *ChildOrderField) UnmarshalGQL(x any) error {
	return unmarshalEnum(x, f, ChildOrderField.IsValid, "StatsChildOrderField")
}

// MarshalGQL writes the enum to GraphQL output.
func (f ChildOrderField) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(f))) }

// ChildOrder is the GraphQL input StatsChildOrder.
type ChildOrder struct {
	Field     ChildOrderField
	Direction entgql.OrderDirection
}

// MaxChildren bounds children(first:).
const MaxChildren = 1000

// checkChildren checks children's first before any SQL.
func checkChildren(first *int) error {
	if first != nil && (*first < 0 || *first > MaxChildren) {
		return apperr.Invalid("first",
			fmt.Sprintf("first phải từ 0 đến %d", MaxChildren),
			fmt.Sprintf("first must be between 0 and %d", MaxChildren))
	}
	return nil
}

// orderChildren returns the children (by code) ordered by o, ties by code
// then id and null figures last whatever the direction, cut to first. The
// figures are the children group's, one statement each.
func orderChildren(kids []*Stats, o *ChildOrder, first *int) ([]*Stats, error) {
	if o != nil {
		if !o.Field.IsValid() {
			return nil, apperr.Invalid("orderBy", "trường sắp xếp không hợp lệ", "unknown order field")
		}
		type keyed struct {
			s  *Stats
			v  float64
			ok bool
		}
		ks := make([]keyed, len(kids))
		for i, c := range kids {
			v, ok, err := childFigure(c, o.Field)
			if err != nil {
				return nil, err
			}
			ks[i] = keyed{c, v, ok}
		}
		desc := o.Direction == entgql.OrderDirectionDesc
		// kids come ordered by code (then id): a stable sort keeps it for ties.
		sort.SliceStable(ks, func(i, j int) bool {
			a, b := ks[i], ks[j]
			if a.ok != b.ok {
				return a.ok
			}
			if !a.ok || a.v == b.v {
				return false
			}
			if desc {
				return a.v > b.v
			}
			return a.v < b.v
		})
		out := make([]*Stats, len(ks))
		for i, k := range ks {
			out[i] = k.s
		}
		kids = out
	}
	if first != nil && len(kids) > *first {
		kids = kids[:*first]
	}
	return kids, nil
}

// childFigure is the figure f of c; ok is false for a null figure.
func childFigure(c *Stats, f ChildOrderField) (float64, bool, error) {
	var n int
	var p *float64
	var err error
	switch f {
	case ChildByAdmitted:
		n, err = c.Admitted()
	case ChildByTrainees:
		n, err = c.Trainees()
	case ChildByPipeline:
		n, err = c.Pipeline()
	case ChildByTargetAttainment:
		p, err = c.TargetAttainment()
		if p == nil {
			return 0, false, err
		}
		return *p, true, err
	case ChildByAdmissionRate:
		p, err = c.AdmissionRate()
		if p == nil {
			return 0, false, err
		}
		return *p, true, err
	}
	return float64(n), true, err
}
