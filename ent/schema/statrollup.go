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

// StatRollup holds derived counts for the statistics: for every organization
// and calendar month, how many admissions of its subtree (by admitted_on)
// have each key of each dimension, and how many pipeline candidates it
// recorded (by created_at). A large subtree's figures are then a sum over a
// few hundred rows instead of a join over all its admissions; year rows
// (span 12) repeat the sums of the month rows so that long periods read
// twelve times fewer rows. Rows are kept
// in step with every write by the rollup hooks (internal/stats/rollup), in the write's
// transaction; rollup.Rebuild recomputes them from scratch.
type StatRollup struct {
	ent.Schema
}

// Fields of the StatRollup.
func (StatRollup) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id").
			Comment("The subtree's root (an ancestor of the organization where it happened, or itself)."),
		field.Int("month").
			Comment("Calendar month: year*12 + month - 1; the first month of the year for a year row."),
		field.Int("span").
			Default(1).
			Comment("Months the row covers: 1 (a month row) or 12 (a year row, the sum of its month rows)."),
		field.String("dim").
			MaxLen(32).
			Comment("ADMITTED, STATUS, PIPELINE, or a Dimension of the GraphQL API."),
		field.String("key").
			MaxLen(64).
			Comment("The key within dim; empty for ADMITTED and PIPELINE."),
		field.Int("n").
			Comment("The count; may be 0 after deletions."),
	}
}

// Edges of the StatRollup.
func (StatRollup) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organization", Organization.Type).
			Unique().
			Required().
			Field("organization_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the StatRollup.
func (StatRollup) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "dim", "span", "month", "key").Unique(),
	}
}

// Annotations of the StatRollup.
func (StatRollup) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
