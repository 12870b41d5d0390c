package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// DisciplinaryAction holds the schema definition for a disciplinary measure
// (kỷ luật) taken against an admitted member.
type DisciplinaryAction struct {
	ent.Schema
}

// Mixin of the DisciplinaryAction.
func (DisciplinaryAction) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the DisciplinaryAction.
func (DisciplinaryAction) Fields() []ent.Field {
	return []ent.Field{
		field.Int("admission_id"),
		field.Enum("level").
			Values("REPRIMAND", "WARNING", "DISMISSAL", "EXPULSION"),
		field.Time("decided_on").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("DECIDED_ON")),
		field.String("reason").
			MaxLen(1000).
			Optional(),
	}
}

// Edges of the DisciplinaryAction.
func (DisciplinaryAction) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("admission", Admission.Type).
			Ref("disciplinary_actions").
			Field("admission_id").
			Unique().
			Required(),
	}
}

// Indexes of the DisciplinaryAction.
func (DisciplinaryAction) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("admission_id"),
	}
}

// Annotations of the DisciplinaryAction.
func (DisciplinaryAction) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
