package stats

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"sort"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/enrollment"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/organizationlink"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/locale"
	"ketnap/internal/stats/dim"
	"ketnap/internal/stats/rollup"
)

// The records behind the figures: each connection selects, through ent
// (privacy rules, the access log, sealed cursors), the rows whose ids one
// subquery selects by the same rules as the figure's raw part, for this
// Stats' subtree only. A test checks each totalCount against its figure.

// noPersons refuses a VIEWER (statistics, never personal records) field.
func noPersons(ctx context.Context, field string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return viewer.ErrUnauthenticated
	}
	if v.Role == viewer.RoleViewer {
		return viewer.Forbidden(field)
	}
	return nil
}

// inSubtree restricts sel to the rows whose organization (orgCol) lies in
// this Stats' subtree on the dates on keeps: by organization_links when the
// tree's changes reach the group in the AS_OF view, else by today's
// closure. The whole forest needs no restriction.
func (s *Stats) inSubtree(sel *sql.Selector, orgCol string, on onDate) {
	g := s.g
	if g.all {
		return
	}
	key := s.key()
	if g.hist && on != nil {
		sc := table(sel, organizationlink.Table).As("rsc")
		sel.Join(sc).On(sc.C(organizationlink.FieldDescendantID), orgCol)
		sel.Where(sql.And(sql.EQ(sc.C(organizationlink.FieldOrganizationID), key), on(sc)))
		return
	}
	sc := table(sel, organizationclosure.Table).As("rsc")
	sel.Join(sc).On(sc.C(organizationclosure.FieldDescendantID), orgCol)
	sel.Where(sql.EQ(sc.C(organizationclosure.FieldOrganizationID), key))
}

// idsIn is the predicate "column id of the outer query is in sub", sub
// built in the outer query's dialect.
func idsIn(build func(d string) *sql.Selector) func(*sql.Selector) {
	return func(s *sql.Selector) {
		s.Where(sql.In(s.C("id"), build(s.Dialect())))
	}
}

// admissionIDs selects the ids of the admissions admitted counts, those
// of bucket too when it is given.
func (s *Stats) admissionIDs(d string, bucket *Filter) *sql.Selector {
	g := s.g
	sel := sql.Dialect(d).Select()
	a := table(sel, admission.Table).As("ra")
	sel.Select(a.C(admission.FieldID)).From(a)
	sel.Where(g.between(a.C(admission.FieldAdmittedOn)))
	for _, f := range g.filters {
		sel.Where(filterPred(d, a, f))
	}
	if bucket != nil {
		sel.Where(filterPred(d, a, *bucket))
	}
	s.inSubtree(sel, a.C(admission.FieldOrganizationID), at(a.C(admission.FieldAdmittedOn)))
	return sel
}

// Admissions lists the admissions admitted counts (of one bucket of a
// breakdown with bucket), ordered by id. Not for VIEWERs.
func (s *Stats) Admissions(ctx context.Context, first *int, after *entgql.Cursor[int], bucket *Filter) (*ent.AdmissionConnection, error) {
	if err := noPersons(ctx, "admissions"); err != nil {
		return nil, err
	}
	if bucket != nil {
		if err := checkFilters(ctx, "bucket", []Filter{*bucket}); err != nil {
			return nil, err
		}
	}
	if err := s.g.prepare(ctx); err != nil {
		return nil, err
	}
	return s.g.client.Admission.Query().
		Where(idsIn(func(d string) *sql.Selector { return s.admissionIDs(d, bucket) })).
		Paginate(ctx, after, first, nil, nil)
}

// pipelineIDs selects the candidates pipeline counts: before admission
// (SOURCE, TRAINED, APPLIED), recorded by the end of to, in the subtree
// on to.
func (s *Stats) pipelineIDs(d string) *sql.Selector {
	sel := sql.Dialect(d).Select()
	c := table(sel, candidate.Table).As("rc")
	sel.Select(c.C(candidate.FieldID)).From(c)
	sel.Where(sql.And(
		sql.In(c.C(candidate.FieldStatus), candidate.StatusSOURCE.String(), candidate.StatusTRAINED.String(), candidate.StatusAPPLIED.String()),
		sql.LT(c.C(candidate.FieldCreatedAt), s.g.to.Add(day)),
	))
	s.inSubtree(sel, c.C(candidate.FieldOrganizationID), atDay(s.g.to))
	return sel
}

// PipelineCandidates lists the candidates pipeline counts, ordered by id.
// Not for VIEWERs.
func (s *Stats) PipelineCandidates(ctx context.Context, first *int, after *entgql.Cursor[int]) (*ent.CandidateConnection, error) {
	if err := noPersons(ctx, "pipelineCandidates"); err != nil {
		return nil, err
	}
	if err := s.g.prepare(ctx); err != nil {
		return nil, err
	}
	return s.g.client.Candidate.Query().Where(idsIn(s.pipelineIDs)).Paginate(ctx, after, first, nil, nil)
}

// traineeIDs selects the candidates trainees counts: a passed certificate
// of an awareness class, dated in the period, organized in the subtree on
// the certificate's date.
func (s *Stats) traineeIDs(d string) *sql.Selector {
	sel := sql.Dialect(d).Select()
	e, tc := s.g.certificates(sel, s.g.between)
	sel.Select(e.C(enrollment.FieldCandidateID))
	s.inSubtree(sel, tc.C("organizer_id"), at(e.C(enrollment.FieldCertificateOn)))
	return sel
}

// CertifiedTrainees lists the distinct candidates trainees counts, ordered
// by id. Not for VIEWERs.
func (s *Stats) CertifiedTrainees(ctx context.Context, first *int, after *entgql.Cursor[int]) (*ent.CandidateConnection, error) {
	if err := noPersons(ctx, "certifiedTrainees"); err != nil {
		return nil, err
	}
	if err := s.g.prepare(ctx); err != nil {
		return nil, err
	}
	return s.g.client.Candidate.Query().Where(idsIn(s.traineeIDs)).Paginate(ctx, after, first, nil, nil)
}

// withoutIDs selects the organizations of every kind in the subtree that
// existed during the period and in whose subtree nobody was admitted in it,
// the subtree by the tree view: on each admission's date (AS_OF) or today's.
func (s *Stats) withoutIDs(d string) *sql.Selector {
	g := s.g
	sel := sql.Dialect(d).Select()
	o := table(sel, organization.Table).As("ro")
	sel.Select(o.C(organization.FieldID)).From(o)
	sel.Where(sql.And(
		sql.LTE(o.C(organization.FieldFoundedOn), g.to),
		sql.Or(sql.IsNull(o.C(organization.FieldDissolvedOn)), sql.GTE(o.C(organization.FieldDissolvedOn), g.from)),
	))
	s.inSubtree(sel, o.C(organization.FieldID), during(g.from, g.to))
	a := table(sel, admission.Table).As("wa")
	admitted := sql.Dialect(d).Select(a.C(admission.FieldID)).From(a).Where(g.between(a.C(admission.FieldAdmittedOn)))
	if g.view == TreeAsOf {
		l := table(sel, organizationlink.Table).As("wl")
		admitted.Join(l).On(l.C(organizationlink.FieldDescendantID), a.C(admission.FieldOrganizationID)).
			Where(sql.And(sql.ColumnsEQ(l.C(organizationlink.FieldOrganizationID), o.C(organization.FieldID)), at(a.C(admission.FieldAdmittedOn))(l)))
	} else {
		c := table(sel, organizationclosure.Table).As("wc")
		admitted.Join(c).On(c.C(organizationclosure.FieldDescendantID), a.C(admission.FieldOrganizationID)).
			Where(sql.ColumnsEQ(c.C(organizationclosure.FieldOrganizationID), o.C(organization.FieldID)))
	}
	sel.Where(sql.NotExists(admitted))
	return sel
}

// OrganizationsWithoutAdmissions lists the organizations of every kind of
// the subtree that existed during the period and admitted nobody in it
// (in their subtrees), ordered by code.
func (s *Stats) OrganizationsWithoutAdmissions(ctx context.Context, first *int, after *entgql.Cursor[int]) (*ent.OrganizationConnection, error) {
	if err := s.g.prepare(ctx); err != nil {
		return nil, err
	}
	return s.g.client.Organization.Query().Where(idsIn(s.withoutIDs)).
		Paginate(ctx, after, first, nil, nil, ent.WithOrganizationOrder([]*ent.OrganizationOrder{
			{Field: ent.OrganizationOrderFieldCode, Direction: entgql.OrderDirectionAsc}}))
}

// KeyedSeries is the series of one key of a dimension; it is the GraphQL
// type KeyedSeries.
type KeyedSeries struct {
	Key, Label string
	Count      int
	Points     []*Point
}

// keyedMonthly counts the group's admissions per member, key of by and
// month, from the records (filters applied).
func (g *group) keyedMonthly(ctx context.Context, by dim.Dimension) (map[int]map[string]map[int]int, error) {
	return load(g, "seriesBy:"+string(by), func() (map[int]map[string]map[int]int, error) {
		if err := g.prepare(ctx); err != nil {
			return nil, err
		}
		def := dim.Lookup(by)
		out := map[int]map[string]map[int]int{}
		var m, n, scope num
		var key string
		err := g.run(ctx, func(r *stdsql.Rows) error {
			if err := r.Scan(&m, &key, &n, &scope); err != nil {
				return err
			}
			if out[scope.n] == nil {
				out[scope.n] = map[string]map[int]int{}
			}
			if out[scope.n][key] == nil {
				out[scope.n][key] = map[int]int{}
			}
			out[scope.n][key][m.n] += n.n
			return nil
		}, func(s *sql.Selector) {
			a := table(s, admission.Table)
			ca := table(s, candidate.Table).As("ca")
			o := table(s, organization.Table).As("o")
			s.From(a)
			if def.NeedsCandidate {
				s.Join(ca).On(ca.C(candidate.FieldID), a.C(admission.FieldCandidateID))
			} else {
				s.Join(o).On(o.C(organization.FieldID), a.C(admission.FieldOrganizationID))
			}
			s.Select(sql.As(rollup.MonthExpr(s.Dialect(), a.C(admission.FieldAdmittedOn)), "m"))
			s.AppendSelectExpr(sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString(def.SQL(s.Dialect(), dim.Tables{Admission: a, Candidate: ca, Organization: o})).WriteString(" AS k")
			}))
			s.AppendSelectAs(sql.Count("*"), "n")
			s.Where(g.between(a.C(admission.FieldAdmittedOn)))
			g.filterAdmissions(s, a)
			g.scopeDriven(s, a.C(admission.FieldOrganizationID), at(a.C(admission.FieldAdmittedOn)))
			g.groupScope(s)
			s.GroupBy("m", "k")
		})
		if err != nil {
			return nil, fmt.Errorf("counting admissions by month and %s: %w", by, err)
		}
		return out, nil
	})
}

// SeriesBy returns one series per key of by: every key of an ordered scale
// in scale order, else the keys present by count, largest first.
func (s *Stats) SeriesBy(granularity Granularity, by dim.Dimension) ([]*KeyedSeries, error) {
	ctx := s.ctx
	if err := checkDimension(ctx, "by", by); err != nil {
		return nil, err
	}
	if !granularity.IsValid() {
		return nil, fmt.Errorf("unknown granularity %q", granularity)
	}
	if n := bucketCount(s.From, s.To, granularity); n > MaxPoints {
		return nil, apperr.Invalid("granularity",
			fmt.Sprintf("chuỗi số liệu quá %d điểm; hãy chọn đơn vị thời gian lớn hơn", MaxPoints),
			fmt.Sprintf("the series would have more than %d points; choose a larger granularity", MaxPoints))
	}
	m, err := s.g.keyedMonthly(ctx, by)
	if err != nil {
		return nil, err
	}
	p, err := s.plans()
	if err != nil {
		return nil, err
	}
	t := targets(p)
	lang := locale.From(ctx)
	def := dim.Lookup(by)
	counts := m[s.key()]
	total := func(k string) int {
		n := 0
		for _, v := range counts[k] {
			n += v
		}
		return n
	}
	var keys []string
	if def.Scale != nil {
		keys = def.Scale
	} else {
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if a, b := total(keys[i]), total(keys[j]); a != b {
				return a > b
			}
			return keys[i] < keys[j]
		})
	}
	bs := buckets(s.From, s.To, granularity)
	out := make([]*KeyedSeries, 0, len(keys))
	for _, k := range keys {
		ks := &KeyedSeries{Key: k, Label: def.KeyLabel(k, lang), Count: total(k), Points: make([]*Point, len(bs))}
		for i, b := range bs {
			pt := &Point{Start: b.start, End: b.end, Label: bucketLabel(granularity, b.first, lang)}
			for mi := b.first; mi <= b.last; mi++ {
				pt.Admitted += counts[k][mi]
			}
			pt.Target = roundPtr(proRata(t, b.start, b.end))
			ks.Points[i] = pt
		}
		out = append(out, ks)
	}
	return out, nil
}
