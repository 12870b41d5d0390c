package tree_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/tree"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// snapshot returns the closure rows and depths, sorted.
func snapshot(t *testing.T, ctx context.Context, c *ent.Client) (links []string, depths []string) {
	t.Helper()
	rows, err := c.OrganizationClosure.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		links = append(links, fmt.Sprintf("%d>%d@%d", r.OrganizationID, r.DescendantID, r.Depth))
	}
	orgs, err := c.Organization.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		depths = append(depths, fmt.Sprintf("%d@%d", o.ID, o.Depth))
	}
	slices.Sort(links)
	slices.Sort(depths)
	return links, depths
}

// TestRebuildMatchesHooks builds a random forest through the ent hooks,
// moves some subtrees, and checks that Rebuild derives exactly the closure
// rows and depths the hooks maintained.
func TestRebuildMatchesHooks(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := viewer.SystemContext(context.Background())
			d := dbtest.Open(t, dialect)
			r := rand.New(rand.NewPCG(1, 2))
			tx, err := d.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for i := range 120 {
				b := tx.Organization.Create().
					SetCode(fmt.Sprintf("T%03d", i)).
					SetName(fmt.Sprintf("Tổ chức %d", i)).
					SetKind(organization.KindBRANCH).
					SetSector(organization.SectorOTHER).
					SetFoundedOn(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
				if len(ids) > 0 && r.IntN(10) > 0 {
					b.SetParentID(ids[r.IntN(len(ids))])
				}
				o, err := b.Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, o.ID)
			}
			// Moves: under a later node (never its own descendant) or to the top.
			for range 30 {
				i := r.IntN(len(ids))
				u := tx.Organization.UpdateOneID(ids[i])
				if j := i + 1 + r.IntN(len(ids)); j < len(ids) {
					inside, err := tx.OrganizationClosure.Query().
						Where(organizationclosure.OrganizationID(ids[i]), organizationclosure.DescendantID(ids[j])).
						Exist(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if inside {
						continue
					}
					u.SetParentID(ids[j])
				} else {
					u.ClearParent()
				}
				if err := u.Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			wantLinks, wantDepths := snapshot(t, ctx, d.Client)
			// Scramble what Rebuild must repair.
			if _, err := d.SQL.ExecContext(ctx, "DELETE FROM organization_closures WHERE depth > 0 AND descendant_id % 3 = 0"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.SQL.ExecContext(ctx, "UPDATE organizations SET depth = 7 WHERE id % 2 = 0"); err != nil {
				t.Fatal(err)
			}
			sqlTx, err := d.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tree.Rebuild(ctx, sqlTx); err != nil {
				t.Fatal(err)
			}
			if err := sqlTx.Commit(); err != nil {
				t.Fatal(err)
			}
			gotLinks, gotDepths := snapshot(t, ctx, d.Client)
			if !slices.Equal(gotLinks, wantLinks) {
				t.Errorf("closure rows differ: got %d rows, want %d", len(gotLinks), len(wantLinks))
			}
			if !slices.Equal(gotDepths, wantDepths) {
				t.Errorf("depths differ:\ngot  %v\nwant %v", gotDepths, wantDepths)
			}
			if len(wantLinks) <= len(ids) {
				t.Fatalf("the random tree is flat: %d links for %d organizations", len(wantLinks), len(ids))
			}
		})
	}
}
