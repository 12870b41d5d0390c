package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Token holds the schema definition for a bearer token: a sign-in session or
// a named API token for scripts. Only the SHA-256 of the token is stored, so
// a leaked database does not let anyone sign in.
type Token struct {
	ent.Schema
}

// Mixin of the Token.
func (Token) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Token.
func (Token) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").
			Unique().
			Immutable().
			Sensitive().
			NotEmpty().
			MaxLen(64).
			Comment("Hex SHA-256 of the token's 32 random bytes."),
		field.Int("user_id").
			Immutable(),
		field.Enum("kind").
			Values("SESSION", "API").
			Immutable(),
		field.String("name").
			MaxLen(100).
			Optional().
			Comment("What an API token is for; empty for sessions."),
		field.Time("expires_at").
			Immutable(),
		field.Time("revoked_at").
			Optional().
			Nillable(),
		field.Time("last_used_at").
			Optional().
			Nillable().
			Comment("Updated at most once a minute, to keep reads cheap."),
	}
}

// Edges of the Token.
func (Token) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).
			Ref("tokens").
			Field("user_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the Token.
func (Token) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "kind"),
	}
}

// Annotations of the Token.
func (Token) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
