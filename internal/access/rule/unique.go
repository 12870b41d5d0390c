package rule

import (
	"context"
	"fmt"

	"ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/predicate"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
)

// CandidateUnique checks a scoped ANALYST's write of a candidate's unique
// personal values (national ID, phone number) before the database's
// uniqueness rule sees it. The rule stays; what changes is the answer: a
// collision with a person outside the writer's scope gets the same CONFLICT
// as one inside it, naming only the writer's field, and it is written to the
// access log (entity CONFLICT, the other person's id) and counted against
// the writer's collision limit (readlog.CollisionLimit), past which such
// writes are refused outright. Without this, the error would tell an analyst
// that a number belongs to somebody in another organization, as often as
// they cared to ask.
func CandidateUnique(ctx context.Context, m ent.Mutation) error {
	cm, ok := m.(*ent.CandidateMutation)
	if !ok {
		return nil
	}
	type check struct {
		arg  string
		pred predicate.Candidate
	}
	var checks []check
	if v, ok := cm.NationalID(); ok {
		checks = append(checks, check{"nationalID", candidate.NationalID(v)})
	}
	if v, ok := cm.Phone(); ok {
		checks = append(checks, check{"phone", candidate.Phone(v)})
	}
	if len(checks) == 0 {
		return nil
	}
	if _, scoped := viewer.FromContext(ctx).Scope(); !scoped {
		return nil
	}
	var self []int
	if id, ok := cm.ID(); ok {
		self = []int{id}
	} else if m.Op().Is(ent.OpUpdate) {
		ids, err := cm.IDs(ctx)
		if err != nil {
			return err
		}
		self = ids
	}
	for _, ch := range checks {
		if err := CheckUnique(ctx, cm.Client(), self, ch.arg, ch.pred); err != nil {
			return err
		}
	}
	return nil
}

// CheckUnique answers a scoped viewer's write of a unique personal value as
// CandidateUnique says: pred matches the value, arg is its GraphQL field,
// and the candidates self (the rows being written) do not count as others.
// It does nothing for an unrestricted viewer.
func CheckUnique(ctx context.Context, c *ent.Client, self []int, arg string, pred predicate.Candidate) error {
	root, scoped := viewer.FromContext(ctx).Scope()
	if !scoped {
		return nil
	}
	rec := readlog.FromContext(ctx)
	if err := rec.CollisionAllowed(); err != nil {
		return err
	}
	sys := viewer.SystemContext(ctx)
	other, err := c.Candidate.Query().Where(pred, candidate.IDNotIn(self...)).
		Select(candidate.FieldID, candidate.FieldOrganizationID).First(sys)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", arg, err)
	}
	in, err := OrgInSubtree(sys, c, root, other.OrganizationID)
	if err != nil {
		return fmt.Errorf("checking %s: %w", arg, err)
	}
	if in {
		return readlog.ErrConflict(arg)
	}
	return rec.Collision(other.ID, arg)
}
