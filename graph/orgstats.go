package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/ent"
	"ketnap/ent/organizationclosure"
	"ketnap/internal/access/viewer"
	"ketnap/internal/stats"
)

// orgStats resolves Organization.stats. gqlgen's batch resolver hands the
// organizations of a plain list ([Organization!]) at once; the node of a
// connection's edge comes alone, so the statistics of every organization
// of its page are computed on the first one's call and shared by the
// others (see page): either way, the same statements whatever the length.
func (r *organizationResolver) orgStats(ctx context.Context, objs []*ent.Organization, from, to time.Time, tree *stats.TreeView, filter []*stats.Filter) ([]*stats.Stats, error) {
	if len(objs) == 1 {
		if list, orgs := pageOf(ctx, objs[0]); list != nil {
			key := pageKey{list: list, field: graphql.GetFieldContext(ctx).Field.Field, args: argsKey(from, to, tree, filter)}
			ps := takePage(key, len(orgs))
			ps.once.Do(func() {
				var all []*stats.Stats
				all, ps.err = r.statsOf(ctx, orgs, from, to, tree, filter)
				ps.byID = make(map[int]*stats.Stats, len(all))
				for i, s := range all {
					ps.byID[orgs[i].ID] = s
				}
			})
			if ps.err != nil {
				return nil, ps.err
			}
			if s := ps.byID[objs[0].ID]; s != nil {
				return []*stats.Stats{s}, nil
			}
		}
	}
	return r.statsOf(ctx, objs, from, to, tree, filter)
}

// pageKey names the statistics of one list of organizations (the field
// context of the list or connection), for one stats field and its
// arguments.
type pageKey struct {
	list  *graphql.FieldContext
	field *ast.Field
	args  string
}

// pageStats is the statistics of a page, computed once.
type pageStats struct {
	once sync.Once
	byID map[int]*stats.Stats
	err  error
	// left counts the siblings still to take it; born is when it was made.
	left int
	born time.Time
}

// pages holds the pages being resolved.
var (
	pagesMu sync.Mutex
	pages   = map[pageKey]*pageStats{}
)

// pageTTL is how long a page's entry may outlive its request when a
// sibling never takes it (its edge failed before): swept on the next page.
const pageTTL = time.Minute

// takePage returns the entry of key, made for n siblings, and forgets it
// when the last one has taken it.
func takePage(key pageKey, n int) *pageStats {
	pagesMu.Lock()
	defer pagesMu.Unlock()
	ps := pages[key]
	if ps == nil {
		now := time.Now()
		for k, p := range pages {
			if now.Sub(p.born) > pageTTL {
				delete(pages, k)
			}
		}
		ps = &pageStats{left: n, born: now}
		pages[key] = ps
	}
	ps.left--
	if ps.left <= 0 {
		delete(pages, key)
	}
	return ps
}

// pageOf returns the field context of the list or connection org was
// resolved in (a few levels above the stats field) and the organizations
// it holds, or nil.
func pageOf(ctx context.Context, org *ent.Organization) (*graphql.FieldContext, []*ent.Organization) {
	fc := graphql.GetFieldContext(ctx)
	for p, n := fc.Parent, 0; p != nil && n < 4; p, n = p.Parent, n+1 {
		var orgs []*ent.Organization
		switch v := p.Result.(type) {
		case []*ent.Organization:
			orgs = v
		case []*ent.OrganizationEdge:
			for _, e := range v {
				if e != nil && e.Node != nil {
					orgs = append(orgs, e.Node)
				}
			}
		case *ent.OrganizationConnection:
			if v != nil {
				for _, e := range v.Edges {
					if e != nil && e.Node != nil {
						orgs = append(orgs, e.Node)
					}
				}
			}
		default:
			continue
		}
		for _, o := range orgs {
			if o.ID == org.ID {
				return p, orgs
			}
		}
		return nil, nil
	}
	return nil, nil
}

// statsOf returns the statistics of each of objs: one scope check, then the
// statistics engine's grouped statements for all of them.
func (r *organizationResolver) statsOf(ctx context.Context, objs []*ent.Organization, from, to time.Time, tree *stats.TreeView, filter []*stats.Filter) ([]*stats.Stats, error) {
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

// argsKey spells the arguments of a stats field, the same for every sibling
// (each has its own parsed copies).
func argsKey(from, to time.Time, tree *stats.TreeView, filter []*stats.Filter) string {
	view := stats.TreeAsOf
	if tree != nil {
		view = *tree
	}
	return fmt.Sprintf("%s %s %s %q", from.Format(time.DateOnly), to.Format(time.DateOnly), view, filters(filter))
}
