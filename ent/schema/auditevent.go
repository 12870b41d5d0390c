package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"ketnap/internal/audit/change"
)

// AuditEvent holds the schema definition for one change to a record: who
// made it, when, to which entity, and the fields before and after. Events are
// written by the audit hook in the transaction of the change, never by hand,
// and are never updated.
type AuditEvent struct {
	ent.Schema
}

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").
			Immutable().
			Default(now).
			Annotations(entgql.OrderField("AT")),
		field.String("actor").
			NotEmpty().
			MaxLen(255).
			Immutable().
			Comment("The user who made the change, or system / cli:<user>."),
		field.String("entity_type").
			NotEmpty().
			MaxLen(64).
			Immutable().
			Annotations(entgql.OrderField("ENTITY_TYPE")),
		field.Int("entity_id").
			Immutable(),
		field.Enum("operation").
			Values("CREATE", "UPDATE", "DELETE").
			Immutable(),
		field.JSON("changes", []change.Field{}).
			Immutable().
			Comment("Changed fields with their values before and after; sensitive values masked.").
			Annotations(entgql.Type("[AuditChange!]")),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("entity_type", "entity_id"),
		index.Fields("at"),
		index.Fields("actor", "at"),
	}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}
