package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/internal/stats"
	"ketnap/internal/stats/dim"
)

// statsPlan tells the statistics engine what the `stats` field being
// resolved asks for, at every level of its children, so that each level's
// statements start together (the engine reads nothing of gqlgen's).
func statsPlan(ctx context.Context) *stats.Plan {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	return planOf(graphql.GetOperationContext(ctx), fc.Field.Selections, nil)
}

// planOf adds to p (a new plan when nil) what the selection set of a Stats
// asks for, and returns it.
func planOf(oc *graphql.OperationContext, set ast.SelectionSet, p *stats.Plan) *stats.Plan {
	if p == nil {
		p = &stats.Plan{Fields: map[string]bool{}}
	}
	for _, f := range graphql.CollectFields(oc, set, []string{"Stats"}) {
		p.Fields[f.Name] = true
		switch f.Name {
		case "series":
			if g, ok := f.ArgumentMap(oc.Variables)["granularity"].(string); ok {
				p.Series = append(p.Series, stats.Granularity(g))
			}
		case "breakdown":
			if by, ok := f.ArgumentMap(oc.Variables)["by"].(string); ok {
				p.Breakdowns = append(p.Breakdowns, dim.Dimension(by))
			}
		case "children":
			p.Children = planOf(oc, f.Selections, p.Children)
		}
	}
	return p
}
