package rollup

import (
	"context"
	"fmt"
	"sort"

	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/annualplan"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/plantotal"
)

// planTotalsSelect selects the plan totals of some organizations from their
// own plans (own = 1) and their children's totals (own = 0): ownAt filters
// the organizations whose plans count as own, childAt the children whose
// totals roll up to their parent. An own plan shadows the children for the
// target; an own members count shadows them for the members.
func planTotalsSelect(dia string, ownAt, childAt func(o *sql.SelectTable) *sql.Predicate) *sql.Selector {
	b := sql.Dialect(dia)
	p, o := b.Table(annualplan.Table).As("p"), b.Table(organization.Table).As("o")
	own := b.Select().From(p).Join(o).On(o.C(organization.FieldID), p.C(annualplan.FieldOrganizationID))
	own.Select(sql.As(p.C(annualplan.FieldOrganizationID), "org"), sql.As(p.C(annualplan.FieldYear), "yr"),
		sql.As(p.C(annualplan.FieldAdmissionTarget), "target"), sql.As(p.C(annualplan.FieldMembersAtStart), "members"))
	own.AppendSelectExprAs(sql.Expr("1"), "own")
	own.Where(ownAt(o))
	t, co := b.Table(plantotal.Table).As("t"), b.Table(organization.Table).As("co")
	children := b.Select().From(t).Join(co).On(co.C(organization.FieldID), t.C(plantotal.FieldOrganizationID))
	children.Select(co.C(organization.FieldParentID), t.C(plantotal.FieldYear), t.C(plantotal.FieldTarget), t.C(plantotal.FieldMembers))
	children.AppendSelectExprAs(sql.Expr("0"), "own")
	children.Where(sql.And(sql.NotNull(co.C(organization.FieldParentID)), childAt(co)))
	x := own.UnionAll(children).As("x")
	out := b.Select().From(x)
	out.Select(x.C("org"), x.C("yr"))
	out.AppendSelectExprAs(sql.Expr("CASE WHEN MAX(x.own) = 1 THEN SUM(CASE WHEN x.own = 1 THEN x.target END) ELSE SUM(x.target) END"), "target")
	out.AppendSelectExprAs(sql.Expr("CASE WHEN SUM(CASE WHEN x.own = 1 AND x.members IS NOT NULL THEN 1 ELSE 0 END) > 0 "+
		"THEN SUM(CASE WHEN x.own = 1 THEN x.members END) ELSE SUM(x.members) END"), "members")
	out.GroupBy(x.C("org"), x.C("yr"))
	return out
}

// insertPlanTotals inserts the rows sel selects into plan_totals.
func insertPlanTotals(ctx context.Context, c *ent.Client, sel *sql.Selector) error {
	q, args := sel.Query()
	if err := sel.Err(); err != nil {
		return fmt.Errorf("building plan totals: %w", err)
	}
	q = "INSERT INTO " + plantotal.Table + " (" + plantotal.FieldOrganizationID + ", " + plantotal.FieldYear + ", " +
		plantotal.FieldTarget + ", " + plantotal.FieldMembers + ") " + q
	if _, err := c.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("computing plan totals: %w", err)
	}
	return nil
}

// RebuildPlans recomputes plan_totals from the annual plans, one level of
// the tree at a time from the deepest.
func RebuildPlans(ctx context.Context, c *ent.Client) error {
	ctx = internal(ctx)
	if _, err := c.PlanTotal.Delete().Exec(ctx); err != nil {
		return fmt.Errorf("clearing plan totals: %w", err)
	}
	var dia string
	var deepest []struct {
		D sql.NullInt64 `sql:"d"`
	}
	err := c.Organization.Query().Modify(func(s *sql.Selector) {
		dia = s.Dialect()
		s.Select(sql.As(sql.Max(s.C(organization.FieldDepth)), "d"))
	}).Scan(ctx, &deepest)
	if err != nil {
		return fmt.Errorf("finding the tree's depth: %w", err)
	}
	if len(deepest) == 0 || !deepest[0].D.Valid {
		return nil
	}
	for d := int(deepest[0].D.Int64); d >= 0; d-- {
		sel := planTotalsSelect(dia, func(o *sql.SelectTable) *sql.Predicate {
			return sql.EQ(o.C(organization.FieldDepth), d)
		}, func(o *sql.SelectTable) *sql.Predicate {
			return sql.EQ(o.C(organization.FieldDepth), d+1)
		})
		if err := insertPlanTotals(ctx, c, sel); err != nil {
			return err
		}
	}
	return nil
}

// refreshPlans recomputes the plan totals of the organizations ids and of
// all their ancestors, deepest first.
func refreshPlans(ctx context.Context, c *ent.Client, ids []int) error {
	ctx = internal(ctx)
	if len(ids) == 0 {
		return nil
	}
	links, err := c.OrganizationClosure.Query().Where(organizationclosure.DescendantIDIn(ids...)).
		Select(organizationclosure.FieldOrganizationID).Ints(ctx)
	if err != nil {
		return fmt.Errorf("loading ancestors: %w", err)
	}
	return refreshPlansOf(ctx, c, append(links, ids...))
}

// refreshPlansOf recomputes the plan totals of exactly the organizations
// ids, deepest first, each from its own plans and its children's totals.
func refreshPlansOf(ctx context.Context, c *ent.Client, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	var dia string
	var orgs []struct {
		ID    int `sql:"id"`
		Depth int `sql:"depth"`
	}
	err := c.Organization.Query().Where(organization.IDIn(ids...)).Modify(func(s *sql.Selector) {
		dia = s.Dialect()
		s.Select(s.C(organization.FieldID), s.C(organization.FieldDepth))
	}).Scan(ctx, &orgs)
	if err != nil {
		return fmt.Errorf("loading organizations: %w", err)
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].Depth > orgs[j].Depth })
	for _, o := range orgs {
		if _, err := c.PlanTotal.Delete().Where(plantotal.OrganizationID(o.ID)).Exec(ctx); err != nil {
			return fmt.Errorf("clearing plan totals: %w", err)
		}
		sel := planTotalsSelect(dia, func(t *sql.SelectTable) *sql.Predicate {
			return sql.EQ(t.C(organization.FieldID), o.ID)
		}, func(t *sql.SelectTable) *sql.Predicate {
			return sql.EQ(t.C(organization.FieldParentID), o.ID)
		})
		if err := insertPlanTotals(ctx, c, sel); err != nil {
			return err
		}
	}
	return nil
}
