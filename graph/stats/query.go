package stats

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"ketnap/ent/admission"
	"ketnap/ent/annualplan"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/trainingclass"
)

// scopeAlias is the alias of the closure-table join that maps each row to
// the subtree root (the group member) it counts for.
const scopeAlias = "sc"

var scopeTable = sql.Table(organizationclosure.Table).As(scopeAlias)

// scope restricts s to the group's subtrees, orgCol being the column of s
// that holds the organization a row belongs to, and selects the subtree root
// as "scope". A group over the whole forest needs no join: scope is 0.
func (g *group) scope(s *sql.Selector, orgCol string) {
	if g.all {
		s.AppendSelectExprAs(sql.Expr("0"), "scope")
		return
	}
	s.Join(scopeTable).On(scopeTable.C(organizationclosure.FieldDescendantID), orgCol)
	s.Where(sql.InInts(scopeTable.C(organizationclosure.FieldOrganizationID), g.ids...))
	s.AppendSelectAs(scopeTable.C(organizationclosure.FieldOrganizationID), "scope")
}

// groupScope groups an aggregate by subtree root.
func (g *group) groupScope(s *sql.Selector) {
	if !g.all {
		s.GroupBy(scopeTable.C(organizationclosure.FieldOrganizationID))
	}
}

// between keeps the rows whose date column lies in the period.
func (g *group) between(col string) *sql.Predicate {
	return sql.And(sql.GTE(col, g.from), sql.LTE(col, g.to))
}

// sumIf is SUM(CASE WHEN p THEN value END); value "1" with elseZero counts.
func sumIf(p *sql.Predicate, value string, elseZero bool) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("SUM(CASE WHEN ").Join(p).WriteString(" THEN " + value)
		if elseZero {
			b.WriteString(" ELSE 0")
		}
		b.WriteString(" END)")
	})
}

// Dialect-specific date parts. Dates are DATE on PostgreSQL and ISO text
// ("2006-01-02 15:04:05+00:00") on SQLite; these expressions read only
// column names, never values.
func yearOf(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(YEAR FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 1, 4) AS INTEGER)"
}

func monthOf(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(MONTH FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 6, 2) AS INTEGER)"
}

// monthDay is month*100 + day, to compare anniversaries.
func monthDay(dia, col string) string {
	if dia == dialect.Postgres {
		return "CAST(EXTRACT(MONTH FROM " + col + ") * 100 + EXTRACT(DAY FROM " + col + ") AS INTEGER)"
	}
	return "(CAST(substr(" + col + ", 6, 2) AS INTEGER) * 100 + CAST(substr(" + col + ", 9, 2) AS INTEGER))"
}

// monthIndexOf is year*12 + month - 1 of a date column.
func monthIndexOf(dia, col string) string {
	return "(" + yearOf(dia, col) + " * 12 + " + monthOf(dia, col) + " - 1)"
}

// ageOf is the age in whole years on date of someone born on birth.
func ageOf(dia, date, birth string) string {
	return "(" + yearOf(dia, date) + " - " + yearOf(dia, birth) +
		" - CASE WHEN " + monthDay(dia, date) + " < " + monthDay(dia, birth) + " THEN 1 ELSE 0 END)"
}

type summaryRow struct {
	Scope             int `sql:"scope"`
	Admitted          int `sql:"admitted"`
	Recognized        int `sql:"recognized"`
	NotRecognized     int `sql:"not_recognized"`
	LeftOrDisciplined int `sql:"left_or_disciplined"`
}

// querySummary counts the period's admissions of every member and their
// current status, in one statement.
func (g *group) querySummary(ctx context.Context) (map[int]summaryRow, error) {
	var rows []summaryRow
	err := g.client.Admission.Query().Modify(func(s *sql.Selector) {
		d := sql.Table(disciplinaryaction.Table).As("d")
		disciplined := sql.Exists(sql.Select(d.C(disciplinaryaction.FieldID)).From(d).
			Where(sql.ColumnsEQ(d.C(disciplinaryaction.FieldAdmissionID), s.C(admission.FieldID))))
		status := s.C(admission.FieldStatus)
		s.Select(sql.As(sql.Count("*"), "admitted"))
		s.AppendSelectExprAs(sumIf(sql.EQ(status, admission.StatusFULL.String()), "1", true), "recognized")
		s.AppendSelectExprAs(sumIf(sql.EQ(status, admission.StatusNOT_RECOGNIZED.String()), "1", true), "not_recognized")
		s.AppendSelectExprAs(sumIf(sql.Or(sql.EQ(status, admission.StatusLEFT.String()), disciplined), "1", true), "left_or_disciplined")
		s.Where(g.between(s.C(admission.FieldAdmittedOn)))
		g.scope(s, s.C(admission.FieldOrganizationID))
		g.groupScope(s)
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("counting admissions: %w", err)
	}
	out := make(map[int]summaryRow, len(rows))
	for _, r := range rows {
		out[r.Scope] = r
	}
	return out, nil
}

// planYear is a subtree's plan for one year; a nil field is unknown.
type planYear struct {
	target, members *int64
}

type planRow struct {
	Scope   int           `sql:"scope"`
	Year    int           `sql:"year"`
	Target  sql.NullInt64 `sql:"target"`
	Members sql.NullInt64 `sql:"members"`
}

// queryPlans sums, per member and year the period touches, the topmost
// plans of its subtree: a plan counts unless an organization between it
// and the member (the member included) has its own plan for that year. This
// is "the organization's own target, else the sum of its children's subtree
// targets", unrolled. members_at_start follows the same rule among the plans
// that record it, for from's year only.
func (g *group) queryPlans(ctx context.Context) (map[int]map[int]planYear, error) {
	var rows []planRow
	err := g.client.AnnualPlan.Query().Modify(func(s *sql.Selector) {
		p2 := sql.Table(annualplan.Table).As("p2")
		c2 := sql.Table(organizationclosure.Table).As("c2")
		shadowed := func(extra ...*sql.Predicate) *sql.Predicate {
			conds := append([]*sql.Predicate{
				sql.ColumnsEQ(c2.C(organizationclosure.FieldDescendantID), s.C(annualplan.FieldOrganizationID)),
				sql.GT(c2.C(organizationclosure.FieldDepth), 0),
				sql.ColumnsEQ(p2.C(annualplan.FieldYear), s.C(annualplan.FieldYear)),
			}, extra...)
			if !g.all {
				conds = append(conds, sql.ColumnsLTE(c2.C(organizationclosure.FieldDepth), scopeTable.C(organizationclosure.FieldDepth)))
			}
			return sql.Exists(sql.Select(p2.C(annualplan.FieldID)).From(p2).
				Join(c2).On(c2.C(organizationclosure.FieldOrganizationID), p2.C(annualplan.FieldOrganizationID)).
				Where(sql.And(conds...)))
		}
		year, members := s.C(annualplan.FieldYear), s.C(annualplan.FieldMembersAtStart)
		s.Select(year)
		s.AppendSelectExprAs(sumIf(sql.Not(shadowed()), s.C(annualplan.FieldAdmissionTarget), false), "target")
		s.AppendSelectExprAs(sumIf(sql.And(
			sql.EQ(year, g.from.Year()),
			sql.NotNull(members),
			sql.Not(shadowed(sql.NotNull(p2.C(annualplan.FieldMembersAtStart)))),
		), members, false), "members")
		s.Where(sql.And(sql.GTE(year, g.from.Year()), sql.LTE(year, g.to.Year())))
		g.scope(s, s.C(annualplan.FieldOrganizationID))
		g.groupScope(s)
		s.GroupBy(year)
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("summing plans: %w", err)
	}
	out := make(map[int]map[int]planYear)
	for _, r := range rows {
		if out[r.Scope] == nil {
			out[r.Scope] = make(map[int]planYear)
		}
		var py planYear
		if r.Target.Valid {
			py.target = &r.Target.Int64
		}
		if r.Members.Valid {
			py.members = &r.Members.Int64
		}
		out[r.Scope][r.Year] = py
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

type activityRow struct {
	Metric int `sql:"metric"`
	N      int `sql:"n"`
	Scope  int `sql:"scope"`
}

// activity holds the counts of one member that are not about admissions.
type activity struct {
	pipeline, classes, trainees, grassroots int
}

// queryActivity counts, for every member, the pipeline, the awareness
// classes, the certified trainees and the grassroots organizations, in one
// UNION ALL statement.
func (g *group) queryActivity(ctx context.Context) (map[int]activity, error) {
	var rows []activityRow
	err := g.client.Candidate.Query().Modify(func(s *sql.Selector) {
		dia := s.Dialect()
		metric := func(s *sql.Selector, m int, count string) {
			s.SelectExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString(fmt.Sprintf("%d AS metric", m)) }))
			s.AppendSelectAs(count, "n")
		}
		// Pipeline: candidates still before admission, recorded by the end of to.
		metric(s, metricPipeline, sql.Count("*"))
		s.Where(sql.And(
			sql.In(s.C(candidate.FieldStatus), candidate.StatusSOURCE.String(), candidate.StatusTRAINED.String(), candidate.StatusAPPLIED.String()),
			sql.LT(s.C(candidate.FieldCreatedAt), g.to.Add(day)),
		))
		g.scope(s, s.C(candidate.FieldOrganizationID))
		g.groupScope(s)

		t := sql.Table(trainingclass.Table)
		classes := sql.Dialect(dia).Select().From(t)
		metric(classes, metricClasses, sql.Count("*"))
		classes.Where(sql.And(sql.EQ(t.C(trainingclass.FieldKind), trainingclass.KindAWARENESS.String()), g.between(t.C(trainingclass.FieldStartsOn))))
		g.scope(classes, t.C(trainingclass.FieldOrganizerID))
		g.groupScope(classes)

		e, tc := sql.Table(enrollment.Table), sql.Table(trainingclass.Table)
		trainees := sql.Dialect(dia).Select().From(e).Join(tc).On(tc.C(trainingclass.FieldID), e.C(enrollment.FieldTrainingClassID))
		metric(trainees, metricTrainees, sql.Count(sql.Distinct(e.C(enrollment.FieldCandidateID))))
		trainees.Where(sql.And(sql.EQ(e.C(enrollment.FieldPassed), true), g.between(e.C(enrollment.FieldCertificateOn))))
		g.scope(trainees, tc.C(trainingclass.FieldOrganizerID))
		g.groupScope(trainees)

		o := sql.Table(organization.Table)
		grassroots := sql.Dialect(dia).Select().From(o)
		metric(grassroots, metricGrassroots, sql.Count("*"))
		grassroots.Where(g.existing(o))
		g.scope(grassroots, o.C(organization.FieldID))
		g.groupScope(grassroots)

		s.UnionAll(classes).UnionAll(trainees).UnionAll(grassroots)
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("counting classes and candidates: %w", err)
	}
	out := make(map[int]activity)
	for _, r := range rows {
		a := out[r.Scope]
		switch r.Metric {
		case metricPipeline:
			a.pipeline = r.N
		case metricClasses:
			a.classes = r.N
		case metricTrainees:
			a.trainees = r.N
		case metricGrassroots:
			a.grassroots = r.N
		}
		out[r.Scope] = a
	}
	return out, nil
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

type countRow struct {
	Scope int    `sql:"scope"`
	Key   string `sql:"k"`
	N     int    `sql:"n"`
}

// queryMonthly counts admissions per member and calendar month (monthIndex).
func (g *group) queryMonthly(ctx context.Context) (map[int]map[int]int, error) {
	var rows []struct {
		Scope int `sql:"scope"`
		Month int `sql:"m"`
		N     int `sql:"n"`
	}
	err := g.client.Admission.Query().Modify(func(s *sql.Selector) {
		s.Select(sql.As(monthIndexOf(s.Dialect(), s.C(admission.FieldAdmittedOn)), "m"), sql.As(sql.Count("*"), "n"))
		s.Where(g.between(s.C(admission.FieldAdmittedOn)))
		g.scope(s, s.C(admission.FieldOrganizationID))
		g.groupScope(s)
		s.GroupBy("m")
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("counting admissions by month: %w", err)
	}
	out := make(map[int]map[int]int)
	for _, r := range rows {
		if out[r.Scope] == nil {
			out[r.Scope] = make(map[int]int)
		}
		out[r.Scope][r.Month] = r.N
	}
	return out, nil
}

// breakdownKey returns the SQL expression of a dimension's key, over the
// admission table s, the candidate table ca and the organization table o.
func breakdownKey(dia string, by Dimension, s *sql.Selector, ca, o *sql.SelectTable) string {
	switch by {
	case DimensionGender:
		return ca.C(candidate.FieldGender)
	case DimensionEthnicity:
		return ca.C(candidate.FieldEthnicity)
	case DimensionReligion:
		r := ca.C(candidate.FieldReligion)
		return "CASE WHEN " + r + " IS NULL OR " + r + " = '' THEN 'NONE' ELSE " + r + " END"
	case DimensionAgeBand:
		age := ageOf(dia, s.C(admission.FieldAdmittedOn), ca.C(candidate.FieldBirthDate))
		return "CASE WHEN " + age + " <= 30 THEN '18_30' WHEN " + age + " <= 40 THEN '31_40' WHEN " +
			age + " <= 50 THEN '41_50' WHEN " + age + " <= 60 THEN '51_60' ELSE 'OVER_60' END"
	case DimensionEducation:
		return ca.C(candidate.FieldGeneralEducation)
	case DimensionProfessionalLevel:
		return ca.C(candidate.FieldProfessionalLevel)
	case DimensionPoliticalTheory:
		return ca.C(candidate.FieldPoliticalTheoryLevel)
	case DimensionOccupation:
		return ca.C(candidate.FieldOccupation)
	case DimensionSector:
		return o.C(organization.FieldSector)
	case DimensionYouthUnion:
		return "CASE WHEN " + ca.C(candidate.FieldYouthUnionMember) + " THEN 'YES' ELSE 'NO' END"
	}
	panic("stats: unknown dimension " + string(by))
}

// queryBreakdown counts the period's admissions per member and key of by.
func (g *group) queryBreakdown(ctx context.Context, by Dimension) (map[int]map[string]int, error) {
	var rows []countRow
	err := g.client.Admission.Query().Modify(func(s *sql.Selector) {
		ca := sql.Table(candidate.Table).As("ca")
		o := sql.Table(organization.Table).As("o")
		if by == DimensionSector {
			s.Join(o).On(o.C(organization.FieldID), s.C(admission.FieldOrganizationID))
		} else {
			s.Join(ca).On(ca.C(candidate.FieldID), s.C(admission.FieldCandidateID))
		}
		s.Select(sql.As(breakdownKey(s.Dialect(), by, s, ca, o), "k"), sql.As(sql.Count("*"), "n"))
		s.Where(g.between(s.C(admission.FieldAdmittedOn)))
		g.scope(s, s.C(admission.FieldOrganizationID))
		g.groupScope(s)
		s.GroupBy("k")
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("breaking admissions down by %s: %w", by, err)
	}
	out := make(map[int]map[string]int)
	for _, r := range rows {
		if out[r.Scope] == nil {
			out[r.Scope] = make(map[string]int)
		}
		out[r.Scope][r.Key] = r.N
	}
	return out, nil
}

// queryWithout returns, per member, the ids of the grassroots organizations
// of its subtree whose own subtree admitted nobody in the period.
func (g *group) queryWithout(ctx context.Context) (map[int][]int, error) {
	var rows []struct {
		Scope int `sql:"scope"`
		ID    int `sql:"id"`
	}
	err := g.client.Organization.Query().Modify(func(s *sql.Selector) {
		a := sql.Table(admission.Table).As("a")
		c2 := sql.Table(organizationclosure.Table).As("c2")
		admitted := sql.Exists(sql.Select(a.C(admission.FieldID)).From(a).
			Join(c2).On(c2.C(organizationclosure.FieldDescendantID), a.C(admission.FieldOrganizationID)).
			Where(sql.And(
				sql.ColumnsEQ(c2.C(organizationclosure.FieldOrganizationID), s.C(organization.FieldID)),
				g.between(a.C(admission.FieldAdmittedOn)),
			)))
		s.Select(sql.As(s.C(organization.FieldID), "id"))
		s.Where(sql.And(g.existing(s.Table()), sql.Not(admitted)))
		g.scope(s, s.C(organization.FieldID))
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("finding organizations without admissions: %w", err)
	}
	out := make(map[int][]int)
	for _, r := range rows {
		out[r.Scope] = append(out[r.Scope], r.ID)
	}
	return out, nil
}
