package rollup

import (
	"context"
	"fmt"
	"strconv"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "ketnap/ent"
	"ketnap/ent/enrollment"
	"ketnap/ent/hook"
	"ketnap/ent/trainingclass"
)

// Trainee dimensions. A trainee is a candidate with a passed AWARENESS
// certificate in the period, counted once however many it has, in the
// subtree of the class organizer. A candidate with one such certificate in
// all is counted under DimTrained at the certificate's month, and those
// counts add up over months; a candidate with several is listed under
// DimRepeat (key = candidate id) at each certificate's month, and the
// statistics count the distinct keys. The two never hold the same
// candidate, so their sum is the exact number of distinct trainees.
const (
	DimTrained = "TRAINED"
	DimRepeat  = "REPEAT"
)

// certified keeps the enrollment rows e that are certificates counted as
// trainees: passed, dated, of an awareness class tc.
func certified(e, tc *sql.SelectTable) *sql.Predicate {
	return sql.And(
		sql.EQ(e.C(enrollment.FieldPassed), true),
		sql.NotNull(e.C(enrollment.FieldCertificateOn)),
		sql.EQ(tc.C(trainingclass.FieldKind), trainingclass.KindAWARENESS.String()),
	)
}

// CandidateKey is the DimRepeat key of a candidate id column: its decimal
// text, as strconv.Itoa writes it.
func CandidateKey(col string) string { return "CAST(" + col + " AS TEXT)" }

// refreshTrainees selects the DimTrained (repeat false) or DimRepeat rows
// of the certificates, scope joining them to the rolled-up organizers.
func refreshTrainees(ctx context.Context, c *gen.Client, repeat bool, scope func(s *sql.Selector, orgCol string), rows any) error {
	return c.Enrollment.Query().Modify(func(s *sql.Selector) {
		tc := sql.Dialect(s.Dialect()).Table(trainingclass.Table).As("tc")
		e2 := sql.Dialect(s.Dialect()).Table(enrollment.Table).As("e2")
		t2 := sql.Dialect(s.Dialect()).Table(trainingclass.Table).As("t2")
		s.Join(tc).On(tc.C(trainingclass.FieldID), s.C(enrollment.FieldTrainingClassID))
		other := sql.Exists(sql.Select(e2.C(enrollment.FieldID)).From(e2).
			Join(t2).On(t2.C(trainingclass.FieldID), e2.C(enrollment.FieldTrainingClassID)).
			Where(sql.And(
				sql.ColumnsEQ(e2.C(enrollment.FieldCandidateID), s.C(enrollment.FieldCandidateID)),
				sql.ColumnsNEQ(e2.C(enrollment.FieldID), s.C(enrollment.FieldID)),
				certified(e2, t2),
			)))
		key := "''"
		if repeat {
			key = CandidateKey(s.C(enrollment.FieldCandidateID))
		} else {
			other = sql.Not(other)
		}
		s.Select(sql.As(MonthExpr(s.Dialect(), s.C(enrollment.FieldCertificateOn)), "month"), sql.As(sql.Count("*"), "n"))
		s.AppendSelectExprAs(sql.Expr(key), "k")
		s.Where(sql.And(certified(s.Table(), tc), other))
		scope(s, tc.C(trainingclass.FieldOrganizerID))
	}).Scan(ctx, rows)
}

// traineeFacts returns the trainee counters the candidates ids add now.
func traineeFacts(ctx context.Context, c *gen.Client, ids []int) (delta, error) {
	ctx = internal(ctx)
	own := delta{}
	if len(ids) == 0 {
		return own, nil
	}
	certs, err := c.Enrollment.Query().
		Where(enrollment.CandidateIDIn(ids...), enrollment.Passed(true), enrollment.CertificateOnNotNil(),
			enrollment.HasTrainingClassWith(trainingclass.KindEQ(trainingclass.KindAWARENESS))).
		WithTrainingClass().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading certificates: %w", err)
	}
	per := map[int]int{}
	for _, e := range certs {
		per[e.CandidateID]++
	}
	for _, e := range certs {
		k := cell{e.Edges.TrainingClass.OrganizerID, MonthIndex(*e.CertificateOn), DimTrained, ""}
		if per[e.CandidateID] > 1 {
			k.dim, k.key = DimRepeat, strconv.Itoa(e.CandidateID)
		}
		own[k]++
	}
	return expand(ctx, c, own)
}

// EnrollmentHook keeps the trainee counters in step with certificates.
func EnrollmentHook(next ent.Mutator) ent.Mutator {
	return hook.EnrollmentFunc(func(ctx context.Context, m *gen.EnrollmentMutation) (ent.Value, error) {
		if m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && !touches(m, enrollment.FieldCandidateID,
			enrollment.FieldTrainingClassID, enrollment.FieldPassed, enrollment.FieldCertificateOn) {
			return next.Mutate(ctx, m)
		}
		c := m.Client()
		var cands []int
		if id, ok := m.CandidateID(); ok {
			cands = append(cands, id)
		}
		if !m.Op().Is(ent.OpCreate) {
			ids, err := m.IDs(ctx)
			if err != nil {
				return nil, fmt.Errorf("loading enrollments to change: %w", err)
			}
			old, err := c.Enrollment.Query().Where(enrollment.IDIn(ids...)).
				Select(enrollment.FieldCandidateID).Ints(internal(ctx))
			if err != nil {
				return nil, fmt.Errorf("loading enrollments to change: %w", err)
			}
			cands = append(cands, old...)
		}
		return track(ctx, c, func() (delta, error) { return traineeFacts(ctx, c, cands) },
			func() (ent.Value, error) { return next.Mutate(ctx, m) })
	})
}

// TrainingClassHook keeps the trainee counters in step with a class's kind
// and organizer, and with its deletion (which deletes its enrollments).
func TrainingClassHook(next ent.Mutator) ent.Mutator {
	return hook.TrainingClassFunc(func(ctx context.Context, m *gen.TrainingClassMutation) (ent.Value, error) {
		if m.Op().Is(ent.OpCreate) || m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) &&
			!touches(m, trainingclass.FieldKind, trainingclass.FieldOrganizerID) {
			return next.Mutate(ctx, m)
		}
		c := m.Client()
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading classes to change: %w", err)
		}
		cands, err := c.Enrollment.Query().Where(enrollment.TrainingClassIDIn(ids...)).
			Select(enrollment.FieldCandidateID).Ints(internal(ctx))
		if err != nil {
			return nil, fmt.Errorf("loading enrollments of classes: %w", err)
		}
		return track(ctx, c, func() (delta, error) { return traineeFacts(ctx, c, cands) },
			func() (ent.Value, error) { return next.Mutate(ctx, m) })
	})
}
