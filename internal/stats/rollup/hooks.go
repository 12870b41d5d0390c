package rollup

import (
	"context"
	"fmt"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/annualplan"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/hook"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/internal/access/viewer"
	"ketnap/internal/stats/dim"
)

// internal marks the rollup's own reads: aggregate upkeep is not a read of
// a person's record by the signed-in user, and it must see every row the
// write touches, whatever the user's scope.
func internal(ctx context.Context) context.Context { return viewer.SystemContext(ctx) }

// touches reports whether the mutation sets or clears any of fields.
func touches(m ent.Mutation, fields ...string) bool {
	for _, f := range fields {
		if _, ok := m.Field(f); ok || m.FieldCleared(f) {
			return true
		}
	}
	return false
}

// track applies the change of the facts around a mutation: after − before.
func track(ctx context.Context, c *gen.Client, facts func() (delta, error), mutate func() (ent.Value, error)) (ent.Value, error) {
	before, err := facts()
	if err != nil {
		return nil, err
	}
	v, err := mutate()
	if err != nil {
		return nil, err
	}
	after, err := facts()
	if err != nil {
		return nil, err
	}
	after.add(before, -1)
	return v, apply(ctx, c, after)
}

// expand adds each organization's counters to its rolled-up ancestors
// (itself included).
func expand(ctx context.Context, c *gen.Client, own delta) (delta, error) {
	ctx = internal(ctx)
	out := delta{}
	if len(own) == 0 {
		return out, nil
	}
	seen := map[int]bool{}
	var orgs []int
	for k := range own {
		if !seen[k.org] {
			seen[k.org] = true
			orgs = append(orgs, k.org)
		}
	}
	links, err := c.OrganizationClosure.Query().
		Where(organizationclosure.DescendantIDIn(orgs...),
			organizationclosure.HasOrganizationWith(organization.DepthLTE(CoreDepth))).
		WithOrganization(func(q *gen.OrganizationQuery) { q.Select(organization.FieldDepth) }).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading rolled-up ancestors: %w", err)
	}
	type ancestor struct{ id, depth int }
	up := map[int][]ancestor{}
	for _, l := range links {
		up[l.DescendantID] = append(up[l.DescendantID], ancestor{l.OrganizationID, l.Edges.Organization.Depth})
	}
	for k, n := range own {
		limit := DepthOf(k.dim)
		for _, a := range up[k.org] {
			if a.depth <= limit {
				out[cell{a.id, k.month, k.dim, k.key}] += n
			}
		}
	}
	return out, nil
}

// admissionFacts returns the counters the admissions ids add, as they are now.
func admissionFacts(ctx context.Context, c *gen.Client, ids []int) (delta, error) {
	ctx = internal(ctx)
	own := delta{}
	if len(ids) == 0 {
		return own, nil
	}
	adms, err := c.Admission.Query().Where(admission.IDIn(ids...)).
		WithCandidate().WithOrganization().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading admissions: %w", err)
	}
	punished, err := c.DisciplinaryAction.Query().Where(disciplinaryaction.AdmissionIDIn(ids...)).
		Select(disciplinaryaction.FieldAdmissionID).Ints(internal(ctx))
	if err != nil {
		return nil, fmt.Errorf("loading disciplinary actions: %w", err)
	}
	disc := map[int]bool{}
	for _, id := range punished {
		disc[id] = true
	}
	for _, a := range adms {
		at := func(dim, key string) { own[cell{a.OrganizationID, MonthIndex(a.AdmittedOn), dim, key}]++ }
		at(DimAdmitted, "")
		switch a.Status {
		case admission.StatusFULL:
			at(DimStatus, KeyFull)
		case admission.StatusNOT_RECOGNIZED:
			at(DimStatus, KeyNotRecognized)
		case admission.StatusPROBATIONARY:
			at(DimStatus, KeyProbationary)
		case admission.StatusLEFT:
			if a.RecognitionDecidedOn != nil {
				at(DimStatus, KeyLeftRecognized)
			}
		}
		if a.Status == admission.StatusLEFT || disc[a.ID] {
			at(DimStatus, KeyLeftOrDisciplined)
		}
		row := dim.Row{AdmittedOn: a.AdmittedOn, Candidate: a.Edges.Candidate, Sector: a.Edges.Organization.Sector}
		for _, d := range dim.All {
			at(string(d.Name), d.Of(row))
		}
	}
	return expand(ctx, c, own)
}

// candidateFacts returns the pipeline counters the candidates ids add now.
func candidateFacts(ctx context.Context, c *gen.Client, ids []int) (delta, error) {
	ctx = internal(ctx)
	own := delta{}
	if len(ids) == 0 {
		return own, nil
	}
	cands, err := c.Candidate.Query().
		Where(candidate.IDIn(ids...), candidate.StatusIn(candidate.StatusSOURCE, candidate.StatusTRAINED, candidate.StatusAPPLIED)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading candidates: %w", err)
	}
	for _, cd := range cands {
		own[cell{cd.OrganizationID, MonthIndex(cd.CreatedAt), DimPipeline, ""}]++
	}
	return expand(ctx, c, own)
}

// AdmissionHook keeps the rollups in step with admissions.
func AdmissionHook(next ent.Mutator) ent.Mutator {
	return hook.AdmissionFunc(func(ctx context.Context, m *gen.AdmissionMutation) (ent.Value, error) {
		c := m.Client()
		if m.Op().Is(ent.OpCreate) {
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			id, _ := m.ID()
			d, err := admissionFacts(ctx, c, []int{id})
			if err != nil {
				return nil, err
			}
			return v, apply(ctx, c, d)
		}
		if m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && !touches(m, admission.FieldOrganizationID,
			admission.FieldAdmittedOn, admission.FieldStatus, admission.FieldCandidateID) {
			return next.Mutate(ctx, m)
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading admissions to change: %w", err)
		}
		return track(ctx, c, func() (delta, error) { return admissionFacts(ctx, c, ids) },
			func() (ent.Value, error) { return next.Mutate(ctx, m) })
	})
}

// touched returns the parents a write concerns: the parent it sets, and for
// updates and deletes the parents the changed rows had (read by old).
func touched(ctx context.Context, m interface {
	Op() ent.Op
	IDs(context.Context) ([]int, error)
}, set func() (int, bool), old func(ids []int) ([]int, error)) ([]int, error) {
	var parents []int
	if id, ok := set(); ok {
		parents = append(parents, id)
	}
	if m.Op().Is(ent.OpCreate) {
		return parents, nil
	}
	ids, err := m.IDs(ctx)
	if err != nil {
		return nil, err
	}
	before, err := old(ids)
	if err != nil {
		return nil, err
	}
	return append(parents, before...), nil
}

// DisciplinaryActionHook keeps the LEFT_OR_DISCIPLINED counters in step.
func DisciplinaryActionHook(next ent.Mutator) ent.Mutator {
	return hook.DisciplinaryActionFunc(func(ctx context.Context, m *gen.DisciplinaryActionMutation) (ent.Value, error) {
		c := m.Client()
		adms, err := touched(ctx, m, m.AdmissionID, func(ids []int) ([]int, error) {
			return c.DisciplinaryAction.Query().Where(disciplinaryaction.IDIn(ids...)).
				Select(disciplinaryaction.FieldAdmissionID).Ints(internal(ctx))
		})
		if err != nil {
			return nil, fmt.Errorf("loading disciplinary actions to change: %w", err)
		}
		return track(ctx, c, func() (delta, error) { return admissionFacts(ctx, c, adms) },
			func() (ent.Value, error) { return next.Mutate(ctx, m) })
	})
}

// candidateFields are the candidate fields the rollups read.
var candidateFields = []string{candidate.FieldGender, candidate.FieldBirthDate, candidate.FieldEthnicity,
	candidate.FieldReligion, candidate.FieldGeneralEducation, candidate.FieldProfessionalLevel,
	candidate.FieldPoliticalTheoryLevel, candidate.FieldOccupation, candidate.FieldYouthUnionMember,
	candidate.FieldOrganizationID, candidate.FieldStatus, candidate.FieldCreatedAt}

// CandidateHook keeps the pipeline counters, and the breakdowns of the
// candidate's admission, in step with candidates.
func CandidateHook(next ent.Mutator) ent.Mutator {
	return hook.CandidateFunc(func(ctx context.Context, m *gen.CandidateMutation) (ent.Value, error) {
		c := m.Client()
		if m.Op().Is(ent.OpCreate) {
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			id, _ := m.ID()
			d, err := candidateFacts(ctx, c, []int{id})
			if err != nil {
				return nil, err
			}
			return v, apply(ctx, c, d)
		}
		if m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && !touches(m, candidateFields...) {
			return next.Mutate(ctx, m)
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading candidates to change: %w", err)
		}
		adms, err := c.Admission.Query().Where(admission.CandidateIDIn(ids...)).IDs(internal(ctx))
		if err != nil {
			return nil, fmt.Errorf("loading admissions of candidates: %w", err)
		}
		facts := func() (delta, error) {
			d, err := candidateFacts(ctx, c, ids)
			if err != nil {
				return nil, err
			}
			a, err := admissionFacts(ctx, c, adms)
			if err != nil {
				return nil, err
			}
			d.add(a, 1)
			if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
				// Deleting a candidate deletes its certificates.
				t, err := traineeFacts(ctx, c, ids)
				if err != nil {
					return nil, err
				}
				d.add(t, 1)
			}
			return d, nil
		}
		return track(ctx, c, facts, func() (ent.Value, error) { return next.Mutate(ctx, m) })
	})
}

// OrganizationHook keeps the rollups in step with the tree: a sector change
// moves the SECTOR counters of the organization's admissions; a move
// recomputes the rolled-up organizations whose subtree changed (the old and
// new ancestors that are not both, and rolled-up organizations of the moved
// subtree whose depth changed). It must wrap the closure hook.
func OrganizationHook(next ent.Mutator) ent.Mutator {
	return hook.OrganizationFunc(func(ctx context.Context, m *gen.OrganizationMutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
			return next.Mutate(ctx, m)
		}
		c := m.Client()
		moved := touches(m, organization.FieldParentID)
		if !moved && !touches(m, organization.FieldSector) {
			return next.Mutate(ctx, m)
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading organizations to change: %w", err)
		}
		if !moved {
			adms, err := c.Admission.Query().Where(admission.OrganizationIDIn(ids...)).IDs(internal(ctx))
			if err != nil {
				return nil, fmt.Errorf("loading admissions of organizations: %w", err)
			}
			return track(ctx, c, func() (delta, error) { return admissionFacts(ctx, c, adms) },
				func() (ent.Value, error) { return next.Mutate(ctx, m) })
		}
		// rolled lists the rolled-up organizations above or below ids.
		rolled := func() (map[int]bool, error) {
			up, err := c.OrganizationClosure.Query().
				Where(organizationclosure.DescendantIDIn(ids...),
					organizationclosure.HasOrganizationWith(organization.DepthLTE(CoreDepth))).
				Select(organizationclosure.FieldOrganizationID).Ints(internal(ctx))
			if err != nil {
				return nil, fmt.Errorf("loading rolled-up ancestors: %w", err)
			}
			down, err := c.OrganizationClosure.Query().
				Where(organizationclosure.OrganizationIDIn(ids...),
					organizationclosure.HasDescendantWith(organization.DepthLTE(CoreDepth))).
				Select(organizationclosure.FieldDescendantID).Ints(internal(ctx))
			if err != nil {
				return nil, fmt.Errorf("loading rolled-up descendants: %w", err)
			}
			out := map[int]bool{}
			for _, id := range append(up, down...) {
				out[id] = true
			}
			return out, nil
		}
		// ancestors lists the organizations above ids, whose plan totals
		// a move changes.
		ancestors := func() ([]int, error) {
			up, err := c.OrganizationClosure.Query().
				Where(organizationclosure.DescendantIDIn(ids...), organizationclosure.DepthGT(0)).
				Select(organizationclosure.FieldOrganizationID).Ints(internal(ctx))
			if err != nil {
				return nil, fmt.Errorf("loading ancestors: %w", err)
			}
			return up, nil
		}
		before, err := rolled()
		if err != nil {
			return nil, err
		}
		oldUp, err := ancestors()
		if err != nil {
			return nil, err
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		after, err := rolled()
		if err != nil {
			return nil, err
		}
		newUp, err := ancestors()
		if err != nil {
			return nil, err
		}
		if err := refreshPlansOf(internal(ctx), c, append(oldUp, newUp...)); err != nil {
			return nil, err
		}
		inSub := map[int]bool{}
		sub, err := c.OrganizationClosure.Query().Where(organizationclosure.OrganizationIDIn(ids...)).
			Select(organizationclosure.FieldDescendantID).Ints(internal(ctx))
		if err != nil {
			return nil, fmt.Errorf("loading moved subtree: %w", err)
		}
		for _, id := range sub {
			inSub[id] = true
		}
		var refresh []int
		for id := range before {
			if !after[id] || inSub[id] {
				refresh = append(refresh, id)
			}
		}
		for id := range after {
			if !before[id] {
				refresh = append(refresh, id)
			}
		}
		return v, Refresh(ctx, c, refresh)
	})
}

// AnnualPlanHook keeps plan_totals in step with the annual plans: a write
// recomputes the totals of the plans' organizations and their ancestors.
func AnnualPlanHook(next ent.Mutator) ent.Mutator {
	return hook.AnnualPlanFunc(func(ctx context.Context, m *gen.AnnualPlanMutation) (ent.Value, error) {
		c := m.Client()
		orgs, err := touched(ctx, m, m.OrganizationID, func(ids []int) ([]int, error) {
			return c.AnnualPlan.Query().Where(annualplan.IDIn(ids...)).
				Select(annualplan.FieldOrganizationID).Ints(internal(ctx))
		})
		if err != nil {
			return nil, fmt.Errorf("loading plans to change: %w", err)
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		return v, refreshPlans(ctx, c, orgs)
	})
}
