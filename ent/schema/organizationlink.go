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

// OrganizationLink holds the organization tree with its history: one row per
// (ancestor, descendant) pair and span of dates [valid_from, valid_to) on
// which the ancestor was an ancestor (or, at depth 0, the organization
// itself) of the descendant. Moves and merges close the open rows and open
// new ones; nothing is ever rewritten, so a subtree on any date is one
// indexed lookup. Open spans end on tree.Forever, spans known since the
// organization's creation start on tree.Always. Rows are written only by
// the organization hooks (internal/tree).
type OrganizationLink struct {
	ent.Schema
}

// Fields of the OrganizationLink.
func (OrganizationLink) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id").
			Comment("The ancestor."),
		field.Int("descendant_id"),
		field.Int("depth").
			NonNegative().
			Comment("Distance from the ancestor to the descendant during the span; 0 for the organization itself."),
		field.Time("valid_from").
			SchemaType(dateType).
			Comment("First day of the span."),
		field.Time("valid_to").
			SchemaType(dateType).
			Comment("The day after the span's last day."),
	}
}

// Edges of the OrganizationLink.
func (OrganizationLink) Edges() []ent.Edge {
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

// Indexes of the OrganizationLink.
func (OrganizationLink) Indexes() []ent.Index {
	return []ent.Index{
		// The subtree of an ancestor on a date.
		index.Fields("organization_id", "descendant_id", "valid_from"),
		// The ancestors of a fact's organization on its date.
		index.Fields("descendant_id", "valid_from"),
	}
}

// Annotations of the OrganizationLink.
func (OrganizationLink) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
