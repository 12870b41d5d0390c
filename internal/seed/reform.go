package seed

import (
	"context"
	"fmt"
	"time"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	wf "ketnap/internal/workflow"
)

// The 2025 restructuring the demo can replay (DemoReform). In early 2025
// the provincial blocs were dissolved and re-formed: the party agencies'
// committee of each province replaced its Bloc of Provincial Agencies
// (Kết luận 121-KL/TW, 24/01/2025, on streamlining the political system);
// on 1 July 2025 Bạc Liêu province merged into Cà Mau (Nghị quyết
// 202/2025/QH15 of 12/06/2025 on the arrangement of provincial units).
const (
	// ReformCommitteeCode is the new committee the Bạc Liêu bloc merges into.
	ReformCommitteeCode = "CM-CQD"
	reformCommitteeName = "Đảng bộ các cơ quan Đảng tỉnh Cà Mau"
)

var (
	// ReformFounded is the new committee's founding, early 2025.
	ReformFounded = day(2025, time.February, 1)
	// ReformMerged is the day Bạc Liêu merged into Cà Mau.
	ReformMerged = day(2025, time.July, 1)
)

// DemoReform replays the 2025 restructuring on the demo bloc, as a user
// would through the API, in one transaction: it creates the new committee
// (founded ReformFounded) and merges the Bạc Liêu bloc into it on
// ReformMerged. Nothing recorded moves: the article's figures stay the
// bloc's in the AS_OF view, the new committee's in the CURRENT view.
func DemoReform(ctx context.Context, c *ent.Client) (*ent.Organization, error) {
	ctx = viewer.SystemContext(ctx)
	tx, err := c.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting the restructuring: %w", err)
	}
	tc := tx.Client()
	bloc, err := tc.Organization.Query().Where(organization.Code(DemoBlocCode)).Only(ctx)
	if err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("loading the demo bloc: %w", err)
	}
	committee, err := tc.Organization.Create().
		SetCode(ReformCommitteeCode).
		SetName(reformCommitteeName).
		SetKind(organization.KindBLOC).
		SetSector(organization.SectorPARTY_AGENCY).
		SetFoundedOn(ReformFounded).
		Save(ctx)
	if err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("creating the new committee: %w", err)
	}
	if _, err := wf.Merge(ctx, tc, bloc.ID, committee.ID, ReformMerged); err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("merging the bloc: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("committing the restructuring: %w", err)
	}
	return committee, nil
}
