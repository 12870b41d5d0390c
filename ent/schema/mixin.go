package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"ketnap/internal/audit"
	"ketnap/internal/text"
)

// dateType stores date-only fields as SQL DATE on both dialects. Values are
// kept at midnight UTC so that cursors and comparisons agree across databases.
var dateType = map[string]string{
	dialect.Postgres: "date",
	dialect.SQLite:   "date",
}

// TimeMixin adds created_at and updated_at to every entity.
type TimeMixin struct {
	mixin.Schema
}

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Immutable().
			Default(now).
			Annotations(
				entgql.OrderField("CREATED_AT"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Time("updated_at").
			Default(now).
			UpdateDefault(now).
			Annotations(
				entgql.OrderField("UPDATED_AT"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
	}
}

// now is the clock of the timestamps, in UTC so both dialects store the same value.
func now() time.Time { return time.Now().UTC() }

// AuditMixin records every change to the entity as an AuditEvent in the
// transaction of the change (see ketnap/internal/audit).
type AuditMixin struct {
	mixin.Schema
}

// Hooks of the AuditMixin.
func (AuditMixin) Hooks() []ent.Hook {
	return []ent.Hook{audit.Hook()}
}

// TextMixin stores every text field in Unicode NFC with the surrounding
// space trimmed (see ketnap/internal/text), before any other hook sees it.
type TextMixin struct {
	mixin.Schema
}

// Hooks of the TextMixin.
func (TextMixin) Hooks() []ent.Hook {
	return []ent.Hook{text.Hook()}
}
