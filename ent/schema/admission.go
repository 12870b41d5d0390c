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

// Admission holds the schema definition for a person's admission to the Party
// (kết nạp đảng viên) and its aftermath: probation, recognition, leaving.
// Statistics count admissions by admitted_on in the subtree of organization_id.
type Admission struct {
	ent.Schema
}

// Mixin of the Admission.
func (Admission) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the Admission.
func (Admission) Fields() []ent.Field {
	return []ent.Field{
		field.Int("candidate_id").
			Unique().
			Comment("The admitted person; one admission per person."),
		field.Int("organization_id").
			Comment("The organization where the person was admitted."),
		field.Time("resolution_on").
			SchemaType(dateType).
			Comment("Date of the branch resolution (nghị quyết chi bộ).").
			Annotations(entgql.Type("Date"), entgql.OrderField("RESOLUTION_ON")),
		field.String("decision_no").
			NotEmpty().
			MaxLen(64).
			Comment("Number of the admission decision (quyết định kết nạp)."),
		field.Time("decision_on").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("DECISION_ON")),
		field.Time("admitted_on").
			SchemaType(dateType).
			Comment("Date of the admission ceremony; probation starts here.").
			Annotations(entgql.Type("Date"), entgql.OrderField("ADMITTED_ON")),
		field.String("ceremony_delay_reason").
			MaxLen(1000).
			Optional().
			Comment("Why the ceremony came more than 30 working days after the decision."),
		field.Bool("age_exception").
			Default(false).
			Comment("Admitted over 60 by exception."),
		field.String("exception_note").
			MaxLen(1000).
			Optional(),
		field.Int("first_introducer_id").
			Optional().
			Nillable().
			Comment("First introducer, a full member recorded in the system."),
		field.String("first_introducer_name").
			MaxLen(255).
			Optional().
			Comment("First introducer recorded by name when outside the system."),
		field.String("first_introducer_card_no").
			MaxLen(32).
			Optional(),
		field.Int("second_introducer_id").
			Optional().
			Nillable(),
		field.String("second_introducer_name").
			MaxLen(255).
			Optional(),
		field.String("second_introducer_card_no").
			MaxLen(32).
			Optional(),
		field.Time("probation_ends_on").
			SchemaType(dateType).
			Comment("admitted_on + 12 months; set by the admission hook.").
			Annotations(
				entgql.Type("Date"),
				entgql.OrderField("PROBATION_ENDS_ON"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Enum("status").
			Values("PROBATIONARY", "FULL", "NOT_RECOGNIZED", "LEFT").
			Default("PROBATIONARY").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("recognized_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Annotations(entgql.Type("Date")),
		field.Time("recognition_decided_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Comment("Date the committee decided the recognition; on or after probation_ends_on.").
			Annotations(entgql.Type("Date")),
		field.Time("not_recognized_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Comment("Date the name was removed for not being recognized as a full member.").
			Annotations(entgql.Type("Date")),
		field.Time("left_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Annotations(entgql.Type("Date")),
		field.Enum("left_reason").
			Values("EXPULSION", "NAME_REMOVED", "ALLOWED_TO_LEAVE", "DECEASED").
			Optional().
			Nillable(),
	}
}

// Edges of the Admission.
func (Admission) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("candidate", Candidate.Type).
			Ref("admission").
			Field("candidate_id").
			Unique().
			Required(),
		edge.From("organization", Organization.Type).
			Ref("admissions").
			Field("organization_id").
			Unique().
			Required(),
		edge.To("first_introducer", Candidate.Type).
			Field("first_introducer_id").
			Unique().
			Annotations(entsql.OnDelete(entsql.Restrict)),
		edge.To("second_introducer", Candidate.Type).
			Field("second_introducer_id").
			Unique().
			Annotations(entsql.OnDelete(entsql.Restrict)),
		edge.To("disciplinary_actions", DisciplinaryAction.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Admission.
func (Admission) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "admitted_on"),
		index.Fields("admitted_on"),
		index.Fields("status"),
	}
}

// Annotations of the Admission.
func (Admission) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
