package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// OrganizationName holds the names an organization bore, each with the dates
// it was valid: a rename closes the current name and opens the new one.
// Rows are written only by the organization hooks (internal/tree).
type OrganizationName struct {
	ent.Schema
}

// Fields of the OrganizationName.
func (OrganizationName) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("name").
			NotEmpty().
			MaxLen(255),
		field.Time("valid_from").
			SchemaType(dateType).
			Comment("First day the name was borne.").
			Annotations(entgql.Type("Date")),
		field.Time("valid_to").
			SchemaType(dateType).
			Optional().
			Nillable().
			Comment("First day the name was no longer borne; null for the current name.").
			Annotations(entgql.Type("Date")),
	}
}

// Edges of the OrganizationName.
func (OrganizationName) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).
			Ref("names").
			Field("organization_id").
			Unique().
			Required().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the OrganizationName.
func (OrganizationName) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "valid_from"),
	}
}

// Annotations of the OrganizationName.
func (OrganizationName) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
