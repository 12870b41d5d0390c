// Command entc is ketnap's one code-generation entry. `go generate ./...`
// runs its directives below, in this order, each reading what the one
// before wrote:
//
//  1. entc (this program): the ent client in ent/ and graph/ent.graphql,
//     from ent/schema;
//  2. the migration diff: a new versioned migration per dialect in
//     internal/db/migrations when the schema has changed (it replays the
//     existing files, the hand-written ones included, into an empty dev
//     database of each dialect; PostgreSQL from KETNAP_DEV_POSTGRES or a
//     throwaway cluster);
//  3. gqlgen: the GraphQL executor and models in graph/, from gqlgen.yml.
package main

//go:generate go run .
//go:generate go run ketnap/internal/db/gen -dir ../../internal/db/migrations
//go:generate go -C ../.. tool gqlgen generate

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

// paginationTemplate replaces entgql's "gql_pagination" template; the keyset
// logic it calls is ketnap/internal/keyset.
var paginationTemplate = gen.MustParse(gen.NewTemplate("gql_pagination").
	Funcs(entgql.TemplateFuncs).
	ParseFiles("template/pagination.tmpl"))

func main() {
	ex, err := entgql.NewExtension(
		// entgql's templates, but ketnap's own pagination
		// (template/pagination.tmpl): its keyset ignores NULL, and its
		// cursors carry the order values in clear.
		entgql.WithTemplates(
			entgql.CollectionTemplate,
			entgql.EnumTemplate,
			entgql.NodeTemplate,
			paginationTemplate,
			entgql.TransactionTemplate,
			entgql.EdgeTemplate,
			entgql.MutationInputTemplate,
		),
		entgql.WithConfigPath("../../gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("../../graph/ent.graphql"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("../schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeatureVersionedMigration,
			gen.FeatureGlobalID,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
			gen.FeatureUpsert,
			gen.FeatureLock,
			gen.FeatureIntercept,
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
