package stats

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
)

// ForOrganizations returns the statistics of each of orgs (in order) over
// [from, to], as Organization.stats inside a connection: the organizations
// at one depth form one group, whose figures are one statement each, so a
// page costs the same statements whatever its size. The caller checks the
// scope; plan is what the query asks of each (as New).
func ForOrganizations(ctx context.Context, client *ent.Client, dia string, orgs []*ent.Organization, from, to time.Time, view TreeView, plan *Plan, filters ...Filter) ([]*Stats, error) {
	if dia != dialect.SQLite && dia != dialect.Postgres {
		return nil, fmt.Errorf("statistics: unsupported SQL dialect %q", dia)
	}
	if view == "" {
		view = TreeAsOf
	}
	if !view.IsValid() {
		return nil, apperr.Invalid("tree", "cách tính theo cơ cấu tổ chức không hợp lệ", "unknown tree view")
	}
	if err := validatePeriod(from, to); err != nil {
		return nil, err
	}
	if err := checkFilters(ctx, "filter", filters); err != nil {
		return nil, err
	}
	// The rollups are kept down to a depth (group.rolled): a group's members
	// share their depth, read here (the page's rows may hold only the
	// fields the query selects).
	ids := make([]int, 0, len(orgs))
	for _, o := range orgs {
		ids = append(ids, o.ID)
	}
	var rows []struct {
		ID    int `json:"id"`
		Depth int `json:"depth"`
	}
	if len(ids) > 0 {
		if err := client.Organization.Query().Where(organization.IDIn(ids...)).
			Select(organization.FieldID, organization.FieldDepth).Scan(viewer.SystemContext(ctx), &rows); err != nil {
			return nil, fmt.Errorf("reading the organizations' depths: %w", err)
		}
	}
	depth := make(map[int]int, len(rows))
	for _, r := range rows {
		depth[r.ID] = r.Depth
	}
	byDepth := map[int]*group{}
	member := map[int]bool{}
	out := make([]*Stats, len(orgs))
	for i, o := range orgs {
		d := depth[o.ID]
		g := byDepth[d]
		if g == nil {
			g = newGroup(client, dia, from, to, d, view)
			g.setFilters(filters)
			byDepth[d] = g
		}
		if !member[o.ID] {
			member[o.ID] = true
			g.ids = append(g.ids, o.ID)
		}
		out[i] = &Stats{Organization: o, From: from, To: to, g: g, ctx: ctx}
	}
	for _, g := range byDepth {
		g.prefetch(ctx, plan)
	}
	return out, nil
}
