package workflow

import (
	"context"
	"fmt"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/hook"
	"ketnap/ent/organization"
	"ketnap/ent/predicate"
	"ketnap/internal/apperr"
)

// RefuseDeleteInUse refuses to delete an organization that still has
// children or records, naming what it has, before the database would.
func RefuseDeleteInUse() ent.Hook {
	return hook.On(refuseDeleteInUse, ent.OpDeleteOne|ent.OpDelete)
}

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
