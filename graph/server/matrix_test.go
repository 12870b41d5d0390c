package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ketnap/ent"
	"ketnap/ent/accesslog"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
)

// The schema as introspection tells it, enough to walk it.
type introType struct {
	Kind   string     `json:"kind"`
	Name   string     `json:"name"`
	OfType *introType `json:"ofType"`
}

type introField struct {
	Name string `json:"name"`
	Args []struct {
		Name string    `json:"name"`
		Type introType `json:"type"`
	} `json:"args"`
	Type introType `json:"type"`
}

type introSchema struct {
	QueryType struct {
		Name string `json:"name"`
	} `json:"queryType"`
	Types []struct {
		Name       string       `json:"name"`
		Kind       string       `json:"kind"`
		Interfaces []introType  `json:"interfaces"`
		Fields     []introField `json:"fields"`
	} `json:"types"`
}

const introQuery = `{ __schema { queryType { name } types { name kind interfaces { name }
	fields { name args { name type { ...T } } type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

// named unwraps NON_NULL and LIST: the named type and whether a list was on
// the way.
func (t introType) named() (string, bool) {
	list := false
	for t.OfType != nil {
		list = list || t.Kind == "LIST"
		t = *t.OfType
	}
	return t.Name, list
}

// The README's security section, as a table: which node types are about a
// person (refused to a VIEWER, each read logged) and how each type's rows
// are scoped.
var (
	personal = map[string]accesslog.Entity{
		"Candidate": accesslog.EntityCANDIDATE, "Admission": accesslog.EntityADMISSION,
		"Enrollment": accesslog.EntityENROLLMENT, "DisciplinaryAction": accesslog.EntityDISCIPLINARY_ACTION,
		"AuditEvent": accesslog.EntityAUDIT_EVENT,
	}
	// scoped types: an ANALYST or VIEWER sees the rows in (or, for
	// organizations and classes, above) their subtree.
	scopedTypes = map[string]bool{"Organization": true, "OrganizationName": true, "TrainingClass": true, "AnnualPlan": true}
)

// instance is one row of the fixture the matrix asks for.
type instance struct {
	typ     string
	id      int
	inScope bool // for organization A's ANALYST and VIEWER
	person  int  // the candidate it is about, 0 if none
	owner   int  // for users: the user itself
}

// expect is what role may do with one row: "" (read it), NOT_FOUND,
// FORBIDDEN or UNAUTHENTICATED.
func expect(role string, self int, in instance) string {
	switch {
	case role == "anon":
		return "UNAUTHENTICATED"
	case role == "admin":
		return ""
	case in.typ == "AccessLog":
		return "FORBIDDEN"
	case in.typ == "User":
		if in.owner == self {
			return ""
		}
		return "NOT_FOUND"
	case role == "viewer" && personal[in.typ] != "":
		return "FORBIDDEN"
	case in.inScope:
		return ""
	}
	return "NOT_FOUND"
}

// listCode is the error a root connection of typ answers role with.
func listCode(role, typ string) string {
	switch {
	case role == "anon":
		return "UNAUTHENTICATED"
	case role == "admin":
		return ""
	case typ == "AccessLog", role == "viewer" && personal[typ] != "":
		return "FORBIDDEN"
	}
	return ""
}

// idsIn collects every "id" of a GraphQL answer's data.
func idsIn(v any, out map[int]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "id" {
				if n, err := strconv.Atoi(s); err == nil {
					out[n] = true
				}
				continue
			}
			idsIn(e, out)
		}
	case []any:
		for _, e := range x {
			idsIn(e, out)
		}
	}
}

// ask posts query and returns the ids in its data and its error codes.
func ask(t *testing.T, c *gqltest.Client, query string, vars map[string]any) (map[int]bool, []string) {
	t.Helper()
	_, raw := c.Post(mustJSON(t, map[string]any{"query": query, "variables": vars}))
	var r struct {
		Data   any            `json:"data"`
		Errors gqltest.Errors `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("%s: %s", query, raw)
	}
	ids := map[int]bool{}
	idsIn(r.Data, ids)
	var codes []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		codes = append(codes, c)
	}
	return ids, codes
}

// TestSchemaMatrix checks issue 12's matrix, generated from the schema so
// that a new type, root or field cannot escape it: every role × every query
// root, every node type, and every field that leads to a person → allowed or
// denied as the README's security section says; every allowed read of a
// person is in the access log.
func TestSchemaMatrix(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		cs := clients(t, c, f)
		sys := viewer.SystemContext(context.Background())
		// Audit events about both persons, made by the ADMIN.
		for i, id := range []int{f.ca, f.cb} {
			c.MustDo(`mutation($id: ID!, $p: String!) { updateCandidate(id: $id, input: {phone: $p}) { id } }`,
				map[string]any{"id": id, "p": fmt.Sprintf("090000000%d", i)}, nil)
		}
		// A read of the ADMIN's, so the access log has a row.
		c.MustDo(fmt.Sprintf(`{ node(id: %d) { ... on Candidate { fullName } } }`, f.ca), nil, nil)

		var insts []instance
		add := func(typ string, id int, in bool, person int) {
			insts = append(insts, instance{typ: typ, id: id, inScope: in, person: person})
		}
		for _, o := range []struct {
			id int
			in bool
		}{{f.root, true}, {f.a, true}, {f.a1, true}, {f.b, false}} {
			add("Organization", o.id, o.in, 0)
			for _, n := range c.DB.Client.Organization.GetX(sys, o.id).QueryNames().AllX(sys) {
				add("OrganizationName", n.ID, o.in, 0)
			}
		}
		add("TrainingClass", f.classR, true, 0)
		add("TrainingClass", f.classA, true, 0)
		add("TrainingClass", f.classB, false, 0)
		add("AnnualPlan", f.pa, true, 0)
		add("AnnualPlan", f.pb, false, 0)
		family := map[int]int{}
		for _, p := range []struct{ c, a, e, d int }{{f.ca, f.aa, f.ea, f.da}, {f.cb, f.ab, f.eb, f.db}} {
			in := p.c == f.ca
			add("Candidate", p.c, in, p.c)
			add("Admission", p.a, in, p.c)
			add("Enrollment", p.e, in, p.c)
			add("DisciplinaryAction", p.d, in, p.c)
			for _, id := range []int{p.c, p.a, p.e, p.d} {
				family[id] = p.c
			}
		}
		for _, e := range c.DB.Client.AuditEvent.Query().AllX(sys) {
			if person, ok := family[e.EntityID]; ok && e.EntityType != ent.TypeOrganization {
				add("AuditEvent", e.ID, person == f.ca, person)
			}
		}
		for _, l := range c.DB.Client.AccessLog.Query().AllX(sys) {
			add("AccessLog", l.ID, false, 0)
		}
		for _, role := range []string{"admin", "analyst", "viewer"} {
			insts = append(insts, instance{typ: "User", id: cs[role].UserID, owner: cs[role].UserID})
		}
		byID := map[int]instance{}
		for _, in := range insts {
			byID[in.id] = in
		}

		var schema struct {
			Schema introSchema `json:"__schema"`
		}
		c.MustDo(introQuery, nil, &schema)
		types := map[string]int{}
		for i, ty := range schema.Schema.Types {
			types[ty.Name] = i
		}
		isNode := func(name string) bool {
			i, ok := types[name]
			return ok && slices.ContainsFunc(schema.Schema.Types[i].Interfaces, func(t introType) bool { return t.Name == "Node" })
		}
		// connNode returns the node type of a connection type, or "".
		connNode := func(name string) string {
			if !strings.HasSuffix(name, "Connection") {
				return ""
			}
			for _, fl := range schema.Schema.Types[types[name]].Fields {
				if fl.Name == "edges" {
					edge, _ := fl.Type.named()
					for _, ef := range schema.Schema.Types[types[edge]].Fields {
						if ef.Name == "node" {
							n, _ := ef.Type.named()
							return n
						}
					}
				}
			}
			return ""
		}
		// selection asks for id and one scalar of typ, so the read is a read
		// of the record, not of an id list.
		selection := func(typ string) string {
			for _, fl := range schema.Schema.Types[types[typ]].Fields {
				n, list := fl.Type.named()
				k := schema.Schema.Types[types[n]].Kind
				if fl.Name != "id" && !list && len(fl.Args) == 0 && (k == "SCALAR" || k == "ENUM") {
					return fmt.Sprintf("{ id %s }", fl.Name)
				}
			}
			return "{ id }"
		}

		// checkLogged fails unless every person record of ids read by role
		// since access log row `after` is in the access log.
		lastLog := func() int {
			l, err := c.DB.Client.AccessLog.Query().Order(ent.Desc(accesslog.FieldID)).First(sys)
			if ent.IsNotFound(err) {
				return 0
			}
			if err != nil {
				t.Fatal(err)
			}
			return l.ID
		}
		logged, nested := 0, 0
		var statsPersons [][2]string
		checkLogged := func(t *testing.T, role string, after int, ids map[int]bool) {
			t.Helper()
			for id := range ids {
				in, ok := byID[id]
				if !ok || in.person == 0 || role == "anon" {
					continue
				}
				logged++
				n := c.DB.Client.AccessLog.Query().Where(accesslog.IDGT(after), accesslog.UserID(cs[role].UserID),
					accesslog.CandidateID(in.person), accesslog.EntityEQ(personal[in.typ])).CountX(sys)
				if n == 0 {
					t.Errorf("%s read %s %d of person %d and the access log has no row of it", role, in.typ, id, in.person)
				}
			}
		}
		var nodeTypes []string
		for _, ty := range schema.Schema.Types {
			if ty.Kind == "OBJECT" && isNode(ty.Name) {
				nodeTypes = append(nodeTypes, ty.Name)
			}
		}

		// Every node type, every instance, every role, through node(id).
		for _, typ := range nodeTypes {
			if !slices.ContainsFunc(insts, func(in instance) bool { return in.typ == typ }) {
				t.Errorf("node type %s has no row in the matrix: add it to the fixture and to the README's rules", typ)
				continue
			}
			if personal[typ] == "" && !scopedTypes[typ] && typ != "User" && typ != "AccessLog" {
				t.Errorf("node type %s has no rule in the matrix", typ)
			}
			q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s %s } }`, typ, selection(typ))
			for _, in := range insts {
				if in.typ != typ {
					continue
				}
				for _, role := range roles {
					t.Run(fmt.Sprintf("node/%s/%d/%s", typ, in.id, role), func(t *testing.T) {
						want := expect(role, cs[role].UserID, in)
						after := lastLog()
						ids, codes := ask(t, cs[role], q, map[string]any{"id": in.id})
						got := ""
						if len(codes) > 0 {
							got = codes[0]
						}
						if got != want || (want == "") != ids[in.id] {
							t.Fatalf("codes %v, read %v; want %q", codes, ids[in.id], want)
						}
						checkLogged(t, role, after, ids)
					})
				}
			}
		}

		// Every query root.
		special := map[string]func(t *testing.T, role string){
			"node": nil, // above
			"nodes": func(t *testing.T, role string) {
				var all []int
				for _, in := range insts {
					all = append(all, in.id)
				}
				after := lastLog()
				ids, codes := ask(t, cs[role], `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": all})
				for _, in := range insts {
					if want := expect(role, cs[role].UserID, in); (want == "") != ids[in.id] {
						t.Errorf("nodes: %s %d read %v, want %q (codes %v)", in.typ, in.id, ids[in.id], want, codes)
					}
				}
				checkLogged(t, role, after, ids)
			},
			"me": func(t *testing.T, role string) {
				ids, codes := ask(t, cs[role], `{ me { id } }`, nil)
				if role == "anon" {
					if !slices.Contains(codes, "UNAUTHENTICATED") {
						t.Errorf("me without a token: %v", codes)
					}
				} else if !ids[cs[role].UserID] || len(codes) > 0 {
					t.Errorf("me: %v %v", ids, codes)
				}
			},
			"apiTokens": func(t *testing.T, role string) {
				_, codes := ask(t, cs[role], `{ apiTokens { id } }`, nil)
				if (role == "anon") != slices.Contains(codes, "UNAUTHENTICATED") || (role != "anon" && len(codes) > 0) {
					t.Errorf("apiTokens: %v", codes)
				}
			},
			"stats": func(t *testing.T, role string) {
				ids, codes := ask(t, cs[role], `{ stats(from: "2024-01-01", to: "2024-12-31") { admitted } }`, nil)
				if (role == "anon") != slices.Contains(codes, "UNAUTHENTICATED") || (role != "anon" && len(codes) > 0) || len(ids) > 0 {
					t.Errorf("stats: %v %v", ids, codes)
				}
			},
		}
		for _, root := range schema.Schema.Types[types[schema.Schema.QueryType.Name]].Fields {
			rt, _ := root.Type.named()
			node := connNode(rt)
			fn, isSpecial := special[root.Name]
			switch {
			case isSpecial && fn == nil:
				continue
			case isSpecial:
				for _, role := range roles {
					t.Run("root/"+root.Name+"/"+role, func(t *testing.T) { fn(t, role) })
				}
				continue
			case node == "":
				t.Errorf("query root %s is neither a connection nor in the matrix", root.Name)
				continue
			}
			q := fmt.Sprintf(`{ %s(first: 1000) { edges { node %s } } }`, root.Name, selection(node))
			for _, role := range roles {
				t.Run("root/"+root.Name+"/"+role, func(t *testing.T) {
					after := lastLog()
					ids, codes := ask(t, cs[role], q, nil)
					want := listCode(role, node)
					if got := strings.Join(codes, ","); (want == "" && got != "") || (want != "" && !slices.Contains(codes, want)) {
						t.Fatalf("codes %v, want %q", codes, want)
					}
					for _, in := range insts {
						if in.typ != node {
							continue
						}
						if ok := expect(role, cs[role].UserID, in) == "" && want == ""; ok != ids[in.id] {
							t.Errorf("%s %d: listed %v, want %v", in.typ, in.id, ids[in.id], ok)
						}
					}
					checkLogged(t, role, after, ids)
				})
			}
		}

		// Every field of a node type that leads to a person (or an audit
		// event), from every row of that type.
		for _, ty := range schema.Schema.Types {
			if ty.Kind != "OBJECT" || strings.HasPrefix(ty.Name, "__") || ty.Name == schema.Schema.QueryType.Name || ty.Name == "Mutation" {
				continue
			}
			for _, fl := range ty.Fields {
				target, _ := fl.Type.named()
				if n := connNode(target); n != "" {
					target = n
				}
				if personal[target] == "" {
					continue
				}
				if !isNode(ty.Name) {
					if ty.Name == "Stats" {
						// The records behind a figure: reached from the root
						// stats below.
						statsPersons = append(statsPersons, [2]string{fl.Name, target})
						continue
					}
					if !strings.HasSuffix(ty.Name, "Connection") && !strings.HasSuffix(ty.Name, "Edge") {
						t.Errorf("%s.%s leads to a %s from a type the matrix cannot reach", ty.Name, fl.Name, target)
					}
					continue
				}
				sel := selection(target)
				if connNode(func() string { n, _ := fl.Type.named(); return n }()) != "" {
					sel = fmt.Sprintf("(first: 100) { edges { node %s } }", sel)
				}
				nested++
				q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s { id %s %s } } }`, ty.Name, fl.Name, sel)
				for _, parent := range insts {
					if parent.typ != ty.Name {
						continue
					}
					for _, role := range roles {
						t.Run(fmt.Sprintf("nested/%s.%s/%d/%s", ty.Name, fl.Name, parent.id, role), func(t *testing.T) {
							after := lastLog()
							ids, codes := ask(t, cs[role], q, map[string]any{"id": parent.id})
							delete(ids, parent.id)
							// The parent's own rule first; a VIEWER who may read
							// the parent is refused the persons under it.
							want := expect(role, cs[role].UserID, parent)
							if want == "" && role == "viewer" {
								want = "FORBIDDEN"
							}
							if (want == "" && len(codes) > 0) || (want != "" && !slices.Contains(codes, want)) {
								t.Fatalf("codes %v, want %q", codes, want)
							}
							for id := range ids {
								in, ok := byID[id]
								if !ok {
									t.Fatalf("read %d, not a row of the fixture", id)
								}
								if want := expect(role, cs[role].UserID, in); want != "" {
									t.Errorf("%s read %s %d through %s.%s: want %s", role, in.typ, id, ty.Name, fl.Name, want)
								}
							}
							checkLogged(t, role, after, ids)
						})
					}
				}
			}
		}
		// The records behind the figures of Stats (issue 15, item 13): the
		// caller's scope, FORBIDDEN to a VIEWER, every read logged.
		for _, f := range statsPersons {
			q := fmt.Sprintf(`{ stats(from: "2000-01-01", to: "2049-12-31") { %s(first: 1000) { edges { node %s } } } }`, f[0], selection(f[1]))
			nested++
			for _, role := range roles {
				t.Run(fmt.Sprintf("stats/%s/%s", f[0], role), func(t *testing.T) {
					after := lastLog()
					ids, codes := ask(t, cs[role], q, nil)
					want := listCode(role, f[1])
					if got := strings.Join(codes, ","); (want == "" && got != "") || (want != "" && !slices.Contains(codes, want)) {
						t.Fatalf("codes %v, want %q", codes, want)
					}
					for id := range ids {
						in, ok := byID[id]
						if !ok {
							t.Fatalf("read %d, not a row of the fixture", id)
						}
						if w := expect(role, cs[role].UserID, in); w != "" {
							t.Errorf("%s read %s %d through Stats.%s: want %s", role, in.typ, id, f[0], w)
						}
					}
					checkLogged(t, role, after, ids)
				})
			}
		}
		// Sanity: the walk found the nested lists, and reads to check.
		if nested < 10 || logged < 50 {
			t.Fatalf("the matrix walked %d nested fields and checked %d reads in the access log", nested, logged)
		}
		t.Logf("%d nested fields to persons, %d person reads checked in the access log", nested, logged)
	})
}
