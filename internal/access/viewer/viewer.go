// Package viewer carries who is asking through a request's context, so that
// the data layer's privacy policies (internal/access/rule) can decide what they may read
// and change. A context without a viewer may do nothing: the HTTP layer puts
// the signed-in user's viewer there, and the CLI, seed and migrations use the
// System viewer explicitly.
package viewer

import (
	"context"
	"errors"
	"fmt"

	"ketnap/ent"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/privacy"
	"ketnap/internal/apperr"
)

// Role is what a signed-in user may do; the values match the User.role enum.
type Role string

// The roles. An ADMIN may do everything; an ANALYST reads and writes records,
// personal fields included, inside one organization's subtree; a VIEWER
// (leadership) sees statistics, organizations and classes in its subtree and
// no personal record at all.
const (
	RoleAdmin   Role = "ADMIN"
	RoleAnalyst Role = "ANALYST"
	RoleViewer  Role = "VIEWER"
)

// Viewer is the one asking: a signed-in user (through a session or API
// token) or the system itself.
type Viewer struct {
	// UserID is the signed-in user; 0 for the system.
	UserID int
	// Username is for logs; it is never personal data of a party member.
	Username string
	// Role decides what the viewer may do.
	Role Role
	// OrgID is the root of the subtree an ANALYST or VIEWER is scoped to.
	OrgID int
	// TokenID is the token the request came with, so logout can revoke it.
	TokenID int

	system bool
}

// system is shared: it holds no per-request state.
var system = &Viewer{Username: "system", Role: RoleAdmin, system: true}

// IsSystem reports whether v is the system viewer.
func (v *Viewer) IsSystem() bool { return v != nil && v.system }

// Unrestricted reports whether v may see and change everything: the system
// or an ADMIN.
func (v *Viewer) Unrestricted() bool {
	return v != nil && (v.system || v.Role == RoleAdmin)
}

// Scope returns the root of the subtree v is restricted to, and false when v
// is not restricted to one (the system, an ADMIN).
func (v *Viewer) Scope() (root int, scoped bool) {
	if v == nil || v.Unrestricted() {
		return 0, false
	}
	return v.OrgID, true
}

type ctxKey struct{}

// NewContext returns a copy of ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// SystemContext returns a copy of ctx carrying the System viewer.
func SystemContext(ctx context.Context) context.Context {
	return NewContext(ctx, system)
}

// FromContext returns the viewer of ctx, or nil when there is none (an
// anonymous request, or code that forgot to say who it runs as).
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// ErrUnauthenticated is the error for a request without a valid token.
// It wraps privacy.Deny, so errors.Is(err, privacy.Deny) holds.
var ErrUnauthenticated = &apperr.Error{Code: apperr.CodeUnauthorized,
	VI: "cần đăng nhập", EN: "authentication required", Err: privacy.Deny}

// Forbidden returns the FORBIDDEN error for field (empty when no single
// argument is at fault); it wraps privacy.Deny.
func Forbidden(field string) *apperr.Error {
	return &apperr.Error{Code: apperr.CodeForbidden, Field: field,
		VI: "không có quyền truy cập", EN: "access denied", Err: privacy.Deny}
}

// Root returns the organization a request about "everything I may see" is
// about: the viewer's scope root, with scoped true; for an ADMIN or the
// system, scoped is false and the whole tree is allowed. Without a viewer it
// returns UNAUTHENTICATED. Statistics with org = null use it.
func Root(ctx context.Context) (root int, scoped bool, err error) {
	v := FromContext(ctx)
	if v == nil {
		return 0, false, ErrUnauthenticated
	}
	root, scoped = v.Scope()
	return root, scoped, nil
}

// CheckOrg returns nil when the viewer of ctx may see statistics about the
// organization orgID, that is when orgID lies in the viewer's subtree, and a
// FORBIDDEN error (field "org") otherwise, so that an organization outside the
// scope is refused rather than answered with zeros. It must be called by every
// resolver whose SQL does not go through ent's privacy policies (statistics).
func CheckOrg(ctx context.Context, client *ent.Client, orgID int) error {
	v := FromContext(ctx)
	if v == nil {
		return ErrUnauthenticated
	}
	root, scoped := v.Scope()
	if !scoped {
		return nil
	}
	ok, err := client.OrganizationClosure.Query().
		Where(organizationclosure.OrganizationID(root), organizationclosure.DescendantID(orgID)).
		Exist(SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("checking organization scope: %w", err)
	}
	if !ok {
		return Forbidden("org")
	}
	return nil
}

// IsDenied reports whether err is an authorization refusal (UNAUTHENTICATED
// or FORBIDDEN).
func IsDenied(err error) bool {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Code == apperr.CodeForbidden || ae.Code == apperr.CodeUnauthorized
}
