package stats

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/organizationlink"
	"ketnap/ent/plantotal"
	"ketnap/ent/statrollup"
	"ketnap/ent/trainingclass"
	"ketnap/internal/stats/dim"
	"ketnap/internal/stats/rollup"
)

// scopeAlias is the alias of the closure-table join that maps each row to
// the subtree root (the group member) it counts for.
const scopeAlias = "sc"

// table returns a table in s's dialect. Builders are never shared between
// statements: joining one sets its dialect.
func table(s *sql.Selector, name string) *sql.SelectTable {
	return sql.Dialect(s.Dialect()).Table(name)
}

func scopeTable(s *sql.Selector) *sql.SelectTable {
	return table(s, organizationclosure.Table).As(scopeAlias)
}

func rollupTable(s *sql.Selector) *sql.SelectTable { return table(s, statrollup.Table) }

// part configures one SELECT of a statement; the parts of a statement are
// joined by UNION ALL and select the same columns in the same order, the
// member ("scope") last.
type part func(s *sql.Selector)

// run executes parts as one statement and calls scan on each row, whose
// columns are those the parts select, in their order. Rows are scanned by
// position into typed values: ent's reflection-based ScanSlice cost ~1 µs a
// row, which the children's figures (thousands of rows) felt.
func (g *group) run(ctx context.Context, scan func(r *stdsql.Rows) error, parts ...part) error {
	if len(parts) == 0 {
		return nil
	}
	s := sql.Dialect(g.dialect).Select()
	parts[0](s)
	for _, p := range parts[1:] {
		o := sql.Dialect(g.dialect).Select()
		p(o)
		s.UnionAll(o)
	}
	q, args := s.Query()
	rows, err := g.client.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// num scans an integer column (COUNT, SUM, id) of either database; NULL,
// an empty SUM, is 0 and sets null.
type num struct {
	n    int
	null bool
}

// Scan implements sql.Scanner without reflection.
func (x *num) Scan(v any) error {
	x.n, x.null = 0, false
	switch v := v.(type) {
	case int64:
		x.n = int(v)
	case nil:
		x.null = true
	case []byte:
		return x.parse(string(v))
	case string:
		return x.parse(v)
	case float64:
		x.n = int(v)
	default:
		return fmt.Errorf("scanning %T as an integer", v)
	}
	return nil
}

// parse reads PostgreSQL's numeric (the type of SUM over bigint) as text.
func (x *num) parse(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("scanning %q as an integer: %w", s, err)
	}
	x.n = int(n)
	return nil
}

// memberIn keeps the rows whose column col holds a member of the group, in
// dialect d.
func (g *group) memberIn(d, col string) *sql.Predicate {
	if g.parent == nil {
		return sql.InInts(col, g.ids...)
	}
	return sql.In(col, g.members(d, 1))
}

// members selects the ids of the members of a group of children: the
// organizations whose parent is a member of the parent group (a root for
// the children of the whole forest). Each level has its own alias.
func (g *group) members(d string, level int) *sql.Selector {
	o := sql.Dialect(d).Table(organization.Table).As(fmt.Sprintf("m%d", level))
	s := sql.Dialect(d).Select(o.C(organization.FieldID)).From(o)
	switch p := g.parent; {
	case p.all:
		s.Where(sql.IsNull(o.C(organization.FieldParentID)))
	case p.parent == nil:
		s.Where(sql.InInts(o.C(organization.FieldParentID), p.ids...))
	default:
		s.Where(sql.In(o.C(organization.FieldParentID), p.members(d, level+1)))
	}
	return s
}

// scope restricts s to the group's subtrees, orgCol being the column of s
// that holds the organization a row belongs to, and selects the subtree root
// as "scope". A group over the whole forest needs no join: scope is 0.
func (g *group) scope(s *sql.Selector, orgCol string, on onDate) {
	g.scopeBy(s, orgCol, on, func(col string) *sql.Predicate { return sql.InInts(col, g.ids...) })
}

// scopeDriven is scope for a statement over a large table indexed by
// organization (admissions, candidates): the members of a group of
// children are selected by a subquery (see group.parent), so that
// PostgreSQL walks each member's subtree and its rows by index.
func (g *group) scopeDriven(s *sql.Selector, orgCol string, on onDate) {
	g.scopeBy(s, orgCol, on, func(col string) *sql.Predicate { return g.memberIn(s.Dialect(), col) })
}

// scopeBy joins the rows' organizations (orgCol) to the members whose
// subtree they are in: today's (organization_closures) or, for a group
// the tree's changes reach in the AS_OF view (hist), the subtree of the
// dates on keeps (organization_links).
func (g *group) scopeBy(s *sql.Selector, orgCol string, on onDate, in func(col string) *sql.Predicate) {
	if g.all {
		s.AppendSelectExprAs(sql.Expr("0"), "scope")
		return
	}
	if g.hist && on != nil {
		sc := table(s, organizationlink.Table).As(scopeAlias)
		s.Join(sc).On(sc.C(organizationlink.FieldDescendantID), orgCol)
		s.Where(sql.And(in(sc.C(organizationlink.FieldOrganizationID)), on(sc)))
		s.AppendSelectAs(sc.C(organizationlink.FieldOrganizationID), "scope")
		return
	}
	s.Join(scopeTable(s)).On(scopeTable(s).C(organizationclosure.FieldDescendantID), orgCol)
	s.Where(in(scopeTable(s).C(organizationclosure.FieldOrganizationID)))
	s.AppendSelectAs(scopeTable(s).C(organizationclosure.FieldOrganizationID), "scope")
}

// scopeFromRows is scope for a statement over classes or certificates,
// whose rows a large (rolled-up) subtree holds most of: SQLite is kept from
// driving it from the group's members (organization_id IN …, then the rows
// of each descendant, which it may scan once per descendant), and looks up
// each row's ancestors instead.
func (g *group) scopeFromRows(s *sql.Selector, orgCol string, on onDate) {
	if g.all || !g.rolled || s.Dialect() != dialect.SQLite {
		g.scope(s, orgCol, on)
		return
	}
	// Unary plus: the same value, but no index on it for SQLite.
	g.scopeBy(s, orgCol, on, func(col string) *sql.Predicate { return sql.InInts("+"+col, g.ids...) })
}

// groupScope groups an aggregate by subtree root.
func (g *group) groupScope(s *sql.Selector) {
	if !g.all {
		s.GroupBy(scopeTable(s).C(organizationclosure.FieldOrganizationID))
	}
}

// rollupScope restricts a selector over stat_rollups to the group's members
// (the roots, summed, for the whole forest), the dimension dim and months
// [m1, m2], selecting the member as scope and grouping by it. With years,
// the whole calendar years of [m1, m2] are read from the year rows and only
// the months around them from the month rows.
func (g *group) rollupScope(s *sql.Selector, dim string, m1, m2 int, years bool) {
	g.rollupRows(s, dim, m1, m2, years)
	if !g.all {
		s.GroupBy(rollupTable(s).C(statrollup.FieldOrganizationID))
	}
}

// rollupRows is rollupScope without the grouping: the rows themselves.
func (g *group) rollupRows(s *sql.Selector, dim string, m1, m2 int, years bool) {
	s.From(rollupTable(s))
	org := rollupTable(s).C(statrollup.FieldOrganizationID)
	if g.all {
		o := table(s, organization.Table)
		s.Where(sql.In(org, sql.Select(o.C(organization.FieldID)).From(o).Where(sql.IsNull(o.C(organization.FieldParentID)))))
		s.AppendSelectExprAs(sql.Expr("0"), "scope")
	} else {
		s.Where(sql.InInts(org, g.ids...))
		s.AppendSelectAs(org, "scope")
	}
	s.Where(sql.And(sql.EQ(rollupTable(s).C(statrollup.FieldDim), dim), rollupMonths(rollupTable(s), m1, m2, years)))
}

// rollupMonths keeps the rows of stat_rollups t that sum months [m1, m2]:
// with years, the year rows of its whole calendar years and the month rows
// around them; else its month rows.
func rollupMonths(t *sql.SelectTable, m1, m2 int, years bool) *sql.Predicate {
	span, month := t.C(statrollup.FieldSpan), t.C(statrollup.FieldMonth)
	rows := func(n, lo, hi int) *sql.Predicate {
		return sql.And(sql.EQ(span, n), sql.GTE(month, lo), sql.LTE(month, hi))
	}
	var ranges []*sql.Predicate
	y1, y2 := (m1+11)/12, (m2+1)/12-1
	if years && y1 <= y2 {
		ranges = append(ranges, rows(12, y1*12, y2*12))
		if m1 < y1*12 {
			ranges = append(ranges, rows(1, m1, y1*12-1))
		}
		if (y2+1)*12 <= m2 {
			ranges = append(ranges, rows(1, (y2+1)*12, m2))
		}
	} else {
		ranges = append(ranges, rows(1, m1, m2))
	}
	return sql.Or(ranges...)
}

// between keeps the rows whose date column lies in the period.
func (g *group) between(col string) *sql.Predicate {
	return sql.And(sql.GTE(col, g.from), sql.LTE(col, g.to))
}

// rawDates keeps the admissions the raw part counts: the whole period, or
// for a group with rollup rows (rolled) only the partial months at its edges.
func (g *group) rawDates(col string, rolled bool) *sql.Predicate {
	if !rolled {
		return g.between(col)
	}
	return g.edgeDates(col)
}

// edgeDates keeps the dates in the partial months at the period's edges.
func (g *group) edgeDates(col string) *sql.Predicate {
	ps := make([]*sql.Predicate, len(g.edges))
	for i, e := range g.edges {
		ps[i] = sql.And(sql.GTE(col, e[0]), sql.LTE(col, e[1]))
	}
	return sql.Or(ps...)
}

// admissionParts returns the rollup parts (whole months) and the raw part
// (the rest) of an admissions figure, leaving out the empty ones; rolled
// tells whether the members have rollup rows of the figure's dimensions.
func (g *group) admissionParts(rolled bool, raw part, fromRollup ...part) []part {
	var parts []part
	if rolled && g.m1 <= g.m2 {
		parts = append(parts, fromRollup...)
	}
	if !rolled || len(g.edges) > 0 {
		parts = append(parts, raw)
	}
	return parts
}

// sumIf is SUM(CASE WHEN p THEN value ELSE 0 END).
func sumIf(p *sql.Predicate, value string) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("SUM(CASE WHEN ").Join(p).WriteString(" THEN " + value + " ELSE 0 END)")
	})
}

// summaryRow is a member's admissions and their current outcome.
type summaryRow struct {
	Admitted, Recognized, NotRecognized, LeftOrDisciplined int
	// Probationary are still on probation, LeftRecognized left after
	// their recognition.
	Probationary, LeftRecognized int
}

// querySummary counts the period's admissions of every member and their
// current outcome, in one statement.
func (g *group) querySummary(ctx context.Context) (map[int]summaryRow, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	fromRollup := func(s *sql.Selector) {
		s.Select(sql.As(sql.Sum(rollupTable(s).C(statrollup.FieldN)), "admitted"))
		s.AppendSelectExprAs(sql.Expr("0"), "recognized")
		s.AppendSelectExprAs(sql.Expr("0"), "not_recognized")
		s.AppendSelectExprAs(sql.Expr("0"), "left_or_disciplined")
		s.AppendSelectExprAs(sql.Expr("0"), "probationary")
		s.AppendSelectExprAs(sql.Expr("0"), "left_recognized")
		g.rollupScope(s, rollup.DimAdmitted, g.m1, g.m2, true)
	}
	statuses := func(s *sql.Selector) {
		key, n := rollupTable(s).C(statrollup.FieldKey), rollupTable(s).C(statrollup.FieldN)
		s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString("0 AS admitted") }))
		s.AppendSelectExprAs(sumIf(sql.EQ(key, rollup.KeyFull), n), "recognized")
		s.AppendSelectExprAs(sumIf(sql.EQ(key, rollup.KeyNotRecognized), n), "not_recognized")
		s.AppendSelectExprAs(sumIf(sql.EQ(key, rollup.KeyLeftOrDisciplined), n), "left_or_disciplined")
		s.AppendSelectExprAs(sumIf(sql.EQ(key, rollup.KeyProbationary), n), "probationary")
		s.AppendSelectExprAs(sumIf(sql.EQ(key, rollup.KeyLeftRecognized), n), "left_recognized")
		g.rollupScope(s, rollup.DimStatus, g.m1, g.m2, true)
	}
	raw := func(s *sql.Selector) {
		a := table(s, admission.Table)
		s.From(a)
		d := table(s, disciplinaryaction.Table).As("d")
		disciplined := sql.Exists(sql.Select(d.C(disciplinaryaction.FieldID)).From(d).
			Where(sql.ColumnsEQ(d.C(disciplinaryaction.FieldAdmissionID), a.C(admission.FieldID))))
		status := a.C(admission.FieldStatus)
		s.Select(sql.As(sql.Count("*"), "admitted"))
		s.AppendSelectExprAs(sumIf(sql.EQ(status, admission.StatusFULL.String()), "1"), "recognized")
		s.AppendSelectExprAs(sumIf(sql.EQ(status, admission.StatusNOT_RECOGNIZED.String()), "1"), "not_recognized")
		s.AppendSelectExprAs(sumIf(sql.Or(sql.EQ(status, admission.StatusLEFT.String()), disciplined), "1"), "left_or_disciplined")
		s.AppendSelectExprAs(sumIf(sql.EQ(status, admission.StatusPROBATIONARY.String()), "1"), "probationary")
		s.AppendSelectExprAs(sumIf(sql.And(sql.EQ(status, admission.StatusLEFT.String()), sql.NotNull(a.C(admission.FieldRecognitionDecidedOn))), "1"), "left_recognized")
		s.Where(g.rawDates(a.C(admission.FieldAdmittedOn), g.core))
		g.filterAdmissions(s, a)
		g.scopeDriven(s, a.C(admission.FieldOrganizationID), at(a.C(admission.FieldAdmittedOn)))
		g.groupScope(s)
	}
	parts := g.admissionParts(g.core, raw, fromRollup, statuses)
	out := make(map[int]summaryRow, len(g.ids))
	var admitted, recognized, notRecognized, left, probationary, leftRecognized, scope num
	err := g.run(ctx, func(r *stdsql.Rows) error {
		if err := r.Scan(&admitted, &recognized, &notRecognized, &left, &probationary, &leftRecognized, &scope); err != nil {
			return err
		}
		o := out[scope.n]
		o.Admitted += admitted.n
		o.Recognized += recognized.n
		o.NotRecognized += notRecognized.n
		o.LeftOrDisciplined += left.n
		o.Probationary += probationary.n
		o.LeftRecognized += leftRecognized.n
		out[scope.n] = o
		return nil
	}, parts...)
	if err != nil {
		return nil, fmt.Errorf("counting admissions: %w", err)
	}
	return out, nil
}

// planYear is a subtree's plan for one year; a nil field is unknown.
type planYear struct {
	target, members *int64
}

// queryPlans reads, per member and year the period touches, its subtree's
// plan from plan_totals: the organization's own target, else the sum of its
// children's subtree targets (members_at_start likewise). A group over the
// whole forest sums the roots' totals.
func (g *group) queryPlans(ctx context.Context) (map[int]map[int]planYear, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	if g.planHist {
		return g.queryPlansHist(ctx)
	}
	out := make(map[int]map[int]planYear, len(g.ids))
	var scope, year, target, members num
	scan := func(r *stdsql.Rows) error {
		if err := r.Scan(&scope, &year, &target, &members); err != nil {
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
	err := g.run(ctx, scan, func(s *sql.Selector) {
		s.From(table(s, plantotal.Table))
		org, year := s.C(plantotal.FieldOrganizationID), s.C(plantotal.FieldYear)
		s.Where(sql.And(sql.GTE(year, g.from.Year()), sql.LTE(year, g.to.Year())))
		if g.all {
			o := table(s, organization.Table)
			s.SelectExpr(sql.Expr("0 AS scope"))
			s.AppendSelect(year)
			s.AppendSelectAs(sql.Sum(s.C(plantotal.FieldTarget)), "target")
			s.AppendSelectAs(sql.Sum(s.C(plantotal.FieldMembers)), "members")
			s.Where(sql.In(org, sql.Select(o.C(organization.FieldID)).From(o).Where(sql.IsNull(o.C(organization.FieldParentID)))))
			s.GroupBy(year)
			return
		}
		s.Select(sql.As(org, "scope"), year, sql.As(s.C(plantotal.FieldTarget), "target"), sql.As(s.C(plantotal.FieldMembers), "members"))
		s.Where(sql.InInts(org, g.ids...))
	})
	if err != nil {
		return nil, fmt.Errorf("reading plans: %w", err)
	}
	return out, nil
}

// Metrics of the activity statement.
const (
	metricPipeline = iota + 1
	metricClasses
	metricTrainees
	metricGrassroots
)

// activity holds the counts of one member that are not about admissions.
type activity struct {
	pipeline, classes, trainees, grassroots int
}

// metric selects a metric's number and its count.
func metric(s *sql.Selector, m int, count string) {
	s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString(fmt.Sprintf("%d AS metric", m)) }))
	s.AppendSelectAs(count, "n")
}

// queryActivity counts, for every member, the metrics asked for (nil: all)
// among the pipeline, the awareness classes, the certified trainees and the
// grassroots organizations, in one UNION ALL statement.
func (g *group) queryActivity(ctx context.Context, metrics map[int]bool) (map[int]activity, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	want := func(m int) bool { return metrics == nil || metrics[m] }
	// Pipeline: candidates still before admission, recorded by the end of
	// to; whole months from the rollups when the group has them.
	end := g.to.Add(day)
	var parts []part
	pipeFrom := time.Time{}
	if !want(metricPipeline) {
		pipeFrom = end
	} else if g.rolled {
		last := monthIndex(end) - 1 // the last month that ends by the end of to
		parts = append(parts, func(s *sql.Selector) {
			metric(s, metricPipeline, "SUM("+rollupTable(s).C(statrollup.FieldN)+")")
			g.rollupScope(s, rollup.DimPipeline, 0, last, true)
		})
		pipeFrom = monthStart(last + 1)
	}
	if pipeFrom.Before(end) {
		parts = append(parts, func(s *sql.Selector) {
			t := table(s, candidate.Table)
			s.From(t)
			metric(s, metricPipeline, sql.Count("*"))
			s.Where(sql.And(
				sql.In(t.C(candidate.FieldStatus), candidate.StatusSOURCE.String(), candidate.StatusTRAINED.String(), candidate.StatusAPPLIED.String()),
				sql.GTE(t.C(candidate.FieldCreatedAt), pipeFrom),
				sql.LT(t.C(candidate.FieldCreatedAt), end),
			))
			g.scopeDriven(s, t.C(candidate.FieldOrganizationID), atDay(g.to))
			g.groupScope(s)
		})
	}
	if want(metricClasses) {
		parts = append(parts, func(s *sql.Selector) {
			t := table(s, trainingclass.Table)
			s.From(t)
			metric(s, metricClasses, sql.Count("*"))
			s.Where(sql.And(sql.EQ(t.C(trainingclass.FieldKind), trainingclass.KindAWARENESS.String()), g.between(t.C(trainingclass.FieldStartsOn))))
			g.scopeFromRows(s, t.C(trainingclass.FieldOrganizerID), at(t.C(trainingclass.FieldStartsOn)))
			g.groupScope(s)
		})
	}
	if want(metricTrainees) {
		parts = append(parts, g.traineeParts()...)
	}
	if want(metricGrassroots) {
		parts = append(parts, func(s *sql.Selector) {
			o := table(s, organization.Table)
			s.From(o)
			count := sql.Count("*")
			if g.hist {
				// An organization moved in the period counts once.
				count = sql.Count(sql.Distinct(o.C(organization.FieldID)))
			}
			metric(s, metricGrassroots, count)
			s.Where(g.existing(o))
			g.scope(s, o.C(organization.FieldID), during(g.from, g.to))
			g.groupScope(s)
		})
	}
	out := make(map[int]activity, len(g.ids))
	var m, n, scope num
	err := g.run(ctx, func(r *stdsql.Rows) error {
		if err := r.Scan(&m, &n, &scope); err != nil {
			return err
		}
		a := out[scope.n]
		switch m.n {
		case metricPipeline:
			a.pipeline += n.n
		case metricClasses:
			a.classes += n.n
		case metricTrainees:
			a.trainees += n.n
		case metricGrassroots:
			a.grassroots += n.n
		}
		out[scope.n] = a
		return nil
	}, parts...)
	if err != nil {
		return nil, fmt.Errorf("counting classes and candidates: %w", err)
	}
	return out, nil
}

// certificates sets s to read the certificates of trainees on the dates p
// keeps, returning the enrollment and class tables: passed
// certificates of awareness classes (the new-member course, which
// admitted members attend, does not count).
func (g *group) certificates(s *sql.Selector, p func(col string) *sql.Predicate) (e, tc *sql.SelectTable) {
	e, tc = table(s, enrollment.Table), table(s, trainingclass.Table)
	s.From(e).Join(tc).On(tc.C(trainingclass.FieldID), e.C(enrollment.FieldTrainingClassID))
	on := e.C(enrollment.FieldCertificateOn)
	if !g.rolled && !g.all && s.Dialect() == dialect.SQLite {
		// A small subtree organizes few classes: SQLite is kept from
		// scanning every certificate of a short period by date (33 ms
		// for a year at M) and reads the classes of the subtree instead.
		on = "+" + on
	}
	s.Where(sql.And(
		sql.EQ(e.C(enrollment.FieldPassed), true),
		sql.EQ(tc.C(trainingclass.FieldKind), trainingclass.KindAWARENESS.String()),
		p(on),
	))
	return e, tc
}

// traineeParts counts the distinct candidates certified in the period.
// Without rollups, one COUNT(DISTINCT) over the certificates. With them:
// the candidates with a single certificate in all, of the whole months,
// summed from the TRAINED rows; plus the distinct candidates among the
// REPEAT rows of the whole months (those with several certificates) and
// the certificates of the partial months at the edges. A candidate counts
// in one part only: the first if its only certificate lies in a whole
// month, else the second, where COUNT(DISTINCT) counts it once.
func (g *group) traineeParts() []part {
	if !g.core || g.m1 > g.m2 {
		return []part{func(s *sql.Selector) {
			e, tc := g.certificates(s, g.between)
			metric(s, metricTrainees, sql.Count(sql.Distinct(e.C(enrollment.FieldCandidateID))))
			g.scopeFromRows(s, tc.C(trainingclass.FieldOrganizerID), at(e.C(enrollment.FieldCertificateOn)))
			g.groupScope(s)
		}}
	}
	single := func(s *sql.Selector) {
		metric(s, metricTrainees, "SUM("+rollupTable(s).C(statrollup.FieldN)+")")
		g.rollupScope(s, rollup.DimTrained, g.m1, g.m2, true)
	}
	several := func(s *sql.Selector) {
		r := sql.Dialect(s.Dialect()).Select()
		key := rollupTable(r).C(statrollup.FieldKey)
		r.Select(sql.As(key, "cand"))
		g.rollupRows(r, rollup.DimRepeat, g.m1, g.m2, true)
		r.Where(sql.GT(rollupTable(r).C(statrollup.FieldN), 0))
		if len(g.edges) > 0 {
			raw := sql.Dialect(s.Dialect()).Select()
			e, tc := g.certificates(raw, g.edgeDates)
			raw.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString(rollup.CandidateKey(e.C(enrollment.FieldCandidateID)) + " AS cand")
			}))
			g.scopeFromRows(raw, tc.C(trainingclass.FieldOrganizerID), at(e.C(enrollment.FieldCertificateOn)))
			r.UnionAll(raw)
		}
		t := r.As("t")
		s.From(t)
		metric(s, metricTrainees, sql.Count(sql.Distinct(t.C("cand"))))
		if g.all {
			s.AppendSelectExprAs(sql.Expr("0"), "scope")
		} else {
			s.AppendSelectAs(t.C("scope"), "scope")
			s.GroupBy(t.C("scope"))
		}
	}
	return []part{single, several}
}

// existing keeps the grassroots organizations of table o that existed at
// some time in the period (founded by its end, not dissolved before it).
func (g *group) existing(o *sql.SelectTable) *sql.Predicate {
	return sql.And(
		sql.In(o.C(organization.FieldKind), organization.KindGRASSROOTS_COMMITTEE.String(), organization.KindGRASSROOTS_BRANCH.String()),
		sql.LTE(o.C(organization.FieldFoundedOn), g.to),
		sql.Or(sql.IsNull(o.C(organization.FieldDissolvedOn)), sql.GTE(o.C(organization.FieldDissolvedOn), g.from)),
	)
}

// queryMonthly counts admissions per member and calendar month (monthIndex).
// With years, a whole calendar year's count is all at its first month: enough
// for a series by year, from twelve times fewer rows.
func (g *group) queryMonthly(ctx context.Context, years bool) (map[int]map[int]int, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	fromRollup := func(s *sql.Selector) {
		s.Select(sql.As(rollupTable(s).C(statrollup.FieldMonth), "m"), sql.As(sql.Sum(rollupTable(s).C(statrollup.FieldN)), "n"))
		g.rollupScope(s, rollup.DimAdmitted, g.m1, g.m2, years)
		s.GroupBy(rollupTable(s).C(statrollup.FieldMonth))
	}
	raw := func(s *sql.Selector) {
		a := table(s, admission.Table)
		s.From(a)
		s.Select(sql.As(rollup.MonthExpr(s.Dialect(), a.C(admission.FieldAdmittedOn)), "m"), sql.As(sql.Count("*"), "n"))
		s.Where(g.rawDates(a.C(admission.FieldAdmittedOn), g.core))
		g.filterAdmissions(s, a)
		g.scopeDriven(s, a.C(admission.FieldOrganizationID), at(a.C(admission.FieldAdmittedOn)))
		g.groupScope(s)
		s.GroupBy("m")
	}
	out := make(map[int]map[int]int, len(g.ids))
	var m, n, scope num
	err := g.run(ctx, func(r *stdsql.Rows) error {
		if err := r.Scan(&m, &n, &scope); err != nil {
			return err
		}
		addTo(out, scope.n, m.n, n.n)
		return nil
	}, g.admissionParts(g.core, raw, fromRollup)...)
	if err != nil {
		return nil, fmt.Errorf("counting admissions by month: %w", err)
	}
	return out, nil
}

// addTo adds n to out[scope][k].
func addTo[K comparable](out map[int]map[K]int, scope int, k K, n int) {
	m := out[scope]
	if m == nil {
		m = make(map[K]int)
		out[scope] = m
	}
	m[k] += n
}

// queryBreakdown counts the period's admissions per member and key of by.
func (g *group) queryBreakdown(ctx context.Context, by dim.Dimension) (map[int]map[string]int, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	def := dim.Lookup(by)
	fromRollup := func(s *sql.Selector) {
		s.Select(sql.As(rollupTable(s).C(statrollup.FieldKey), "k"), sql.As(sql.Sum(rollupTable(s).C(statrollup.FieldN)), "n"))
		g.rollupScope(s, string(by), g.m1, g.m2, true)
		s.GroupBy(rollupTable(s).C(statrollup.FieldKey))
	}
	raw := func(s *sql.Selector) {
		a := table(s, admission.Table)
		ca := table(s, candidate.Table).As("ca")
		o := table(s, organization.Table).As("o")
		s.From(a)
		if def.NeedsCandidate {
			s.Join(ca).On(ca.C(candidate.FieldID), a.C(admission.FieldCandidateID))
		} else {
			s.Join(o).On(o.C(organization.FieldID), a.C(admission.FieldOrganizationID))
		}
		s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString(def.SQL(s.Dialect(), dim.Tables{Admission: a, Candidate: ca, Organization: o})).WriteString(" AS k")
		}))
		s.AppendSelectAs(sql.Count("*"), "n")
		s.Where(g.rawDates(a.C(admission.FieldAdmittedOn), g.rolled))
		g.filterAdmissions(s, a)
		g.scopeDriven(s, a.C(admission.FieldOrganizationID), at(a.C(admission.FieldAdmittedOn)))
		g.groupScope(s)
		s.GroupBy("k")
	}
	out := make(map[int]map[string]int, len(g.ids))
	var key string
	var n, scope num
	err := g.run(ctx, func(r *stdsql.Rows) error {
		if err := r.Scan(&key, &n, &scope); err != nil {
			return err
		}
		addTo(out, scope.n, key, n.n)
		return nil
	}, g.admissionParts(g.rolled, raw, fromRollup)...)
	if err != nil {
		return nil, fmt.Errorf("breaking admissions down by %s: %w", by, err)
	}
	return out, nil
}

// queryWithout returns, per member, the ids of the grassroots organizations
// of its subtree whose own subtree admitted nobody in the period, ordered
// by code.
func (g *group) queryWithout(ctx context.Context) (map[int][]int, error) {
	if err := g.prepare(ctx); err != nil {
		return nil, err
	}
	out := make(map[int][]int)
	var id, scope num
	var code string
	scan := func(r *stdsql.Rows) error {
		if err := r.Scan(&id, &code, &scope); err != nil {
			return err
		}
		out[scope.n] = append(out[scope.n], id.n)
		return nil
	}
	// inner: the organizations' own subtrees changed in the AS_OF view, so
	// their admissions are found through the tree's history, not the rollups.
	inner := g.view == TreeAsOf && (g.hist || g.planHist)
	err := g.run(ctx, scan, func(s *sql.Selector) {
		s.From(table(s, organization.Table))
		// admitted tells whether the subtree of the row's organization
		// admitted someone on the dates p keeps.
		admitted := func(p func(col string) *sql.Predicate) *sql.Predicate {
			a := table(s, admission.Table).As("a")
			if inner {
				c2 := table(s, organizationlink.Table).As("c2")
				return sql.Exists(sql.Select(a.C(admission.FieldID)).From(a).
					Join(c2).On(c2.C(organizationlink.FieldDescendantID), a.C(admission.FieldOrganizationID)).
					Where(sql.And(
						sql.ColumnsEQ(c2.C(organizationlink.FieldOrganizationID), s.C(organization.FieldID)),
						at(a.C(admission.FieldAdmittedOn))(c2),
						p(a.C(admission.FieldAdmittedOn)),
					)))
			}
			c2 := table(s, organizationclosure.Table).As("c2")
			return sql.Exists(sql.Select(a.C(admission.FieldID)).From(a).
				Join(c2).On(c2.C(organizationclosure.FieldDescendantID), a.C(admission.FieldOrganizationID)).
				Where(sql.And(
					sql.ColumnsEQ(c2.C(organizationclosure.FieldOrganizationID), s.C(organization.FieldID)),
					p(a.C(admission.FieldAdmittedOn)),
				)))
		}
		// A rolled-up organization's whole months come from its rollup
		// rows, the partial months at the edges from the admissions.
		rolled := sql.LTE(s.C(organization.FieldDepth), rollup.MaxDepth)
		if inner {
			rolled = sql.False()
		}
		found := []*sql.Predicate{sql.And(sql.Not(rolled), admitted(g.between))}
		if g.m1 <= g.m2 && !inner {
			r := table(s, statrollup.Table).As("r")
			found = append(found, sql.And(rolled, sql.Exists(sql.Select(r.C(statrollup.FieldID)).From(r).Where(sql.And(
				sql.ColumnsEQ(r.C(statrollup.FieldOrganizationID), s.C(organization.FieldID)),
				sql.EQ(r.C(statrollup.FieldDim), rollup.DimAdmitted),
				rollupMonths(r, g.m1, g.m2, true),
				sql.GT(r.C(statrollup.FieldN), 0),
			)))))
		}
		if len(g.edges) > 0 && !inner {
			found = append(found, sql.And(rolled, admitted(g.edgeDates)))
		}
		s.Select(sql.As(s.C(organization.FieldID), "id"), s.C(organization.FieldCode))
		if g.hist {
			// An organization moved in the period is listed once.
			s.Distinct()
		}
		s.Where(sql.And(g.existing(s.Table()), sql.Not(sql.Or(found...))))
		g.scope(s, s.C(organization.FieldID), during(g.from, g.to))
		s.OrderBy(s.C(organization.FieldCode), s.C(organization.FieldID))
	})
	if err != nil {
		return nil, fmt.Errorf("finding organizations without admissions: %w", err)
	}
	return out, nil
}
