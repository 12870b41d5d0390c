// Package graph implements ketnap's GraphQL API: the schema generated from
// ent (ent.graphql) and the hand-written parts beside it (*.graphqls).
package graph

import (
	"context"

	"ketnap/ent"
	"ketnap/graph/model"
	"ketnap/internal/auth"
	"ketnap/internal/importer"
	"ketnap/internal/workflow"
)

// Resolver is the root of the resolvers; it holds the dependencies they share.
type Resolver struct {
	Client *ent.Client
	// Dialect is Client's SQL dialect ("sqlite3" or "postgres"), in which
	// the statistics build their statements.
	Dialect string
	// Auth signs users in and manages users and tokens.
	Auth *auth.Service
	// ImportLimits bound an uploaded import file; zero fields take the
	// importer's defaults.
	ImportLimits importer.Limits
}

// client returns the transaction's client when the request runs in one (a
// mutation, through entgql.Transactioner), so that reads see its writes.
func (r *Resolver) client(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.Client
}

// deref returns the value of an optional input, or its zero value.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// introducer converts an introducer input for the workflow.
func introducer(in *model.IntroducerInput) workflow.IntroducerInput {
	if in == nil {
		return workflow.IntroducerInput{}
	}
	return workflow.IntroducerInput{MemberID: in.MemberID, Name: deref(in.Name), CardNo: deref(in.CardNo)}
}
