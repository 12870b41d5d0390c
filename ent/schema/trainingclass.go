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

// TrainingClass holds the schema definition for a class: the awareness class
// for candidates (lớp bồi dưỡng nhận thức về Đảng) or the course for new members.
type TrainingClass struct {
	ent.Schema
}

// Mixin of the TrainingClass.
func (TrainingClass) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the TrainingClass.
func (TrainingClass) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").
			Values("AWARENESS", "NEW_MEMBER"),
		field.Int("organizer_id").
			Comment("The organization that holds the class."),
		field.Time("starts_on").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("STARTS_ON")),
		field.Time("ends_on").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("ENDS_ON")),
		field.String("location").
			MaxLen(255).
			Optional(),
	}
}

// Edges of the TrainingClass.
func (TrainingClass) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organizer", Organization.Type).
			Ref("training_classes").
			Field("organizer_id").
			Unique().
			Required(),
		edge.From("candidates", Candidate.Type).
			Ref("classes").
			Through("enrollments", Enrollment.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the TrainingClass.
func (TrainingClass) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organizer_id", "starts_on"),
		index.Fields("kind", "starts_on"),
	}
}

// Annotations of the TrainingClass.
func (TrainingClass) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
		entsql.Annotation{Table: "training_classes"},
	}
}
