package tree

import (
	"context"
	"errors"
	"fmt"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/hook"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/internal/apperr"
)

// idChunk bounds the number of bind parameters per statement (SQLite allows
// 32,766, PostgreSQL 65,535).
const idChunk = 10000

// bulkRows bounds the rows of one multi-row INSERT (three columns a row).
const bulkRows = 2000

// ClosureHook keeps organization_closures and organizations.depth in step
// with parent_id, in the mutation's own transaction, and refuses a move
// under the organization itself or one of its descendants (TREE_CYCLE).
func ClosureHook() ent.Hook {
	return hook.On(maintainClosure, ent.OpCreate|ent.OpUpdateOne|ent.OpUpdate)
}

func maintainClosure(next ent.Mutator) ent.Mutator {
	return hook.OrganizationFunc(func(ctx context.Context, m *gen.OrganizationMutation) (ent.Value, error) {
		newParent, parentSet := m.ParentID()
		parentCleared := m.ParentCleared()
		newName, nameSet := m.Name()
		if m.Op().Is(ent.OpUpdateOne) && nameSet {
			// Renames keep the old name for the dates it was borne.
			id, ok := m.ID()
			if !ok {
				return nil, errors.New("organization update without id")
			}
			if err := rename(ctx, m.Client(), id, newName); err != nil {
				return nil, err
			}
		}
		if m.Op().Is(ent.OpUpdate) && nameSet {
			return nil, apperr.Invalid("name",
				"chỉ được đổi tên từng tổ chức một",
				"organizations can only be renamed one at a time")
		}
		if !parentSet && !parentCleared && m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) {
			return next.Mutate(ctx, m)
		}
		if _, err := m.Tx(); err != nil {
			return nil, errors.New("organization tree changes must run in a transaction")
		}
		client := m.Client()
		if m.Op().Is(ent.OpUpdate) {
			return nil, apperr.Invalid("parentID",
				"chỉ được chuyển từng tổ chức một",
				"organizations can only be moved one at a time")
		}
		var parentDepth int
		if parentSet {
			p, err := client.Organization.Query().Where(organization.ID(newParent)).Only(ctx)
			if gen.IsNotFound(err) {
				return nil, apperr.New(apperr.CodeNotFound, "parentID",
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
			if err := linkNew(ctx, client, id, newParent, parentSet); err != nil {
				return nil, err
			}
			founded, _ := m.FoundedOn()
			if err := nameNew(ctx, client, id, newName, founded); err != nil {
				return nil, err
			}
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
				return nil, apperr.New(apperr.CodeCycle, "parentID",
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
		if err := moveHistory(ctx, client, id, newParent, parentSet); err != nil {
			return nil, err
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
