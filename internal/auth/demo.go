package auth

import (
	"context"
	"fmt"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/ent/user"
	"ketnap/internal/access/viewer"
	"ketnap/internal/tree"
)

// DemoBloc is the code of the demo dataset's bloc, the leadership demo
// user's scope when present.
const DemoBloc = "BL-KCQ"

// DemoUser is a demo account with its well-known password.
type DemoUser struct {
	Username string
	Password string
	Role     user.Role
	// OrgCode and OrgName describe the scope; empty for an ADMIN.
	OrgCode, OrgName string
	// Existed reports that the account was there already (its password may
	// have been changed since).
	Existed bool
}

// EnsureDemoUsers creates, when absent, the demo accounts: an ADMIN; a
// VIEWER (leadership) for the demo bloc, or else the first root
// organization; an ANALYST for the first grassroots organization under it.
// Without organizations only the ADMIN is made. It is for demo mode only:
// the passwords are published.
func (s *Service) EnsureDemoUsers(ctx context.Context, c *ent.Client) ([]DemoUser, error) {
	ctx = viewer.SystemContext(ctx)
	out := []DemoUser{{Username: "admin", Password: "demo-admin-2026", Role: user.RoleADMIN}}
	root, err := c.Organization.Query().Where(organization.Code(DemoBloc)).Only(ctx)
	if ent.IsNotFound(err) {
		root, err = c.Organization.Query().Where(organization.ParentIDIsNil()).
			Order(ent.Asc(organization.FieldID)).First(ctx)
	}
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("finding the demo bloc: %w", err)
	default:
		out = append(out, DemoUser{Username: "lanhdao", Password: "demo-lanhdao-2026", Role: user.RoleVIEWER,
			OrgCode: root.Code, OrgName: root.Name})
		grass, err := c.Organization.Query().
			Where(organization.KindIn(organization.KindGRASSROOTS_COMMITTEE, organization.KindGRASSROOTS_BRANCH), tree.Organizations(root.ID)).
			Order(ent.Asc(organization.FieldCode)).First(ctx)
		switch {
		case ent.IsNotFound(err):
		case err != nil:
			return nil, fmt.Errorf("finding a grassroots organization: %w", err)
		default:
			out = append(out, DemoUser{Username: "chuyenvien", Password: "demo-chuyenvien-2026", Role: user.RoleANALYST,
				OrgCode: grass.Code, OrgName: grass.Name})
		}
	}
	for i, d := range out {
		exists, err := c.User.Query().Where(user.Username(d.Username)).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("looking up demo user: %w", err)
		}
		if exists {
			out[i].Existed = true
			continue
		}
		in := NewUser{Username: d.Username, Password: d.Password, Role: d.Role}
		if d.OrgCode != "" {
			id, err := c.Organization.Query().Where(organization.Code(d.OrgCode)).OnlyID(ctx)
			if err != nil {
				return nil, fmt.Errorf("finding %s: %w", d.OrgCode, err)
			}
			in.OrganizationID = &id
		}
		if _, err := s.CreateUser(ctx, c, in); err != nil {
			return nil, fmt.Errorf("creating demo user %s: %w", d.Username, err)
		}
	}
	return out, nil
}
