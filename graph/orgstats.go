package graph

import (
	"context"
	"fmt"
	"time"

	"ketnap/ent"
	"ketnap/ent/organizationclosure"
	"ketnap/internal/access/viewer"
	"ketnap/internal/stats"
)

// orgStats resolves Organization.stats for the organizations of one page
// (gqlgen's batch resolver hands them all at once): one scope check, then
// the statistics engine's grouped statements for all of them.
func (r *organizationResolver) orgStats(ctx context.Context, objs []*ent.Organization, from, to time.Time, tree *stats.TreeView, filter []*stats.Filter) ([]*stats.Stats, error) {
	client := r.client(ctx)
	root, scoped, err := viewer.Root(ctx)
	if err != nil {
		return nil, err
	}
	if scoped && len(objs) > 0 {
		// The engine's SQL reads below the privacy rules: every
		// organization must lie in the viewer's subtree (as Query.stats).
		ids := make([]int, len(objs))
		for i, o := range objs {
			ids[i] = o.ID
		}
		in, err := client.OrganizationClosure.Query().
			Where(organizationclosure.OrganizationID(root), organizationclosure.DescendantIDIn(ids...)).
			Select(organizationclosure.FieldDescendantID).Ints(viewer.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("checking organization scope: %w", err)
		}
		seen := make(map[int]bool, len(in))
		for _, id := range in {
			seen[id] = true
		}
		for _, id := range ids {
			if !seen[id] {
				return nil, viewer.Forbidden("org")
			}
		}
	}
	view := stats.TreeAsOf
	if tree != nil {
		view = *tree
	}
	return stats.ForOrganizations(ctx, client, r.Dialect, objs, from, to, view, statsPlan(ctx), filters(filter)...)
}

// filters dereferences the GraphQL filter list.
func filters(in []*stats.Filter) []stats.Filter {
	out := make([]stats.Filter, 0, len(in))
	for _, f := range in {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}
