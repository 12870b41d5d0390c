package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AccessLog holds the schema definition for one read of a person's record:
// who read it, which person, which fields, when and in which operation. Party
// member files are secret documents and every reading is recorded; rows are
// written by the audit interceptor only and never changed.
type AccessLog struct {
	ent.Schema
}

// Fields of the AccessLog.
func (AccessLog) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").
			Immutable(),
		field.Int("candidate_id").
			Immutable().
			Comment("The person read; no foreign key, so the log outlives the record.").
			Annotations(entgql.Type("ID")),
		field.Enum("entity").
			Values("CANDIDATE", "ADMISSION", "ENROLLMENT", "DISCIPLINARY_ACTION", "AUDIT_EVENT", "CONFLICT").
			Immutable().
			Comment("The record read: the person, their admission, enrollment, disciplinary action, an audit event about them, or a collision of a unique field with their record."),
		field.String("fields").
			Immutable().
			MaxLen(2000).
			Comment("Comma-separated columns read; * for all of them."),
		field.String("operation").
			Immutable().
			MaxLen(255).
			Optional().
			Comment("The GraphQL operation name, when the client gave one."),
		field.Time("read_at").
			Immutable().
			Default(now).
			Annotations(entgql.OrderField("READ_AT")),
	}
}

// Edges of the AccessLog.
func (AccessLog) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).
			Ref("access_logs").
			Field("user_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the AccessLog.
func (AccessLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("candidate_id", "read_at"),
		index.Fields("user_id", "read_at"),
		index.Fields("read_at"),
	}
}

// Annotations of the AccessLog.
func (AccessLog) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}
