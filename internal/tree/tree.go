// Package tree holds the SQL predicates that restrict a query to a subtree of
// the organization tree, through the closure table, at any depth.
package tree

import (
	"entgo.io/ent/dialect/sql"

	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
)

// Subtree returns the sub-select of the ids of root and all its descendants.
func Subtree(root int) *sql.Selector {
	t := sql.Table(organizationclosure.Table)
	return sql.Select(t.C(organizationclosure.FieldDescendantID)).
		From(t).
		Where(sql.EQ(t.C(organizationclosure.FieldOrganizationID), root))
}

// Ancestors returns the sub-select of the ids of the strict ancestors of id.
func Ancestors(id int) *sql.Selector {
	t := sql.Table(organizationclosure.Table)
	return sql.Select(t.C(organizationclosure.FieldOrganizationID)).
		From(t).
		Where(sql.And(
			sql.EQ(t.C(organizationclosure.FieldDescendantID), id),
			sql.GT(t.C(organizationclosure.FieldDepth), 0),
		))
}

// In returns a predicate that keeps the rows whose column (an organization
// id, such as organization_id or organizer_id) lies in the subtree of root.
// It works for any entity's query: func(*sql.Selector) is every ent predicate.
func In(column string, root int) func(*sql.Selector) {
	return func(s *sql.Selector) {
		s.Where(sql.In(s.C(column), Subtree(root)))
	}
}

// Organizations keeps the organizations in the subtree of root.
func Organizations(root int) func(*sql.Selector) {
	return In(organization.FieldID, root)
}
