package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// User holds the schema definition for a person who signs in to ketnap. The
// role says what they may do, the organization where: an ANALYST or VIEWER
// sees only that organization's subtree; an ADMIN has no organization.
type User struct {
	ent.Schema
}

// usernamePattern keeps usernames to lower-case ASCII so that they compare
// the same in both databases and cannot be confused by look-alike letters.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Mixin of the User.
func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").
			Unique().
			Immutable().
			NotEmpty().
			MaxLen(64).
			Match(usernamePattern).
			Annotations(entgql.OrderField("USERNAME")),
		field.String("password_hash").
			Sensitive().
			NotEmpty().
			Comment("argon2id in PHC string format; never leaves the server.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("role").
			Values("ADMIN", "ANALYST", "VIEWER").
			Annotations(entgql.OrderField("ROLE")),
		field.Int("organization_id").
			Optional().
			Nillable().
			Comment("Root of the subtree an ANALYST or VIEWER may see; null for an ADMIN."),
		field.Bool("disabled").
			Default(false).
			Comment("A disabled user cannot sign in and their tokens are refused."),
		field.Int("failed_logins").
			Default(0).
			NonNegative().
			Comment("Failed sign-ins since the last successful one."),
		field.Time("last_failed_login_at").
			Optional().
			Nillable().
			Comment("When the last failed sign-in was."),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).
			Ref("users").
			Field("organization_id").
			Unique(),
		edge.To("tokens", Token.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
		edge.To("access_logs", AccessLog.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the User.
func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id"),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}
