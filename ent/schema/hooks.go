package schema

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/hook"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/predicate"
	"ketnap/internal/apperr"
	"ketnap/internal/stats/rollup"
	"ketnap/internal/workflow"
)

// Hooks of the Organization.
func (Organization) Hooks() []ent.Hook {
	return []ent.Hook{
		workflow.OrganizationHook(),
		// The rollup hook wraps the closure hook: it reads the tree before
		// and after a move.
		rollup.OrganizationHook,
		hook.On(maintainClosure, ent.OpCreate|ent.OpUpdateOne|ent.OpUpdate),
		hook.On(refuseDeleteInUse, ent.OpDeleteOne|ent.OpDelete),
	}
}

// Hooks of the Admission: the rules of the admission workflow, in one place
// (ketnap/ent/workflow), so that no write path bypasses them.
func (Admission) Hooks() []ent.Hook {
	return []ent.Hook{workflow.AdmissionHook(), rollup.AdmissionHook}
}

// Hooks of the Candidate.
func (Candidate) Hooks() []ent.Hook {
	return []ent.Hook{workflow.CandidateHook(), rollup.CandidateHook}
}

// Hooks of the DisciplinaryAction.
func (DisciplinaryAction) Hooks() []ent.Hook {
	return []ent.Hook{workflow.DisciplineHook(), rollup.DisciplinaryActionHook}
}

// Hooks of the AnnualPlan: the subtree plan totals the statistics read.
func (AnnualPlan) Hooks() []ent.Hook {
	return []ent.Hook{rollup.AnnualPlanHook}
}

// Hooks of the Enrollment: the trainee counters the statistics read.
func (Enrollment) Hooks() []ent.Hook {
	return []ent.Hook{rollup.EnrollmentHook}
}

// Hooks of the TrainingClass: the trainee counters of its certificates.
func (TrainingClass) Hooks() []ent.Hook {
	return []ent.Hook{rollup.TrainingClassHook}
}

// idChunk bounds the number of bind parameters per statement (SQLite allows
// 32,766, PostgreSQL 65,535).
const idChunk = 10000

// bulkRows bounds the rows of one multi-row INSERT (three columns a row).
const bulkRows = 2000

// maintainClosure keeps organization_closures and organizations.depth in step
// with parent_id, in the mutation's own transaction.
func maintainClosure(next ent.Mutator) ent.Mutator {
	return hook.OrganizationFunc(func(ctx context.Context, m *gen.OrganizationMutation) (ent.Value, error) {
		newParent, parentSet := m.ParentID()
		parentCleared := m.ParentCleared()
		if !parentSet && !parentCleared && m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) {
			return next.Mutate(ctx, m)
		}
		if _, err := m.Tx(); err != nil {
			return nil, errors.New("organization tree changes must run in a transaction")
		}
		client := m.Client()
		if m.Op().Is(ent.OpUpdate) {
			return nil, apperr.Invalid("parentId",
				"chỉ được chuyển từng tổ chức một",
				"organizations can only be moved one at a time")
		}
		var parentDepth int
		if parentSet {
			p, err := client.Organization.Query().Where(organization.ID(newParent)).Only(ctx)
			if gen.IsNotFound(err) {
				return nil, apperr.New(apperr.CodeNotFound, "parentId",
					"không tìm thấy tổ chức cấp trên", "parent organization not found")
			}
			if err != nil {
				return nil, fmt.Errorf("loading parent: %w", err)
			}
			parentDepth = p.Depth
		}
		if m.Op().Is(ent.OpCreate) {
			if parentSet {
				m.SetDepth(parentDepth + 1)
			} else {
				m.SetDepth(0)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			id, _ := m.ID()
			return v, linkSubtree(ctx, client, id, newParent, parentSet)
		}
		id, ok := m.ID()
		if !ok {
			return nil, errors.New("organization update without id")
		}
		cur, err := client.Organization.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("loading organization: %w", err)
		}
		if parentSet {
			cycle, err := client.OrganizationClosure.Query().
				Where(organizationclosure.OrganizationID(id), organizationclosure.DescendantID(newParent)).
				Exist(ctx)
			if err != nil {
				return nil, fmt.Errorf("checking for a cycle: %w", err)
			}
			if cycle {
				return nil, apperr.New(apperr.CodeCycle, "parentId",
					"không thể chuyển tổ chức vào dưới chính nó hoặc tổ chức trực thuộc của nó",
					"an organization cannot be moved under itself or one of its descendants")
			}
		}
		if cur.ParentID != nil && parentSet && *cur.ParentID == newParent {
			return next.Mutate(ctx, m)
		}
		newDepth := 0
		if parentSet {
			newDepth = parentDepth + 1
		}
		m.SetDepth(newDepth)
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		if err := unlinkSubtree(ctx, client, id); err != nil {
			return nil, err
		}
		if err := shiftDepth(ctx, client, id, newDepth-cur.Depth); err != nil {
			return nil, err
		}
		return v, linkSubtree(ctx, client, id, newParent, parentSet)
	})
}

// refuseDeleteInUse refuses to delete an organization that still has
// children or records, naming what it has, before the database would.
func refuseDeleteInUse(next ent.Mutator) ent.Mutator {
	return hook.OrganizationFunc(func(ctx context.Context, m *gen.OrganizationMutation) (ent.Value, error) {
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading organizations to delete: %w", err)
		}
		if len(ids) == 0 {
			return next.Mutate(ctx, m)
		}
		c := m.Client()
		has := organization.IDIn(ids...)
		checks := []struct {
			edge   predicate.Organization
			code   apperr.Code
			vi, en string
		}{
			{organization.HasChildren(), apperr.CodeHasChildren, "tổ chức còn tổ chức trực thuộc", "the organization still has child organizations"},
			{organization.HasAdmissions(), apperr.CodeInUse, "tổ chức đã có đảng viên được kết nạp", "the organization has admissions"},
			{organization.HasCandidates(), apperr.CodeInUse, "tổ chức còn quần chúng được theo dõi", "the organization still follows candidates"},
			{organization.HasTrainingClasses(), apperr.CodeInUse, "tổ chức đã mở lớp bồi dưỡng", "the organization has training classes"},
			{organization.HasAnnualPlans(), apperr.CodeInUse, "tổ chức đã có kế hoạch năm", "the organization has annual plans"},
		}
		for _, ch := range checks {
			found, err := c.Organization.Query().Where(has, ch.edge).Exist(ctx)
			if err != nil {
				return nil, fmt.Errorf("checking organization use: %w", err)
			}
			if found {
				return nil, apperr.New(ch.code, "id", ch.vi+"; không thể xóa", ch.en+"; it cannot be deleted")
			}
		}
		return next.Mutate(ctx, m)
	})
}

// subtreeIDs returns the ids in the subtree of id, with their distance to it.
func subtreeIDs(ctx context.Context, c *gen.Client, id int) ([]*gen.OrganizationClosure, error) {
	rows, err := c.OrganizationClosure.Query().
		Where(organizationclosure.OrganizationID(id)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading subtree: %w", err)
	}
	return rows, nil
}

// unlinkSubtree removes the links between the subtree of id and the
// ancestors of id, leaving the links inside the subtree.
func unlinkSubtree(ctx context.Context, c *gen.Client, id int) error {
	ancestors, err := c.OrganizationClosure.Query().
		Where(organizationclosure.DescendantID(id), organizationclosure.DepthGT(0)).
		Select(organizationclosure.FieldOrganizationID).
		Ints(ctx)
	if err != nil {
		return fmt.Errorf("loading ancestors: %w", err)
	}
	if len(ancestors) == 0 {
		return nil
	}
	sub, err := subtreeIDs(ctx, c, id)
	if err != nil {
		return err
	}
	ids := make([]int, len(sub))
	for i, s := range sub {
		ids[i] = s.DescendantID
	}
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		if _, err := c.OrganizationClosure.Delete().
			Where(organizationclosure.OrganizationIDIn(ancestors...), organizationclosure.DescendantIDIn(chunk...)).
			Exec(ctx); err != nil {
			return fmt.Errorf("unlinking subtree: %w", err)
		}
	}
	return nil
}

// linkSubtree adds the links from the new ancestors to every organization in
// the subtree of id (and, for a new organization, its link to itself).
func linkSubtree(ctx context.Context, c *gen.Client, id, parent int, hasParent bool) error {
	sub, err := subtreeIDs(ctx, c, id)
	if err != nil {
		return err
	}
	if len(sub) == 0 { // a new organization
		sub = []*gen.OrganizationClosure{{OrganizationID: id, DescendantID: id, Depth: 0}}
		if err := c.OrganizationClosure.Create().
			SetOrganizationID(id).SetDescendantID(id).SetDepth(0).
			Exec(ctx); err != nil {
			return fmt.Errorf("linking organization to itself: %w", err)
		}
	}
	if !hasParent {
		return nil
	}
	ancestors, err := c.OrganizationClosure.Query().
		Where(organizationclosure.DescendantID(parent)).
		All(ctx)
	if err != nil {
		return fmt.Errorf("loading ancestors of parent: %w", err)
	}
	builders := make([]*gen.OrganizationClosureCreate, 0, bulkRows)
	flush := func() error {
		if len(builders) == 0 {
			return nil
		}
		err := c.OrganizationClosure.CreateBulk(builders...).Exec(ctx)
		builders = builders[:0]
		if err != nil {
			return fmt.Errorf("linking subtree: %w", err)
		}
		return nil
	}
	for _, a := range ancestors {
		for _, s := range sub {
			builders = append(builders, c.OrganizationClosure.Create().
				SetOrganizationID(a.OrganizationID).
				SetDescendantID(s.DescendantID).
				SetDepth(a.Depth+1+s.Depth))
			if len(builders) == bulkRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// shiftDepth adds delta to the depth of every strict descendant of id.
func shiftDepth(ctx context.Context, c *gen.Client, id, delta int) error {
	if delta == 0 {
		return nil
	}
	ids, err := c.OrganizationClosure.Query().
		Where(organizationclosure.OrganizationID(id), organizationclosure.DepthGT(0)).
		Select(organizationclosure.FieldDescendantID).
		Ints(ctx)
	if err != nil {
		return fmt.Errorf("loading descendants: %w", err)
	}
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		if err := c.Organization.Update().
			Where(organization.IDIn(chunk...)).
			AddDepth(delta).
			Exec(ctx); err != nil {
			return fmt.Errorf("updating depths: %w", err)
		}
	}
	return nil
}

// ProbationEnd returns the end of the 12-month probation that starts on admittedOn.
func ProbationEnd(admittedOn time.Time) time.Time {
	return workflow.ProbationEnd(admittedOn)
}
