package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AnnualPlan holds the schema definition for an organization's yearly plan:
// its admission target (chỉ tiêu) and its member count at the start of the year.
type AnnualPlan struct {
	ent.Schema
}

// Mixin of the AnnualPlan.
func (AnnualPlan) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the AnnualPlan.
func (AnnualPlan) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id"),
		field.Int("year").
			Range(1930, 2200).
			Annotations(entgql.OrderField("YEAR")),
		field.Int("admission_target").
			NonNegative(),
		field.Int("members_at_start").
			NonNegative().
			Optional().
			Nillable(),
	}
}

// Edges of the AnnualPlan.
func (AnnualPlan) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).
			Ref("annual_plans").
			Field("organization_id").
			Unique().
			Required(),
	}
}

// Indexes of the AnnualPlan.
func (AnnualPlan) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "year").Unique(),
		index.Fields("year"),
	}
}

// Annotations of the AnnualPlan.
func (AnnualPlan) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
