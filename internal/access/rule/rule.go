// Package rule holds ketnap's privacy policies: who may read and change
// which rows, decided at the data layer from the viewer in the context (see
// internal/access/viewer), so that every path (connections, node lookups, nested edges,
// hooks) obeys the same scope. Queries are filtered to the viewer's subtree
// rather than refused; personal records are refused outright to a VIEWER.
package rule

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/annualplan"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
	"ketnap/ent/intercept"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/privacy"
	"ketnap/ent/token"
	"ketnap/ent/trainingclass"
	"ketnap/ent/user"
	"ketnap/internal/access/viewer"
	"ketnap/internal/tree"
)

// Scope describes where an entity's rows sit in the organization tree, for a
// viewer scoped to the subtree of root.
type Scope struct {
	// Read keeps the rows a scoped viewer may read.
	Read func(root int) func(*sql.Selector)
	// Write keeps the rows a scoped ANALYST may change or delete; nil when
	// only an ADMIN may write.
	Write func(root int) func(*sql.Selector)
	// Refs are the fields that place a row; a new value must point inside
	// the scope.
	Refs []Ref
	// Personal marks records about a person, which a VIEWER may never read.
	Personal bool
	// Unique checks a scoped ANALYST's write of unique personal values
	// (see CandidateUnique); nil when the entity has none.
	Unique func(context.Context, ent.Mutation) error
}

// Ref is a field that places a row in the tree, such as organization_id.
type Ref struct {
	// Field is the ent field name.
	Field string
	// Arg is the GraphQL input name, for errors.
	Arg string
	// Required refuses a create without it, or clearing it, to a scoped
	// viewer (an analyst may not create a root organization).
	Required bool
	// In reports whether id lies in the scope of the viewer of ctx.
	In func(ctx context.Context, c *ent.Client, root, id int) (bool, error)
}

// Policy returns the privacy policy of an entity with scope s.
func Policy(s Scope) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{scopedQuery(s)},
		Mutation: privacy.MutationPolicy{scopedMutation(s)},
	}
}

func scopedQuery(s Scope) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		switch {
		case v == nil:
			return viewer.ErrUnauthenticated
		case v.Unrestricted():
			return privacy.Allow
		case s.Personal && v.Role != viewer.RoleAnalyst:
			return viewer.Forbidden("")
		case v.Role != viewer.RoleAnalyst && v.Role != viewer.RoleViewer:
			return viewer.Forbidden("")
		}
		return filterQuery(q, s.Read(v.OrgID))
	})
}

func scopedMutation(s Scope) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		switch {
		case v == nil:
			return viewer.ErrUnauthenticated
		case v.Unrestricted():
			return privacy.Allow
		case v.Role != viewer.RoleAnalyst || s.Write == nil:
			return viewer.Forbidden("")
		}
		if err := checkEdges(m, s.Refs); err != nil {
			return err
		}
		if !m.Op().Is(ent.OpCreate) {
			if err := filterMutation(m, s.Write(v.OrgID)); err != nil {
				return err
			}
		}
		if err := checkRefs(ctx, m, v.OrgID, s.Refs); err != nil {
			return err
		}
		if s.Unique != nil {
			if err := s.Unique(ctx, m); err != nil {
				return err
			}
		}
		return privacy.Allow
	})
}

// checkEdges refuses a change to any edge but those of the refs (the edge of
// a field x_id is x): changing another edge (an organization's children, a
// candidate's admission) would move rows the refs do not check.
func checkEdges(m ent.Mutation, refs []Ref) error {
	allowed := make(map[string]bool, len(refs))
	for _, r := range refs {
		allowed[strings.TrimSuffix(r.Field, "_id")] = true
	}
	for _, edges := range [][]string{m.AddedEdges(), m.RemovedEdges(), m.ClearedEdges()} {
		for _, e := range edges {
			if !allowed[e] {
				return viewer.Forbidden("")
			}
		}
	}
	return nil
}

// checkRefs refuses a mutation that would place a row outside the scope.
func checkRefs(ctx context.Context, m ent.Mutation, root int, refs []Ref) error {
	if len(refs) == 0 {
		return nil
	}
	cm, ok := m.(interface{ Client() *ent.Client })
	if !ok {
		return viewer.Forbidden("")
	}
	c := cm.Client()
	for _, r := range refs {
		val, set := m.Field(r.Field)
		if !set {
			if r.Required && (m.Op().Is(ent.OpCreate) || m.FieldCleared(r.Field)) {
				return viewer.Forbidden(r.Arg)
			}
			continue
		}
		id, ok := val.(int)
		if !ok {
			return viewer.Forbidden(r.Arg)
		}
		in, err := r.In(ctx, c, root, id)
		if err != nil {
			return fmt.Errorf("checking %s scope: %w", r.Arg, err)
		}
		if !in {
			return viewer.Forbidden(r.Arg)
		}
	}
	return nil
}

func filterQuery(q ent.Query, p func(*sql.Selector)) error {
	iq, err := intercept.NewQuery(q)
	if err != nil {
		return viewer.Forbidden("")
	}
	iq.WhereP(p)
	return privacy.Allow
}

func filterMutation(m ent.Mutation, p func(*sql.Selector)) error {
	w, ok := m.(interface{ WhereP(...func(*sql.Selector)) })
	if !ok {
		return viewer.Forbidden("")
	}
	w.WhereP(p)
	return nil
}

// InSubtree keeps the rows whose column (an organization id) lies in the
// subtree of root.
func InSubtree(column string) func(root int) func(*sql.Selector) {
	return func(root int) func(*sql.Selector) { return tree.In(column, root) }
}

// InSubtreeOrAbove keeps the rows whose column lies in the subtree of root or
// on the path from the tree's root down to it: an analyst of a grassroots
// organization sees the committees above it (breadcrumbs) and the classes
// they hold for its candidates, but not its sibling organizations.
func InSubtreeOrAbove(column string) func(root int) func(*sql.Selector) {
	return func(root int) func(*sql.Selector) {
		return func(s *sql.Selector) {
			s.Where(sql.Or(
				sql.In(s.C(column), tree.Subtree(root)),
				sql.In(s.C(column), tree.Ancestors(root)),
			))
		}
	}
}

// ViaCandidate keeps the rows whose column (a candidate id) names a
// candidate followed in the subtree of root.
func ViaCandidate(column string) func(root int) func(*sql.Selector) {
	return via(column, candidate.Table, candidate.FieldID, candidate.FieldOrganizationID)
}

// ViaAdmission keeps the rows whose column (an admission id) names an
// admission made in the subtree of root.
func ViaAdmission(column string) func(root int) func(*sql.Selector) {
	return via(column, admission.Table, admission.FieldID, admission.FieldOrganizationID)
}

func via(column, table, id, org string) func(root int) func(*sql.Selector) {
	return func(root int) func(*sql.Selector) {
		return func(s *sql.Selector) {
			t := sql.Table(table)
			s.Where(sql.In(s.C(column), sql.Select(t.C(id)).From(t).Where(sql.In(t.C(org), tree.Subtree(root)))))
		}
	}
}

// OrgInSubtree reports whether organization id lies in the subtree of root.
func OrgInSubtree(ctx context.Context, c *ent.Client, root, id int) (bool, error) {
	return c.OrganizationClosure.Query().
		Where(organizationclosure.OrganizationID(root), organizationclosure.DescendantID(id)).
		Exist(ctx)
}

// CandidateVisible reports whether the viewer of ctx may read candidate id.
func CandidateVisible(ctx context.Context, c *ent.Client, _, id int) (bool, error) {
	return c.Candidate.Query().Where(candidate.ID(id)).Exist(ctx)
}

// AdmissionVisible reports whether the viewer of ctx may read admission id.
func AdmissionVisible(ctx context.Context, c *ent.Client, _, id int) (bool, error) {
	return c.Admission.Query().Where(admission.ID(id)).Exist(ctx)
}

// ClassVisible reports whether the viewer of ctx may read training class id.
func ClassVisible(ctx context.Context, c *ent.Client, _, id int) (bool, error) {
	return c.TrainingClass.Query().Where(trainingclass.ID(id)).Exist(ctx)
}

// ClosurePolicy lets any signed-in viewer read the closure table (ids only;
// subtree predicates and hooks need it) and lets those who may change the
// tree write it: the organization hooks write it after the Organization
// policy has allowed the change.
func ClosurePolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
			if viewer.FromContext(ctx) == nil {
				return viewer.ErrUnauthenticated
			}
			return privacy.Allow
		})},
		Mutation: privacy.MutationPolicy{privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.Unrestricted() || v.Role == viewer.RoleAnalyst:
				return privacy.Allow
			}
			return viewer.Forbidden("")
		})},
	}
}

// NamesPolicy scopes the reads of organizations' names (OrganizationName)
// like the organizations themselves: a scoped viewer reads the names of the
// organizations in their subtree and above it, not those of their siblings.
// Writes are those of the tree (ClosurePolicy): the rename hooks write them
// after the Organization policy has allowed the change.
func NamesPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{scopedQuery(Scope{Read: InSubtreeOrAbove("organization_id")})},
		Mutation: ClosurePolicy().(privacy.Policy).Mutation,
	}
}

// UserPolicy lets an ADMIN read and manage users, and anyone else read only
// themselves.
func UserPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.Unrestricted():
				return privacy.Allow
			}
			return filterQuery(q, sql.FieldEQ(user.FieldID, v.UserID))
		})},
		Mutation: privacy.MutationPolicy{adminOnly()},
	}
}

// TokenPolicy lets users read, create and revoke their own tokens, and an
// ADMIN everyone's.
func TokenPolicy() ent.Policy {
	own := func(v *viewer.Viewer) func(*sql.Selector) { return sql.FieldEQ(token.FieldUserID, v.UserID) }
	return privacy.Policy{
		Query: privacy.QueryPolicy{privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.Unrestricted():
				return privacy.Allow
			}
			return filterQuery(q, own(v))
		})},
		Mutation: privacy.MutationPolicy{privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.Unrestricted():
				return privacy.Allow
			}
			if u, ok := m.Field(token.FieldUserID); ok && u != v.UserID {
				return viewer.Forbidden("")
			}
			if m.Op().Is(ent.OpCreate) {
				return privacy.Allow
			}
			if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
				return viewer.Forbidden("")
			}
			if err := filterMutation(m, own(v)); err != nil {
				return err
			}
			return privacy.Allow
		})},
	}
}

// AccessLogPolicy lets an ADMIN read the access log and only the system
// (the audit interceptor) write it: the log is append-only for everyone else.
func AccessLogPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{adminOnlyQuery()},
		Mutation: privacy.MutationPolicy{privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
			return decide(ctx, (*viewer.Viewer).IsSystem)
		})},
	}
}

// decide allows the viewer of ctx when ok says so; it refuses the anonymous
// (UNAUTHENTICATED) and everyone else (FORBIDDEN).
func decide(ctx context.Context, ok func(*viewer.Viewer) bool) error {
	v := viewer.FromContext(ctx)
	switch {
	case v == nil:
		return viewer.ErrUnauthenticated
	case ok(v):
		return privacy.Allow
	}
	return viewer.Forbidden("")
}

func adminOnly() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		return decide(ctx, (*viewer.Viewer).Unrestricted)
	})
}

func adminOnlyQuery() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		return decide(ctx, (*viewer.Viewer).Unrestricted)
	})
}

// AuditPolicy lets an ADMIN read the whole audit trail, an ANALYST only the
// events about records in their subtree (sensitive values are masked when
// written), and refuses it to everyone else; only the system (the audit
// hook) writes it.
func AuditPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.Unrestricted():
				return privacy.Allow
			case v.Role != viewer.RoleAnalyst:
				return viewer.Forbidden("")
			}
			return filterQuery(q, AuditInSubtree(v.OrgID))
		})},
		Mutation: privacy.MutationPolicy{privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
			// The audit hook writes events with the client of the change's
			// transaction, under the viewer who made the change; nobody
			// changes or deletes one.
			v := viewer.FromContext(ctx)
			switch {
			case v == nil:
				return viewer.ErrUnauthenticated
			case v.IsSystem() || m.Op().Is(ent.OpCreate):
				return privacy.Allow
			}
			return viewer.Forbidden("")
		})},
	}
}

// AuditInSubtree keeps the audit events whose record (entity_type,
// entity_id) lies in the subtree of root today. Events about records since
// deleted, or moved out, are an ADMIN's to read.
func AuditInSubtree(root int) func(*sql.Selector) {
	return func(s *sql.Selector) {
		typ, id := s.C("entity_type"), s.C("entity_id")
		placed := func(entity, table, column string) *sql.Predicate {
			t := sql.Table(table)
			return sql.And(sql.EQ(typ, entity),
				sql.In(id, sql.Select(t.C("id")).From(t).Where(sql.In(t.C(column), tree.Subtree(root)))))
		}
		viaCandidate := func(entity, table string) *sql.Predicate {
			t, c := sql.Table(table), sql.Table(candidate.Table)
			return sql.And(sql.EQ(typ, entity), sql.In(id, sql.Select(t.C("id")).From(t).Where(sql.In(t.C("candidate_id"),
				sql.Select(c.C(candidate.FieldID)).From(c).Where(sql.In(c.C(candidate.FieldOrganizationID), tree.Subtree(root)))))))
		}
		viaAdmission := func(entity, table string) *sql.Predicate {
			t, a := sql.Table(table), sql.Table(admission.Table)
			return sql.And(sql.EQ(typ, entity), sql.In(id, sql.Select(t.C("id")).From(t).Where(sql.In(t.C("admission_id"),
				sql.Select(a.C(admission.FieldID)).From(a).Where(sql.In(a.C(admission.FieldOrganizationID), tree.Subtree(root)))))))
		}
		s.Where(sql.Or(
			sql.And(sql.EQ(typ, ent.TypeOrganization), sql.In(id, tree.Subtree(root))),
			placed(ent.TypeCandidate, candidate.Table, candidate.FieldOrganizationID),
			placed(ent.TypeAdmission, admission.Table, admission.FieldOrganizationID),
			placed(ent.TypeTrainingClass, trainingclass.Table, trainingclass.FieldOrganizerID),
			placed(ent.TypeAnnualPlan, annualplan.Table, annualplan.FieldOrganizationID),
			viaCandidate(ent.TypeEnrollment, enrollment.Table),
			viaAdmission(ent.TypeDisciplinaryAction, disciplinaryaction.Table),
		))
	}
}
