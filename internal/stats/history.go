package stats

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/annualplan"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/organizationlink"
	"ketnap/internal/tree"
)

// TreeView is which organization tree the statistics count by; it is the
// GraphQL enum TreeView.
type TreeView string

// The views of the tree.
const (
	// TreeAsOf counts a fact in the subtrees its organization belonged to
	// on the fact's date (organization_links).
	TreeAsOf TreeView = "AS_OF"
	// TreeCurrent counts a fact under today's ancestors of its organization
	// (organization_closures; a merged organization sits under its
	// successor).
	TreeCurrent TreeView = "CURRENT"
)

// IsValid reports whether v is a known view.
func (v TreeView) IsValid() bool { return v == TreeAsOf || v == TreeCurrent }

// UnmarshalGQL reads the enum from GraphQL input.
func (v *TreeView) UnmarshalGQL(x any) error {
	return unmarshalEnum(x, v, TreeView.IsValid, "TreeView")
}

// MarshalGQL writes the enum to GraphQL output.
func (v TreeView) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(v))) }

// onDate is the condition that a span of organization_links sc holds on
// the dates of a fact.
type onDate func(sc *sql.SelectTable) *sql.Predicate

// at holds on the date in column col.
func at(col string) onDate {
	return func(sc *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.ColumnsLTE(sc.C(organizationlink.FieldValidFrom), col), sql.ColumnsGT(sc.C(organizationlink.FieldValidTo), col))
	}
}

// atDay holds on day d.
func atDay(d time.Time) onDate {
	return func(sc *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.LTE(sc.C(organizationlink.FieldValidFrom), d), sql.GT(sc.C(organizationlink.FieldValidTo), d))
	}
}

// during holds on some day of [from, to].
func during(from, to time.Time) onDate {
	return func(sc *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.LTE(sc.C(organizationlink.FieldValidFrom), to), sql.GT(sc.C(organizationlink.FieldValidTo), from))
	}
}

// bounded keeps the spans of organization_links l that a change of the
// tree started or ended.
func bounded(l *sql.SelectTable) *sql.Predicate {
	return sql.Or(sql.NEQ(l.C(organizationlink.FieldValidFrom), tree.Always), sql.NEQ(l.C(organizationlink.FieldValidTo), tree.Forever))
}

// prepare tells, once per group and before any figure is built, whether
// the tree's changes reach the group: hist when a member's subtree changed
// (then the AS_OF view counts through organization_links, from the raw
// rows: the rollups and the closure table hold today's tree), planHist when
// the tree changed anywhere inside the members' subtrees (then the plans
// are read from the annual plans with the shadowing of their years instead
// of plan_totals, kept for today's tree). One statement.
func (g *group) prepare(ctx context.Context) error {
	g.prepOnce.Do(func() { g.prepErr = g.queryHistory(ctx) })
	return g.prepErr
}

func (g *group) queryHistory(ctx context.Context) error {
	s := sql.Dialect(g.dialect).Select()
	l1 := table(s, organizationlink.Table).As("l1")
	l2 := table(s, organizationlink.Table).As("l2")
	c2 := table(s, organizationclosure.Table).As("c2")
	narrow := sql.Select(l1.C(organizationlink.FieldID)).From(l1).Where(bounded(l1))
	broad := sql.Select(l2.C(organizationlink.FieldID)).From(l2).Where(bounded(l2))
	if !g.all {
		narrow.Where(g.memberIn(g.dialect, l1.C(organizationlink.FieldOrganizationID)))
		broad.Where(sql.In(l2.C(organizationlink.FieldDescendantID),
			sql.Select(c2.C(organizationclosure.FieldDescendantID)).From(c2).
				Where(g.memberIn(g.dialect, c2.C(organizationclosure.FieldOrganizationID)))))
	}
	s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("CASE WHEN ").Join(sql.Exists(narrow.Limit(1))).WriteString(" THEN 1 ELSE 0 END AS narrow, ")
		b.WriteString("CASE WHEN ").Join(sql.Exists(broad.Limit(1))).WriteString(" THEN 1 ELSE 0 END AS broad")
	}))
	q, args := s.Query()
	rows, err := g.client.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("reading the tree's history: %w", err)
	}
	defer rows.Close()
	var narrowN, broadN num
	for rows.Next() {
		if err := rows.Scan(&narrowN, &broadN); err != nil {
			return fmt.Errorf("reading the tree's history: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the tree's history: %w", err)
	}
	g.planHist = broadN.n == 1
	if g.view == TreeAsOf && narrowN.n == 1 && !g.all {
		g.hist = true
		g.rolled, g.core = false, false
	}
	return nil
}

// queryPlansHist is queryPlans when the tree changed inside the members'
// subtrees: for each year the period touches, the plans of the year in the
// subtree (of the view, on 1 January of the year) that no plan of an
// organization above them in the subtree shadows (their ancestors on that
// day), summed: the organization's own plan, else its children's, as the
// tree stood that year. The years are the parts of one statement.
func (g *group) queryPlansHist(ctx context.Context) (map[int]map[int]planYear, error) {
	out := make(map[int]map[int]planYear, len(g.ids))
	var scope, year, target, members num
	scan := func(r *stdsql.Rows) error {
		if err := r.Scan(&target, &members, &year, &scope); err != nil {
			return err
		}
		if out[scope.n] == nil {
			out[scope.n] = make(map[int]planYear)
		}
		var py planYear
		if !target.null {
			t := int64(target.n)
			py.target = &t
		}
		if !members.null {
			m := int64(members.n)
			py.members = &m
		}
		out[scope.n][year.n] = py
		return nil
	}
	var parts []part
	for y := g.from.Year(); y <= g.to.Year(); y++ {
		day := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		parts = append(parts, func(s *sql.Selector) {
			p := table(s, annualplan.Table).As("p")
			s.From(p)
			// shadowed: a plan of the year (with members, for the members)
			// of an organization above p's on day, in the member's subtree.
			shadowed := func(withMembers bool) *sql.Predicate {
				q := table(s, annualplan.Table).As("q")
				x := table(s, organizationlink.Table).As("x")
				sub := sql.Select(q.C(annualplan.FieldID)).From(q).
					Join(x).On(x.C(organizationlink.FieldOrganizationID), q.C(annualplan.FieldOrganizationID))
				conds := []*sql.Predicate{
					sql.EQ(q.C(annualplan.FieldYear), y),
					sql.ColumnsEQ(x.C(organizationlink.FieldDescendantID), p.C(annualplan.FieldOrganizationID)),
					sql.GT(x.C(organizationlink.FieldDepth), 0),
					atDay(day)(x),
				}
				if withMembers {
					conds = append(conds, sql.NotNull(q.C(annualplan.FieldMembersAtStart)))
				}
				if !g.all {
					var z *sql.SelectTable
					if g.view == TreeAsOf {
						z = table(s, organizationlink.Table).As("z")
						conds = append(conds, atDay(day)(z))
					} else {
						z = table(s, organizationclosure.Table).As("z")
					}
					sub.Join(z).On(z.C(organizationclosure.FieldDescendantID), q.C(annualplan.FieldOrganizationID))
					conds = append(conds, sql.ColumnsEQ(z.C(organizationclosure.FieldOrganizationID), scopeTable(s).C(organizationclosure.FieldOrganizationID)))
				}
				return sql.Exists(sub.Where(sql.And(conds...)))
			}
			tcol, mcol := p.C(annualplan.FieldAdmissionTarget), p.C(annualplan.FieldMembersAtStart)
			s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("SUM(CASE WHEN NOT ").Join(shadowed(false)).WriteString(" THEN " + tcol + " END) AS target, ")
				b.WriteString("SUM(CASE WHEN " + mcol + " IS NOT NULL AND NOT ").Join(shadowed(true)).WriteString(" THEN " + mcol + " END) AS members")
			}))
			s.AppendSelectAs(p.C(annualplan.FieldYear), "year")
			s.Where(sql.EQ(p.C(annualplan.FieldYear), y))
			if g.all {
				s.AppendSelectExprAs(sql.Expr("0"), "scope")
				s.GroupBy(p.C(annualplan.FieldYear))
				return
			}
			if g.view == TreeAsOf {
				g.scopeHist(s, p.C(annualplan.FieldOrganizationID), atDay(day))
			} else {
				g.scopeBy(s, p.C(annualplan.FieldOrganizationID), nil, func(col string) *sql.Predicate { return g.memberIn(s.Dialect(), col) })
			}
			s.GroupBy(p.C(annualplan.FieldYear))
			g.groupScope(s)
		})
	}
	if err := g.run(ctx, scan, parts...); err != nil {
		return nil, fmt.Errorf("reading plans: %w", err)
	}
	return out, nil
}

// scopeHist is scope through organization_links on the dates on keeps,
// whatever the group's own history.
func (g *group) scopeHist(s *sql.Selector, orgCol string, on onDate) {
	sc := table(s, organizationlink.Table).As(scopeAlias)
	s.Join(sc).On(sc.C(organizationlink.FieldDescendantID), orgCol)
	s.Where(sql.And(g.memberIn(s.Dialect(), sc.C(organizationlink.FieldOrganizationID)), on(sc)))
	s.AppendSelectAs(sc.C(organizationlink.FieldOrganizationID), "scope")
}

// childLink is a child of a member in the AS_OF view: an organization that
// was the member's child on some day of the period.
type childLink struct{ parent, child int }

// childrenAsOf returns the children the members had during the period, by
// the tree's history, and the organizations.
func (g *group) childrenAsOf(ctx context.Context) ([]childLink, map[int]*ent.Organization, error) {
	var links []childLink
	err := g.run(ctx, func(r *stdsql.Rows) error {
		var p, c num
		if err := r.Scan(&c, &p); err != nil {
			return err
		}
		links = append(links, childLink{p.n, c.n})
		return nil
	}, func(s *sql.Selector) {
		l := table(s, organizationlink.Table).As("l")
		s.From(l).Select(sql.As(l.C(organizationlink.FieldDescendantID), "child")).Distinct()
		s.AppendSelectAs(l.C(organizationlink.FieldOrganizationID), "parent")
		s.Where(sql.And(sql.InInts(l.C(organizationlink.FieldOrganizationID), g.ids...), sql.EQ(l.C(organizationlink.FieldDepth), 1), during(g.from, g.to)(l)))
	})
	if err != nil {
		return nil, nil, fmt.Errorf("loading child organizations: %w", err)
	}
	ids := make([]int, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.child)
	}
	orgs, err := g.client.Organization.Query().Where(organization.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("loading child organizations: %w", err)
	}
	byID := make(map[int]*ent.Organization, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	return links, byID, nil
}

// childrenAsOf is Children for a group the tree's changes reach in the
// AS_OF view: the children each member had on some day of the period, as
// one new group listed by id.
func (s *Stats) childrenAsOf(ctx context.Context) (map[int][]*Stats, error) {
	links, byID, err := s.g.childrenAsOf(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]*Stats)
	if len(byID) == 0 {
		return out, nil
	}
	sort.Slice(links, func(i, j int) bool {
		a, b := byID[links[i].child], byID[links[j].child]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.ID < b.ID
	})
	depth := 0
	for _, o := range byID {
		depth = o.Depth
		break
	}
	child := newGroup(s.g.client, s.g.dialect, s.g.from, s.g.to, depth, s.g.view)
	child.setFilters(s.g.filters)
	seen := map[int]bool{}
	for _, l := range links {
		o := byID[l.child]
		if !seen[o.ID] {
			seen[o.ID] = true
			child.ids = append(child.ids, o.ID)
		}
		out[l.parent] = append(out[l.parent], &Stats{Organization: o, From: s.From, To: s.To, g: child, ctx: ctx})
	}
	// Members may be at different depths today: no rollups are read for
	// them.
	child.rolled, child.core = false, false
	var plan *Plan
	if s.g.plan != nil {
		plan = s.g.plan.Children
	}
	child.prefetch(ctx, plan)
	return out, nil
}

// wasRoot keeps the organizations at the top of the tree on some day of
// [from, to]: on from, or on the first day after a span under a parent
// that ended in the period, by the tree's history.
func wasRoot(from, to time.Time) func(*sql.Selector) {
	return func(s *sql.Selector) {
		id := s.C(organization.FieldID)
		l1 := sql.Dialect(s.Dialect()).Table(organizationlink.Table).As("r1")
		l2 := sql.Dialect(s.Dialect()).Table(organizationlink.Table).As("r2")
		under := func(l *sql.SelectTable, on func(*sql.SelectTable) *sql.Predicate) *sql.Selector {
			return sql.Select(l.C(organizationlink.FieldID)).From(l).Where(sql.And(
				sql.ColumnsEQ(l.C(organizationlink.FieldDescendantID), id),
				sql.EQ(l.C(organizationlink.FieldDepth), 1),
				on(l),
			))
		}
		endsIn := under(l1, func(l *sql.SelectTable) *sql.Predicate {
			return sql.And(sql.GT(l.C(organizationlink.FieldValidTo), from), sql.LTE(l.C(organizationlink.FieldValidTo), to))
		})
		endsIn.Where(sql.NotExists(under(l2, func(l *sql.SelectTable) *sql.Predicate {
			return sql.And(sql.ColumnsLTE(l.C(organizationlink.FieldValidFrom), l1.C(organizationlink.FieldValidTo)),
				sql.ColumnsGT(l.C(organizationlink.FieldValidTo), l1.C(organizationlink.FieldValidTo)))
		})))
		s.Where(sql.Or(sql.NotExists(under(l2, atDay(from))), sql.Exists(endsIn)))
	}
}
