// Package keyset is the keyset (seek) pagination behind every GraphQL
// connection: the ORDER BY of a page, the predicate that starts a page after
// or ends it before a cursor, and the cursors themselves.
//
// NULL is placed as if it were larger than every value, on SQLite and
// PostgreSQL alike: last in ascending order, first in descending order. The
// predicates follow the same rule, so a walk over a nullable order field sees
// every row exactly once, the rows with NULL included. The generated code in
// ent/gql_pagination.go (template ent/entc/template/pagination.tmpl) calls it.
package keyset

import (
	"entgo.io/ent/dialect/sql"
)

// Count is a computed order term: how many rows of Table have Column equal to
// the ordered row's id (an edge count, as CHILDREN_COUNT).
type Count struct {
	Table  string
	Column string
}

// Key is one term of a connection's order.
type Key struct {
	// Name is the GraphQL order field, recorded in cursors' signatures.
	Name string
	// Column is the ordered column, or the alias a computed term is
	// selected as (so that its value reaches the cursor).
	Column string
	// Count is non-nil for a computed term.
	Count *Count
	// Nullable says the column may hold NULL.
	Nullable bool
	// Desc orders the term descending.
	Desc bool
}

// Plan is the order of one page: the requested keys, then the id as the
// tie-breaker that makes the order total.
type Plan struct {
	// Keys are the terms, the id last.
	Keys []Key
	// ID is the id column of the table.
	ID string
	// Reverse reads the order backwards (a page taken with last).
	Reverse bool
}

// NewPlan returns the plan of keys followed by the id column, ascending.
func NewPlan(keys []Key, id string, reverse bool) Plan {
	return Plan{ID: id, Reverse: reverse, Keys: append(append([]Key{}, keys...), Key{Name: "ID", Column: id})}
}

// Signature names the order a cursor was issued for, so that a cursor of
// another orderBy is refused instead of silently cutting the wrong rows.
func (p Plan) Signature() string {
	var b []byte
	for _, k := range p.Keys {
		b = append(b, k.Name...)
		if k.Desc {
			b = append(b, '-')
		} else {
			b = append(b, '+')
		}
	}
	return string(b)
}

// desc reports whether k is read descending in this plan.
func (p Plan) desc(k Key) bool { return k.Desc != p.Reverse }

// countQuery is the correlated subquery of a computed term for the rows of s.
func (p Plan) countQuery(s *sql.Selector, c *Count) *sql.Selector {
	t := sql.Table(c.Table).As("keyset_n")
	return sql.Select(sql.Count("*")).From(t).Where(sql.ColumnsEQ(t.C(c.Column), s.C(p.ID)))
}

// term writes the SQL of one key for the rows of s (computed terms as
// their subquery, as WHERE cannot see select aliases).
func (p Plan) term(s *sql.Selector, k Key) func(*sql.Builder) {
	if k.Count != nil {
		q := p.countQuery(s, k.Count)
		return func(b *sql.Builder) { b.Wrap(func(b *sql.Builder) { b.Join(q) }) }
	}
	col := s.C(k.Column)
	return func(b *sql.Builder) { b.Ident(col) }
}

// direction writes ASC or DESC with the NULL placement of the package.
func (p Plan) direction(b *sql.Builder, k Key) {
	if p.desc(k) {
		b.WriteString(" DESC")
		if k.Nullable {
			b.WriteString(" NULLS FIRST")
		}
		return
	}
	b.WriteString(" ASC")
	if k.Nullable {
		b.WriteString(" NULLS LAST")
	}
}

// Order orders s by the plan and selects the computed terms under their
// aliases.
func (p Plan) Order(s *sql.Selector) {
	p.Select(s)
	for _, k := range p.Keys {
		if k.Count != nil {
			s.OrderExpr(sql.ExprFunc(func(b *sql.Builder) {
				b.Ident(k.Column)
				p.direction(b, k)
			}))
			continue
		}
		col := s.C(k.Column)
		s.OrderExpr(sql.ExprFunc(func(b *sql.Builder) {
			b.Ident(col)
			p.direction(b, k)
		}))
	}
}

// Select adds the computed terms to the selection of s, under their aliases.
func (p Plan) Select(s *sql.Selector) {
	for _, k := range p.Keys {
		if k.Count != nil {
			s.AppendSelectExprAs(p.countQuery(s, k.Count), k.Column)
		}
	}
}

// Window is the plan as the ORDER BY of a window over a subquery that
// selected every key (computed ones under their aliases), as the per-parent
// limit of nested connections uses.
func (p Plan) Window() sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		for i, k := range p.Keys {
			if i > 0 {
				b.Comma()
			}
			b.Ident(k.Column)
			p.direction(b, k)
		}
	})
}

// After returns the predicate of the rows strictly after the row whose key
// values are vals, in the plan's order as the client asked for it (Reverse
// is ignored). vals hold one value per key, nil for NULL.
func (p Plan) After(vals []any) func(*sql.Selector) {
	return p.beyond(vals, false)
}

// Before returns the predicate of the rows strictly before the row whose key
// values are vals.
func (p Plan) Before(vals []any) func(*sql.Selector) {
	return p.beyond(vals, true)
}

// beyond builds (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, with ">" meaning
// "later in the order", NULL being the largest value.
func (p Plan) beyond(vals []any, backwards bool) func(*sql.Selector) {
	return func(s *sql.Selector) {
		var or []*sql.Predicate
		var equal []*sql.Predicate
		for i, k := range p.Keys {
			term := p.term(s, k)
			v := vals[i]
			// later: asc and not backwards, or desc and backwards, means
			// "greater"; otherwise "smaller".
			greater := k.Desc == backwards
			var later *sql.Predicate
			switch {
			case v == nil && greater:
				// Nothing is greater than NULL.
			case v == nil:
				later = sql.P(func(b *sql.Builder) { term(b); b.WriteString(" IS NOT NULL") })
			case greater:
				later = sql.P(func(b *sql.Builder) { term(b); b.WriteOp(sql.OpGT).Arg(v) })
				if k.Nullable {
					later = sql.Or(later, sql.P(func(b *sql.Builder) { term(b); b.WriteString(" IS NULL") }))
				}
			default:
				later = sql.P(func(b *sql.Builder) { term(b); b.WriteOp(sql.OpLT).Arg(v) })
			}
			if later != nil {
				or = append(or, sql.And(append(append([]*sql.Predicate{}, equal...), later)...))
			}
			if v == nil {
				equal = append(equal, sql.P(func(b *sql.Builder) { term(b); b.WriteString(" IS NULL") }))
			} else {
				equal = append(equal, sql.P(func(b *sql.Builder) { term(b); b.WriteOp(sql.OpEQ).Arg(v) }))
			}
		}
		if len(or) == 0 {
			s.Where(sql.False())
			return
		}
		s.Where(sql.Or(or...))
	}
}
