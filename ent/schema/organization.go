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

// Organization holds the schema definition for a party organization (tổ chức đảng),
// a node of the organization tree.
type Organization struct {
	ent.Schema
}

// Mixin of the Organization.
func (Organization) Mixin() []ent.Mixin {
	return []ent.Mixin{TextMixin{}, TimeMixin{}, AuditMixin{}}
}

// Fields of the Organization.
func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			Unique().
			NotEmpty().
			MaxLen(64).
			Annotations(entgql.OrderField("CODE")),
		field.String("name").
			NotEmpty().
			MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").
			Values("BLOC", "GRASSROOTS_COMMITTEE", "GRASSROOTS_BRANCH", "SUB_COMMITTEE", "BRANCH").
			Annotations(entgql.OrderField("KIND")),
		field.Enum("sector").
			Values("PARTY_AGENCY", "STATE_AGENCY", "PUBLIC_SERVICE", "STATE_ENTERPRISE",
				"NON_STATE_ENTERPRISE", "ARMED_FORCES", "COMMUNE", "OTHER").
			Annotations(entgql.OrderField("SECTOR")),
		field.Int("parent_id").
			Optional().
			Nillable(),
		field.Int("depth").
			NonNegative().
			Default(0).
			Comment("Distance from the root of the tree; maintained by the closure hook.").
			Annotations(
				entgql.OrderField("DEPTH"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Time("founded_on").
			SchemaType(dateType).
			Annotations(entgql.Type("Date"), entgql.OrderField("FOUNDED_ON")),
		field.Time("dissolved_on").
			SchemaType(dateType).
			Optional().
			Nillable().
			Annotations(entgql.Type("Date")),
		field.Int("merged_into_id").
			Optional().
			Nillable().
			Comment("The successor this organization was merged into; set by mergeOrganizations only.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Int("predecessor_id").
			Optional().
			Nillable().
			Comment("The organization this one was split from; set by splitOrganization only.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Organization.
func (Organization) Edges() []ent.Edge {
	return []ent.Edge{
		// Children change only through their own parentID, which the closure
		// hook maintains; childIDs inputs would bypass it (and the scope).
		edge.To("children", Organization.Type).
			Annotations(
				entsql.OnDelete(entsql.Restrict),
				entgql.RelayConnection(),
				entgql.OrderField("CHILDREN_COUNT"),
				// Children move by setting their parentID, which the closure
				// hook follows; adding them from the parent side would not.
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			).
			From("parent").
			Field("parent_id").
			Unique(),
		// merged_into links a merged organization to its successor, so that
		// history can be followed after the tree changes.
		edge.To("merged_from", Organization.Type).
			Annotations(
				entsql.OnDelete(entsql.Restrict),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			).
			From("merged_into").
			Field("merged_into_id").
			Unique().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		// split_into links the parts of a split to the organization they
		// were split from.
		edge.To("split_into", Organization.Type).
			Annotations(
				entsql.OnDelete(entsql.Restrict),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			).
			From("predecessor").
			Field("predecessor_id").
			Unique().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		// names are the names the organization bore, with their dates.
		edge.To("names", OrganizationName.Type).
			Annotations(
				entsql.OnDelete(entsql.Cascade),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		// descendants is the closure table: every (ancestor, descendant) pair
		// with its distance, including each organization with itself at 0.
		// Rows are written by the closure hook only, never through this edge.
		edge.To("descendants", Organization.Type).
			Through("descendant_links", OrganizationClosure.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("candidates", Candidate.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("admissions", Admission.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("training_classes", TrainingClass.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("annual_plans", AnnualPlan.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		// users are the accounts scoped to this organization's subtree.
		edge.To("users", User.Type).
			Annotations(entsql.OnDelete(entsql.Restrict), entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Organization.
func (Organization) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("parent_id"),
		index.Fields("kind"),
	}
}

// Annotations of the Organization.
func (Organization) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
