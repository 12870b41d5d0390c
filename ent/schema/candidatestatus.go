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

// CandidateStatus holds the status history of a candidate: each status with
// the span of dates [valid_from, valid_to) it held and the organization that
// followed the candidate then. The migration 20261202000200_history
// back-filled it from the dates already recorded (created, certificate,
// branch resolution, admission). NOT YET KEPT: the workflow does not write
// it on later changes and the bulk loaders do not fill it, so nothing reads
// it yet (issue 14, item 4, is open); pipeline still counts today's status.
type CandidateStatus struct {
	ent.Schema
}

// Fields of the CandidateStatus.
func (CandidateStatus) Fields() []ent.Field {
	return []ent.Field{
		field.Int("candidate_id"),
		field.Enum("status").
			Values("SOURCE", "TRAINED", "APPLIED", "ADMITTED", "WITHDRAWN", "REJECTED"),
		field.Int("organization_id").
			Comment("The organization that followed the candidate during the span."),
		field.Time("valid_from").
			SchemaType(dateType),
		field.Time("valid_to").
			SchemaType(dateType).
			Comment("The day after the span's last day; tree.Forever while current."),
	}
}

// Edges of the CandidateStatus.
func (CandidateStatus) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("candidate", Candidate.Type).
			Unique().
			Required().
			Field("candidate_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("organization", Organization.Type).
			Unique().
			Required().
			Field("organization_id").
			Annotations(entsql.OnDelete(entsql.Restrict)),
	}
}

// Indexes of the CandidateStatus.
func (CandidateStatus) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("candidate_id", "valid_from"),
		index.Fields("organization_id", "valid_from"),
	}
}

// Annotations of the CandidateStatus.
func (CandidateStatus) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
