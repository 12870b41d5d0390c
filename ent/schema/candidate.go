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

// Candidate holds the schema definition for a person followed by a branch
// (quần chúng ưu tú), before and after admission. Most fields are personal
// data; several (ethnicity, religion) are sensitive under Decree 13/2023.
type Candidate struct {
	ent.Schema
}

// Mixin of the Candidate.
func (Candidate) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the Candidate.
func (Candidate) Fields() []ent.Field {
	return []ent.Field{
		field.String("full_name").
			NotEmpty().
			MaxLen(255).
			Annotations(entgql.OrderField("FULL_NAME")),
		field.Enum("gender").
			Values("MALE", "FEMALE"),
		field.Time("birth_date").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("BIRTH_DATE")),
		field.String("ethnicity").
			NotEmpty().
			MaxLen(64).
			Default("Kinh"),
		field.String("religion").
			MaxLen(64).
			Optional().
			Comment("Empty when the person follows no religion."),
		field.Enum("general_education").
			Values("PRIMARY", "LOWER_SECONDARY", "UPPER_SECONDARY").
			Default("UPPER_SECONDARY"),
		field.Enum("professional_level").
			Values("NONE", "INTERMEDIATE", "COLLEGE", "UNIVERSITY", "MASTER", "DOCTOR").
			Default("NONE"),
		field.Enum("political_theory_level").
			Values("NONE", "ELEMENTARY", "INTERMEDIATE", "ADVANCED").
			Default("NONE"),
		field.Enum("occupation").
			Values("CIVIL_SERVANT", "PUBLIC_EMPLOYEE", "SOE_EMPLOYEE", "WORKER", "FARMER",
				"ARMED_FORCES", "STUDENT", "BUSINESS_OWNER", "OTHER"),
		field.Bool("youth_union_member").
			Default(false),
		field.String("national_id").
			Optional().
			Nillable().
			Unique().
			NotEmpty().
			MaxLen(12).
			Comment("Citizen identity number (CCCD); sensitive."),
		field.String("phone").
			Optional().
			Nillable().
			Unique().
			NotEmpty().
			MaxLen(20).
			Comment("Sensitive."),
		field.Int("organization_id").
			Comment("The organization that follows the candidate."),
		field.Enum("status").
			Values("SOURCE", "TRAINED", "APPLIED", "ADMITTED", "WITHDRAWN", "REJECTED").
			Default("SOURCE").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("resolution_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Comment("Date of the branch resolution proposing admission; recorded by the workflow (status APPLIED).").
			Annotations(
				entgql.Type("Date"),
				entgql.OrderField("RESOLUTION_ON"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Bool("age_exception").
			Default(false).
			Comment("Proposed over 60 by exception, with exception_note.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("exception_note").
			MaxLen(1000).
			Optional().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Candidate.
func (Candidate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).
			Ref("candidates").
			Field("organization_id").
			Unique().
			Required(),
		edge.To("classes", TrainingClass.Type).
			Through("enrollments", Enrollment.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("admission", Admission.Type).
			Unique().
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Candidate.
func (Candidate) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "status"),
		// Natural key for imports when the national ID is unknown.
		index.Fields("full_name", "birth_date", "organization_id"),
	}
}

// Annotations of the Candidate.
func (Candidate) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
