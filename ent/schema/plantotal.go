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

// PlanTotal holds the plan of an organization's subtree for a year, derived
// from the annual plans: its own plan, else the sum of its children's
// subtree plans (target and members_at_start each by that rule). The
// statistics read a subtree's plan as one row instead of applying the
// shadowing rule over every plan below it. Rows exist for the organizations
// with a plan in their subtree; the rollup hooks (internal/stats/rollup) keep them in
// step with plans and moves, rollup.Rebuild recomputes them.
type PlanTotal struct {
	ent.Schema
}

// Fields of the PlanTotal.
func (PlanTotal) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id").
			Comment("The subtree's root."),
		field.Int("year"),
		field.Int("target").
			Optional().
			Nillable().
			Comment("The subtree's admission target; null when no plan counts."),
		field.Int("members").
			Optional().
			Nillable().
			Comment("The subtree's members at the start of the year; null when no plan records it."),
	}
}

// Edges of the PlanTotal.
func (PlanTotal) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organization", Organization.Type).
			Unique().
			Required().
			Field("organization_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the PlanTotal.
func (PlanTotal) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "year").Unique(),
	}
}

// Annotations of the PlanTotal.
func (PlanTotal) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
