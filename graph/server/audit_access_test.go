package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ketnap/ent"
	"ketnap/ent/accesslog"
	"ketnap/ent/auditevent"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
)

// logged returns the access log rows of user, as "ENTITY:candidate:fields".
func logged(t *testing.T, c *gqltest.Client, user int) []string {
	t.Helper()
	rows, err := c.DB.Client.AccessLog.Query().Where(accesslog.UserID(user)).All(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s:%d:%s", r.Entity, r.CandidateID, r.Fields))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// hasLog reports whether the log holds a row of entity about person.
func hasLog(rows []string, entity accesslog.Entity, person int) bool {
	prefix := fmt.Sprintf("%s:%d:", entity, person)
	return slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, prefix) })
}

// eventIDs returns the ids of the audit events about (typ, id).
func eventIDs(t *testing.T, c *gqltest.Client, typ string, id int) []int {
	t.Helper()
	ids, err := c.DB.Client.AuditEvent.Query().Where(auditevent.EntityType(typ), auditevent.EntityID(id)).IDs(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestAuditTrailAccess checks issue 12, item 1: the audit trail is an
// ADMIN's; an ANALYST reads the events about records of their subtree only;
// a VIEWER none; each read of an event about a person is logged.
func TestAuditTrailAccess(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		cs := clients(t, c, f)
		if len(eventIDs(t, c, ent.TypeCandidate, f.cb)) == 0 {
			t.Fatal("the fixture wrote no audit event")
		}
		type ev struct {
			EntityType string `json:"entityType"`
			EntityID   int    `json:"entityID"`
		}
		list := func(cl *gqltest.Client) ([]ev, error) {
			var out struct {
				AuditEvents struct {
					Edges []struct{ Node ev } `json:"edges"`
				} `json:"auditEvents"`
			}
			err := cl.Do(`{ auditEvents(first: 300) { edges { node { entityType entityID changes { field before after } } } } }`, nil, &out)
			var evs []ev
			for _, e := range out.AuditEvents.Edges {
				evs = append(evs, e.Node)
			}
			return evs, err
		}
		t.Run("viewer", func(t *testing.T) {
			if _, err := list(cs["viewer"]); code(t, err) != "FORBIDDEN" {
				t.Fatalf("a VIEWER read the audit trail: %v", err)
			}
			for _, id := range eventIDs(t, c, ent.TypeCandidate, f.ca) {
				_, raw := cs["viewer"].Post(mustJSON(t, map[string]any{"query": fmt.Sprintf(`{ node(id: %d) { ... on AuditEvent { changes { field after } } } }`, id)}))
				if strings.Contains(string(raw), nameA) || !strings.Contains(string(raw), "FORBIDDEN") {
					t.Fatalf("a VIEWER read an audit event: %s", raw)
				}
			}
		})
		t.Run("anon", func(t *testing.T) {
			if _, err := list(cs["anon"]); code(t, err) != "UNAUTHENTICATED" {
				t.Fatalf("anonymous read of the audit trail: %v", err)
			}
		})
		t.Run("analyst", func(t *testing.T) {
			evs, err := list(cs["analyst"])
			if err != nil {
				t.Fatal(err)
			}
			out := map[int]bool{f.b: true, f.cb: true, f.ab: true, f.eb: true, f.db: true, f.pb: true, f.classB: true, f.root: true}
			in := map[int]bool{}
			for _, e := range evs {
				if out[e.EntityID] {
					t.Errorf("an ANALYST of A read the event about %s %d, outside A", e.EntityType, e.EntityID)
				}
				in[e.EntityID] = true
			}
			for _, id := range []int{f.a, f.a1, f.ca, f.aa, f.ea, f.da, f.pa, f.classA} {
				if !in[id] {
					t.Errorf("the ANALYST misses the events about %d, in A", id)
				}
			}
			for _, id := range eventIDs(t, c, ent.TypeCandidate, f.cb) {
				_, raw := cs["analyst"].Post(mustJSON(t, map[string]any{"query": fmt.Sprintf(`{ node(id: %d) { id } }`, id)}))
				if !strings.Contains(string(raw), "NOT_FOUND") {
					t.Fatalf("an ANALYST read an event outside their scope: %s", raw)
				}
			}
			rows := logged(t, c, cs["analyst"].UserID)
			for _, entity := range []accesslog.Entity{accesslog.EntityAUDIT_EVENT} {
				if !hasLog(rows, entity, f.ca) {
					t.Errorf("no %s access log row for the person of A: %v", entity, rows)
				}
				if hasLog(rows, entity, f.cb) {
					t.Errorf("the log names a person the analyst did not read: %v", rows)
				}
			}
		})
		t.Run("admin", func(t *testing.T) {
			evs, err := list(c)
			if err != nil || len(evs) == 0 {
				t.Fatalf("%d events, %v", len(evs), err)
			}
			rows := logged(t, c, c.UserID)
			if !hasLog(rows, accesslog.EntityAUDIT_EVENT, f.cb) || !hasLog(rows, accesslog.EntityAUDIT_EVENT, f.ca) {
				t.Errorf("the ADMIN's reads of events about persons are not logged: %v", rows)
			}
		})
	})
}

// TestPersonReadsLogged checks issue 12, item 3: reads through enrollments
// and disciplinary actions, and counts narrowed by a personal filter, are
// logged; filters reaching persons from organizations are an ADMIN's.
func TestPersonReadsLogged(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		cs := clients(t, c, f)
		cases := []struct {
			name   string
			query  string
			entity accesslog.Entity
			fields string
		}{
			{"enrollments", `{ enrollments(first: 10) { edges { node { passed } } } }`, accesslog.EntityENROLLMENT, ""},
			{"disciplinaryActions", `{ disciplinaryActions(first: 10) { edges { node { level } } } }`, accesslog.EntityDISCIPLINARY_ACTION, ""},
			{"class-enrollments", fmt.Sprintf(`{ node(id: %d) { ... on TrainingClass { enrollments { passed } } } }`, f.classR), accesslog.EntityENROLLMENT, ""},
			{"count-by-name", `{ candidates(where: {fullNameContains: "Hoa"}) { totalCount } }`, accesslog.EntityCANDIDATE, "full_name"},
			{"count-by-religion", `{ candidates(where: {or: [{religion: ""}, {religionIsNil: true}]}) { totalCount } }`, accesslog.EntityCANDIDATE, "religion"},
			{"admission-count", `{ admissions(where: {decisionNoContains: "QĐ"}) { totalCount } }`, accesslog.EntityADMISSION, "decision_no"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				an := c.As(t, viewer.RoleAnalyst, f.a)
				var out map[string]any
				if err := an.Do(tc.query, nil, &out); err != nil {
					t.Fatal(err)
				}
				rows := logged(t, c, an.UserID)
				if !hasLog(rows, tc.entity, f.ca) {
					t.Fatalf("no %s read of the person logged: %v", tc.entity, rows)
				}
				if tc.fields != "" && !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, tc.fields) }) {
					t.Errorf("the log does not say the filter tested %s: %v", tc.fields, rows)
				}
				if hasLog(rows, tc.entity, f.cb) {
					t.Errorf("the log names a person out of scope: %v", rows)
				}
			})
		}
		t.Run("unfiltered-count-is-no-read", func(t *testing.T) {
			an := c.As(t, viewer.RoleAnalyst, f.a)
			var out map[string]any
			an.MustDo(`{ candidates { totalCount } }`, nil, &out)
			if rows := logged(t, c, an.UserID); len(rows) != 0 {
				t.Fatalf("a bare count was logged as reads: %v", rows)
			}
		})
		t.Run("nested-personal-filter", func(t *testing.T) {
			var out map[string]any
			err := cs["analyst"].Do(fmt.Sprintf(`{ node(id: %d) { ... on Organization { candidates(where: {ethnicity: "Kinh"}) { totalCount } } } }`, f.a1), nil, &out)
			if code(t, err) != "INVALID_ARGUMENT" {
				t.Fatalf("a nested count by a personal filter went unlogged: %v %v", out, err)
			}
		})
		for _, role := range []string{"analyst", "viewer"} {
			t.Run("edge-filter/"+role, func(t *testing.T) {
				var out map[string]any
				err := cs[role].Do(`{ organizations(where: {hasCandidatesWith: [{ethnicity: "Khmer"}]}) { totalCount } }`, nil, &out)
				if code(t, err) != "FORBIDDEN" {
					t.Fatalf("a %s filtered organizations by their candidates' ethnicity: %v %v", role, out, err)
				}
			})
		}
	})
}
