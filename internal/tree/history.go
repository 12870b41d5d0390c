package tree

import (
	"context"
	"fmt"
	"time"

	gen "ketnap/ent"
	"ketnap/ent/organizationlink"
	"ketnap/ent/organizationname"
	"ketnap/internal/apperr"
)

// Always and Forever bound the spans of organization_links: a span known
// since the organization's creation starts on Always, an open span ends on
// Forever. Sentinel dates instead of NULL keep every lookup on a date one
// range condition.
var (
	Always  = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	Forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

type dateKey struct{}

// WithDate returns ctx carrying the date on which the tree changes written
// through it take effect (moves, merges, renames); without one they take
// effect today.
func WithDate(ctx context.Context, on time.Time) context.Context {
	return context.WithValue(ctx, dateKey{}, Day(on))
}

// Day truncates t to its calendar day, in UTC.
func Day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// changeDate is the date the tree changes of ctx take effect.
func changeDate(ctx context.Context) time.Time {
	if d, ok := ctx.Value(dateKey{}).(time.Time); ok {
		return d
	}
	return Day(time.Now())
}

// historyOrderError refuses a change dated before a change already recorded.
func historyOrderError(last time.Time) error {
	return apperr.Invalid("on",
		"ngày thay đổi không được trước lần thay đổi cơ cấu đã ghi nhận ("+last.Format("02/01/2006")+")",
		"the change cannot be dated before the last recorded change of the tree ("+last.Format("2006-01-02")+")")
}

// linkNew opens the history of a new organization id under parent (none
// when !hasParent): itself always, and under each ancestor of parent since
// parent is under it.
func linkNew(ctx context.Context, c *gen.Client, id, parent int, hasParent bool) error {
	rows := []*gen.OrganizationLinkCreate{c.OrganizationLink.Create().
		SetOrganizationID(id).SetDescendantID(id).SetDepth(0).SetValidFrom(Always).SetValidTo(Forever)}
	if hasParent {
		up, err := c.OrganizationLink.Query().
			Where(organizationlink.DescendantID(parent), organizationlink.ValidTo(Forever)).
			All(ctx)
		if err != nil {
			return fmt.Errorf("loading the parent's ancestors: %w", err)
		}
		for _, a := range up {
			rows = append(rows, c.OrganizationLink.Create().
				SetOrganizationID(a.OrganizationID).SetDescendantID(id).SetDepth(a.Depth+1).
				SetValidFrom(a.ValidFrom).SetValidTo(Forever))
		}
	}
	if err := c.OrganizationLink.CreateBulk(rows...).Exec(ctx); err != nil {
		return fmt.Errorf("recording the tree's history: %w", err)
	}
	return nil
}

// moveHistory records that the subtree of id left its ancestors and went
// under parent (to the top when !hasParent) on the change date of ctx:
// the open spans that link the subtree to its old ancestors end that day,
// new spans to the new ancestors start it. Spans are appended, never
// rewritten, and a change cannot be dated before one already recorded for
// the subtree or the new parent.
func moveHistory(ctx context.Context, c *gen.Client, id, parent int, hasParent bool) error {
	on := changeDate(ctx)
	sub, err := c.OrganizationLink.Query().
		Where(organizationlink.OrganizationID(id), organizationlink.ValidTo(Forever)).
		All(ctx)
	if err != nil {
		return fmt.Errorf("loading the subtree's history: %w", err)
	}
	ids := make([]int, len(sub))
	for i, s := range sub {
		ids[i] = s.DescendantID
	}
	check := ids
	if hasParent {
		check = append(append([]int(nil), ids...), parent)
	}
	last, err := c.OrganizationLink.Query().
		Where(organizationlink.DescendantIDIn(check...), organizationlink.ValidTo(Forever)).
		Order(gen.Desc(organizationlink.FieldValidFrom)).
		First(ctx)
	if err != nil && !gen.IsNotFound(err) {
		return fmt.Errorf("loading the tree's last change: %w", err)
	}
	if last != nil && on.Before(last.ValidFrom) {
		return historyOrderError(last.ValidFrom)
	}
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		if _, err := c.OrganizationLink.Delete().
			Where(organizationlink.DescendantIDIn(chunk...), organizationlink.OrganizationIDNotIn(ids...),
				organizationlink.ValidTo(Forever), organizationlink.ValidFrom(on)).
			Exec(ctx); err != nil {
			return fmt.Errorf("closing the subtree's spans: %w", err)
		}
		if err := c.OrganizationLink.Update().
			Where(organizationlink.DescendantIDIn(chunk...), organizationlink.OrganizationIDNotIn(ids...),
				organizationlink.ValidTo(Forever)).
			SetValidTo(on).
			Exec(ctx); err != nil {
			return fmt.Errorf("closing the subtree's spans: %w", err)
		}
	}
	if !hasParent {
		return nil
	}
	up, err := c.OrganizationLink.Query().
		Where(organizationlink.DescendantID(parent), organizationlink.ValidTo(Forever)).
		All(ctx)
	if err != nil {
		return fmt.Errorf("loading the new ancestors: %w", err)
	}
	builders := make([]*gen.OrganizationLinkCreate, 0, bulkRows)
	flush := func() error {
		if len(builders) == 0 {
			return nil
		}
		err := c.OrganizationLink.CreateBulk(builders...).Exec(ctx)
		builders = builders[:0]
		if err != nil {
			return fmt.Errorf("opening the subtree's spans: %w", err)
		}
		return nil
	}
	for _, a := range up {
		for _, s := range sub {
			builders = append(builders, c.OrganizationLink.Create().
				SetOrganizationID(a.OrganizationID).SetDescendantID(s.DescendantID).
				SetDepth(a.Depth+1+s.Depth).SetValidFrom(on).SetValidTo(Forever))
			if len(builders) == bulkRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// nameNew records the first name of a new organization, from its founding.
func nameNew(ctx context.Context, c *gen.Client, id int, name string, founded time.Time) error {
	if err := c.OrganizationName.Create().SetOrganizationID(id).SetName(name).SetValidFrom(Day(founded)).Exec(ctx); err != nil {
		return fmt.Errorf("recording the name: %w", err)
	}
	return nil
}

// rename records that organization id bears name from the change date of
// ctx on: the current name ends that day (or is replaced when it started
// that day), the old names keep their dates.
func rename(ctx context.Context, c *gen.Client, id int, name string) error {
	on := changeDate(ctx)
	cur, err := c.OrganizationName.Query().
		Where(organizationname.OrganizationID(id), organizationname.ValidToIsNil()).
		Only(ctx)
	switch {
	case gen.IsNotFound(err):
		return nameNew(ctx, c, id, name, on)
	case err != nil:
		return fmt.Errorf("loading the current name: %w", err)
	}
	if cur.Name == name {
		return nil
	}
	if on.Before(cur.ValidFrom) {
		return historyOrderError(cur.ValidFrom)
	}
	if on.Equal(cur.ValidFrom) {
		return c.OrganizationName.UpdateOne(cur).SetName(name).Exec(ctx)
	}
	if err := c.OrganizationName.UpdateOne(cur).SetValidTo(on).Exec(ctx); err != nil {
		return fmt.Errorf("closing the current name: %w", err)
	}
	return c.OrganizationName.Create().SetOrganizationID(id).SetName(name).SetValidFrom(on).Exec(ctx)
}

// Span is one span of an organization's place in the tree: its parent
// (0 at the top) on the days [From, To).
type Span struct {
	ParentID int
	From, To time.Time
}

// ParentSpans returns where organization id stood in the tree, oldest
// first: its parent spans from the tree's history. Days at the top of the
// tree have no span.
func ParentSpans(ctx context.Context, c *gen.Client, id int) ([]Span, error) {
	rows, err := c.OrganizationLink.Query().
		Where(organizationlink.DescendantID(id), organizationlink.Depth(1)).
		Order(gen.Asc(organizationlink.FieldValidFrom)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the tree's history: %w", err)
	}
	out := make([]Span, len(rows))
	for i, r := range rows {
		out[i] = Span{ParentID: r.OrganizationID, From: r.ValidFrom, To: r.ValidTo}
	}
	return out, nil
}
