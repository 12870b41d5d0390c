package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// OrganizationClosure holds the closure table of the organization tree: one
// row per (ancestor, descendant) pair, so a subtree is one indexed lookup at
// any depth. Rows are written only by the organization hooks.
type OrganizationClosure struct {
	ent.Schema
}

// Annotations of the OrganizationClosure.
func (OrganizationClosure) Annotations() []schema.Annotation {
	return []schema.Annotation{
		field.ID("organization_id", "descendant_id"),
		entgql.Skip(entgql.SkipAll),
	}
}

// Fields of the OrganizationClosure.
func (OrganizationClosure) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id").
			Comment("The ancestor."),
		field.Int("descendant_id"),
		field.Int("depth").
			NonNegative().
			Comment("Distance from the ancestor to the descendant; 0 for the organization itself."),
	}
}

// Edges of the OrganizationClosure.
func (OrganizationClosure) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organization", Organization.Type).
			Unique().
			Required().
			Field("organization_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("descendant", Organization.Type).
			Unique().
			Required().
			Field("descendant_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the OrganizationClosure.
func (OrganizationClosure) Indexes() []ent.Index {
	return []ent.Index{
		// Ancestors of a node, nearest first.
		index.Fields("descendant_id", "depth"),
	}
}
