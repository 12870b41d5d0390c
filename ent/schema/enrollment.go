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

// Enrollment holds the schema definition for a candidate's place in a
// training class and the certificate it led to. It is the edge schema between
// Candidate and TrainingClass, with an ID of its own so it is a Relay node.
type Enrollment struct {
	ent.Schema
}

// Mixin of the Enrollment.
func (Enrollment) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the Enrollment.
func (Enrollment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("candidate_id"),
		field.Int("training_class_id"),
		field.Bool("passed").
			Default(false),
		field.String("certificate_no").
			MaxLen(64).
			Optional(),
		field.Time("certificate_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Annotations(entgql.Type("Date"), entgql.OrderField("CERTIFICATE_ON")),
	}
}

// Edges of the Enrollment.
func (Enrollment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("candidate", Candidate.Type).
			Unique().
			Required().
			Field("candidate_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("training_class", TrainingClass.Type).
			Unique().
			Required().
			Field("training_class_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Enrollment.
func (Enrollment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("candidate_id", "training_class_id").Unique(),
		index.Fields("training_class_id"),
		// Covering for the trainees figure: certificates of the period,
		// their class and candidate, without reading the rows.
		index.Fields("certificate_on", "training_class_id", "candidate_id"),
	}
}

// Annotations of the Enrollment.
func (Enrollment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
