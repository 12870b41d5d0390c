package stats_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/ent/accesslog"
	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db/dbtest"
)

// recordsQuery asks for every figure with records behind it, the records'
// totals, a bucket's total, the organizations without admissions and the
// children ordered by a figure.
const recordsQuery = `query($org: ID, $from: Date!, $to: Date!, $tree: TreeView, $by: Dimension!, $key: String!,
  $field: StatsChildOrderField!, $dir: OrderDirection!, $first: Int) {
  stats(org: $org, from: $from, to: $to, tree: $tree) {
    admitted pipeline trainees
    bucket: breakdown(by: $by) { key count }
    admissions { totalCount }
    inBucket: admissions(bucket: {by: $by, key: $key}) { totalCount }
    pipelineCandidates { totalCount edges { node { id } } }
    certifiedTrainees { totalCount edges { node { id } } }
    organizationsWithoutAdmissions(first: 1000) { totalCount edges { node { id } } }
    ordered: children(orderBy: {field: $field, direction: $dir}) { organization { id } }
    cut: children(orderBy: {field: $field, direction: $dir}, first: $first) { organization { id } }
  }
}`

type conn struct {
	TotalCount int
	Edges      []struct{ Node struct{ ID string } }
	PageInfo   struct {
		HasNextPage bool
		EndCursor   *string
	}
}

func (c conn) ids() []string {
	out := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node.ID
	}
	return out
}

func strIDs(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = itoa(id)
	}
	return out
}

type childRef struct{ Organization *oRef }

func childIDs(cs []childRef) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Organization.ID
	}
	return out
}

// walkAdmissions pages through the admissions of stats (of the bucket, if
// any) pageSize at a time and returns the ids in order.
func walkAdmissions(t *testing.T, c *gqltest.Client, vars map[string]any, bucket bool, pageSize int) []string {
	t.Helper()
	arg, decl := "", ""
	if bucket {
		arg, decl = ", bucket: {by: $by, key: $key}", ", $by: Dimension!, $key: String!"
	}
	q := `query($org: ID, $from: Date!, $to: Date!, $tree: TreeView` + decl + `, $n: Int, $after: Cursor) {
  stats(org: $org, from: $from, to: $to, tree: $tree) {
    admissions(first: $n, after: $after` + arg + `) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }
  }
}`
	var out []string
	v := map[string]any{}
	for _, k := range []string{"org", "from", "to", "tree", "by", "key"} {
		if x, ok := vars[k]; ok && (bucket || (k != "by" && k != "key")) {
			v[k] = x
		}
	}
	v["n"] = pageSize
	for pages := 0; pages < 10000; pages++ {
		var got struct{ Stats struct{ Admissions conn } }
		c.MustDo(q, v, &got)
		out = append(out, got.Stats.Admissions.ids()...)
		if !got.Stats.Admissions.PageInfo.HasNextPage {
			return out
		}
		v["after"] = *got.Stats.Admissions.PageInfo.EndCursor
	}
	t.Fatal("paging does not end")
	return nil
}

var childFields = []string{"ADMITTED", "TARGET_ATTAINMENT", "ADMISSION_RATE", "TRAINEES", "PIPELINE"}

// TestRecordsAgainstOracle checks, for random subtrees, periods and
// buckets of random datasets in both tree views, that each connection of
// records holds exactly the oracle's rows, its totalCount equal to the
// figure (and the bucket's count), that paging walks each row once, and
// that the children come in the oracle's order.
func TestRecordsAgainstOracle(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				c := gqltest.New(t, dialect, server.Config{ComplexityLimit: 1 << 30})
				generate(t, c.DB.Client, seed, smallGen)
				r := rand.New(rand.NewPCG(seed, 11))
				if seed > 1 {
					restructure(t, c.DB.Client, r, 12)
				}
				w := loadWorld(t, c.DB.Client)
				roots := []int{0}
				for i := 0; i < 5; i++ {
					roots = append(roots, w.orgs[r.IntN(len(w.orgs))].ID)
				}
				for _, p := range randomPeriods(r, 8) {
					root := roots[r.IntN(len(roots))]
					a := w.admissions[r.IntN(len(w.admissions))]
					by := dimensions[r.IntN(len(dimensions))]
					field := childFields[r.IntN(len(childFields))]
					desc := r.IntN(2) == 0
					dir := map[bool]string{true: "DESC", false: "ASC"}[desc]
					first := r.IntN(4)
					vars := map[string]any{"from": p.from.Format(time.DateOnly), "to": p.to.Format(time.DateOnly),
						"by": by, "key": w.key(by, a), "field": field, "dir": dir, "first": first}
					if root != 0 {
						vars["org"] = itoa(root)
					}
					for _, view := range []string{"AS_OF", "CURRENT"} {
						vars["tree"] = view
						w.view = view
						where := fmt.Sprintf("%s, org %d, %s..%s, %s=%s, %s %s", view, root, vars["from"], vars["to"], by, vars["key"], field, dir)
						var got struct {
							Stats struct {
								Admitted, Pipeline, Trainees   int
								Bucket                         []oBucket
								Admissions, InBucket           conn
								PipelineCandidates             conn
								CertifiedTrainees              conn
								OrganizationsWithoutAdmissions conn
								Ordered, Cut                   []childRef
							}
						}
						c.MustDo(recordsQuery, vars, &got)
						s := got.Stats
						bucket := 0
						for _, b := range s.Bucket {
							if b.Key == vars["key"] {
								bucket = b.Count
							}
						}
						if s.Admissions.TotalCount != s.Admitted || s.InBucket.TotalCount != bucket ||
							s.PipelineCandidates.TotalCount != s.Pipeline || s.CertifiedTrainees.TotalCount != s.Trainees {
							t.Errorf("%s: totals %d/%d %d/%d %d/%d %d/%d (records/figure)", where,
								s.Admissions.TotalCount, s.Admitted, s.InBucket.TotalCount, bucket,
								s.PipelineCandidates.TotalCount, s.Pipeline, s.CertifiedTrainees.TotalCount, s.Trainees)
						}
						if got, want := s.PipelineCandidates.ids(), strIDs(w.pipelineIDs(root, p.to)); !reflect.DeepEqual(got, want) {
							t.Errorf("%s: pipelineCandidates %v, want %v", where, got, want)
						}
						if got, want := s.CertifiedTrainees.ids(), strIDs(w.traineeIDs(root, p.from, p.to)); !reflect.DeepEqual(got, want) {
							t.Errorf("%s: certifiedTrainees %v, want %v", where, got, want)
						}
						wo := w.withoutAny(root, p.from, p.to)
						if got, want := s.OrganizationsWithoutAdmissions.ids(), strIDs(wo); !reflect.DeepEqual(got, want) || s.OrganizationsWithoutAdmissions.TotalCount != len(wo) {
							t.Errorf("%s: organizationsWithoutAdmissions %v (%d), want %v", where, got, s.OrganizationsWithoutAdmissions.TotalCount, want)
						}
						o := w.oracle(root, p.from, p.to, 1)
						var want []string
						for _, k := range orderedChildren(o, field, desc) {
							want = append(want, k.Organization.ID)
						}
						if got := childIDs(s.Ordered); !slices.Equal(got, want) {
							t.Errorf("%s: children ordered %v, want %v", where, got, want)
						}
						if got := childIDs(s.Cut); !slices.Equal(got, want[:min(first, len(want))]) {
							t.Errorf("%s: children first %d: %v, want %v", where, first, got, want)
						}
						// Paging walks each admission once, in id order.
						size := 1 + r.IntN(50)
						if got, want := walkAdmissions(t, c, vars, false, size), strIDs(w.admissionIDs(root, p.from, p.to)); !slices.Equal(got, want) {
							t.Errorf("%s: admissions by pages of %d: %d rows, want %d", where, size, len(got), len(want))
						}
						var inBucket []int
						for _, id := range w.admissionIDs(root, p.from, p.to) {
							for _, x := range w.admissions {
								if x.ID == id && w.key(by, x) == vars["key"] {
									inBucket = append(inBucket, id)
								}
							}
						}
						if got, want := walkAdmissions(t, c, vars, true, size), strIDs(inBucket); !slices.Equal(got, want) {
							t.Errorf("%s: bucket's admissions by pages of %d: %v, want %v", where, size, got, want)
						}
					}
				}
			})
		}
	})
}

// filteredQuery asks for the admission figures of a filtered statistic,
// its series by a dimension and its children's.
const filteredQuery = `query($org: ID, $from: Date!, $to: Date!, $tree: TreeView, $filter: [StatsFilter!], $by: Dimension!) {
  stats(org: $org, from: $from, to: $to, tree: $tree, filter: $filter) {
    admitted recognized notRecognized leftOrDisciplined
    outcomes { key count share }
    year: series(granularity: YEAR) { start end admitted }
    quarter: series(granularity: QUARTER) { start end admitted }
    b: breakdown(by: $by) { key count share }
    admissions { totalCount }
    seriesBy(granularity: QUARTER, by: $by) { key count points { start end admitted } }
    children { admitted year: series(granularity: YEAR) { admitted } admissions { totalCount } }
  }
}`

// TestFilteredAgainstOracle checks filtered statistics (one or two
// conditions) and series by a dimension against the oracle over the
// admissions meeting the conditions.
func TestFilteredAgainstOracle(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				c := gqltest.New(t, dialect, server.Config{ComplexityLimit: 1 << 30})
				generate(t, c.DB.Client, seed, smallGen)
				r := rand.New(rand.NewPCG(seed, 13))
				if seed > 1 {
					restructure(t, c.DB.Client, r, 12)
				}
				w := loadWorld(t, c.DB.Client)
				roots := []int{0}
				for i := 0; i < 5; i++ {
					roots = append(roots, w.orgs[r.IntN(len(w.orgs))].ID)
				}
				for _, p := range randomPeriods(r, 8) {
					root := roots[r.IntN(len(roots))]
					a := w.admissions[r.IntN(len(w.admissions))]
					fw := w
					var filter []map[string]any
					for i := 0; i <= r.IntN(2); i++ {
						d := dimensions[r.IntN(len(dimensions))]
						k := w.key(d, a)
						filter = append(filter, map[string]any{"by": d, "key": k})
						fw = fw.filtered(d, k)
					}
					by := dimensions[r.IntN(len(dimensions))]
					vars := map[string]any{"from": p.from.Format(time.DateOnly), "to": p.to.Format(time.DateOnly), "filter": filter, "by": by}
					if root != 0 {
						vars["org"] = itoa(root)
					}
					for _, view := range []string{"AS_OF", "CURRENT"} {
						vars["tree"] = view
						fw.view = view
						var got struct{ Stats map[string]any }
						c.MustDo(filteredQuery, vars, &got)
						o := fw.oracle(root, p.from, p.to, 1)
						full := toMap(t, o)
						want := map[string]any{}
						for _, k := range []string{"admitted", "recognized", "notRecognized", "leftOrDisciplined", "outcomes"} {
							want[k] = full[k]
						}
						want["year"] = dropKeys(full["year"], "target")
						want["quarter"] = dropKeys(full["quarter"], "target")
						want["b"] = full["b_"+by]
						want["admissions"] = map[string]any{"totalCount": float64(o.Admitted)}
						var series []any
						for _, b := range o.Breakdowns[by] {
							ks := map[string]any{"key": b.Key, "count": float64(b.Count)}
							var pts []any
							for _, q := range o.Quarter {
								n := 0
								for _, x := range fw.admissions {
									if within(x.AdmittedOn, date0(q.Start), date0(q.End)) && fw.inAt(x.OrganizationID, root, x.AdmittedOn) && fw.key(by, x) == b.Key {
										n++
									}
								}
								pts = append(pts, map[string]any{"start": q.Start, "end": q.End, "admitted": float64(n)})
							}
							ks["points"] = pts
							series = append(series, ks)
						}
						if series == nil {
							series = []any{}
						}
						want["seriesBy"] = series
						kids := []any{}
						for _, k := range o.Children {
							km := toMap(t, k)
							kids = append(kids, map[string]any{"admitted": km["admitted"], "year": dropKeys(km["year"], "start", "end", "target"),
								"admissions": map[string]any{"totalCount": float64(k.Admitted)}})
						}
						want["children"] = kids
						var diffs []string
						diff("stats", dropLabels(got.Stats), want, &diffs)
						if len(diffs) > 0 {
							t.Errorf("%s, org %d, %s..%s, filter %v:\n%s", view, root, vars["from"], vars["to"], filter, strings.Join(diffs, "\n"))
						}
					}
				}
			})
		}
	})
}

func date0(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// dropKeys removes keys from the maps of a list.
func dropKeys(v any, keys ...string) any {
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if m, ok := x.(map[string]any); ok {
				for _, k := range keys {
					delete(m, k)
				}
			}
		}
	}
	return v
}

// TestOrganizationStatsBatched proves that Organization.stats inside a
// connection costs the same statements for a page of 5 as of 100, and
// that each organization's figures are those of Query.stats.
func TestOrganizationStatsBatched(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		d := dbtest.Open(t, dialect)
		root := fan(t, d.Client, 60)
		c, counter := countingServer(t, d)
		const q = `query($n: Int, $kind: OrganizationKind!) {
  organizations(first: $n, where: {kindIn: [$kind]}) { edges { node { id name
    stats(from: "2020-01-01", to: "2020-12-31") { admitted targetAttainment trainees pipeline
      gender: breakdown(by: GENDER) { key count } children { admitted } } } } }
}`
		type page struct {
			Organizations struct {
				Edges []struct {
					Node struct {
						ID    string
						Stats struct {
							Admitted         int
							TargetAttainment *float64
						}
					}
				}
			}
		}
		for _, kind := range []string{"GRASSROOTS_BRANCH", "GRASSROOTS_COMMITTEE"} {
			var counts []int64
			for _, n := range []int{5, 100} {
				var got page
				counter.Store(0)
				c.MustDo(q, map[string]any{"n": n, "kind": kind}, &got)
				counts = append(counts, counter.Load())
				if len(got.Organizations.Edges) != min(n, map[string]int{"GRASSROOTS_BRANCH": 120, "GRASSROOTS_COMMITTEE": 60}[kind]) {
					t.Fatalf("%s: %d organizations", kind, len(got.Organizations.Edges))
				}
				for _, e := range got.Organizations.Edges {
					want := map[string]int{"GRASSROOTS_BRANCH": 1, "GRASSROOTS_COMMITTEE": 2}[kind]
					if e.Node.Stats.Admitted != want {
						t.Errorf("%s %s: admitted %d, want %d", kind, e.Node.ID, e.Node.Stats.Admitted, want)
					}
				}
			}
			if counts[0] != counts[1] {
				t.Errorf("%s: %d statements for 5 organizations, %d for 100", kind, counts[0], counts[1])
			}
			t.Logf("%s: %d statements for a page of 5 or 100", kind, counts[0])
		}
		// Scope: an ANALYST of one committee sees its stats, and is refused
		// an organization outside it.
		kids := c.DB.Client.Organization.Query().Where(organization.ParentID(root)).Order(organization.ByCode()).IDsX(fixtureCtx())
		u := c.As(t, viewer.RoleAnalyst, kids[0])
		const one = `query($id: ID!) { node(id: $id) { ... on Organization { stats(from: "2020-01-01", to: "2020-12-31") { admitted } } } }`
		var mine struct {
			Node struct{ Stats struct{ Admitted int } }
		}
		u.MustDo(one, map[string]any{"id": kids[0]}, &mine)
		if mine.Node.Stats.Admitted != 2 {
			t.Errorf("own committee: admitted %d, want 2", mine.Node.Stats.Admitted)
		}
	})
}

// TestRecordsAccess checks that a VIEWER may not list the people behind a
// figure (a coded bilingual error), that a VIEWER may not filter by a
// sensitive dimension, and that every admission an ANALYST opens is
// written to the access log.
func TestRecordsAccess(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		root := fan(t, c.DB.Client, 3)
		v := c.As(t, viewer.RoleViewer, root)
		for _, f := range []string{"admissions", "pipelineCandidates", "certifiedTrainees"} {
			q := `{ stats(from: "2020-01-01", to: "2020-12-31") { admitted ` + f + `(first: 5) { totalCount } } }`
			err := v.Do(q, nil, nil)
			errs, ok := err.(gqltest.Errors)
			if !ok || errs.Code() != "FORBIDDEN" || errs[0].Message == "" {
				t.Errorf("VIEWER %s: %v, want FORBIDDEN", f, err)
			}
		}
		err := v.Do(`{ stats(from: "2020-01-01", to: "2020-12-31", filter: [{by: ETHNICITY, key: "Kinh"}]) { admitted } }`, nil, nil)
		if errs, ok := err.(gqltest.Errors); !ok || errs.Code() != "FORBIDDEN" {
			t.Errorf("VIEWER filtering by ethnicity: %v, want FORBIDDEN", err)
		}
		var ok struct{ Stats struct{ Admitted int } }
		v.MustDo(`{ stats(from: "2020-01-01", to: "2020-12-31", filter: [{by: GENDER, key: "FEMALE"}]) { admitted } }`, nil, &ok)
		if ok.Stats.Admitted != 6 {
			t.Errorf("VIEWER, women: %d admitted, want 6", ok.Stats.Admitted)
		}
		a := c.As(t, viewer.RoleAnalyst, root)
		before := c.DB.Client.AccessLog.Query().Where(accesslog.EntityEQ(accesslog.EntityADMISSION)).CountX(fixtureCtx())
		var got struct {
			Stats struct{ Admissions conn }
		}
		a.MustDo(`{ stats(from: "2020-01-01", to: "2020-12-31") { admissions(first: 4) { totalCount edges { node { id candidate { fullName } } } } } }`, nil, &got)
		if got.Stats.Admissions.TotalCount != 6 || len(got.Stats.Admissions.Edges) != 4 {
			t.Fatalf("ANALYST: %d admissions, %d edges; want 6, 4", got.Stats.Admissions.TotalCount, len(got.Stats.Admissions.Edges))
		}
		after := c.DB.Client.AccessLog.Query().Where(accesslog.EntityEQ(accesslog.EntityADMISSION)).CountX(fixtureCtx())
		// The page's look-ahead row (hasNextPage) is read, and logged, too.
		if n := after - before; n < 4 || n > 5 {
			t.Errorf("access log: %d admission reads written, want 4 (5 with the look-ahead row)", n)
		}
	})
}

// TestFilteredAnswersKeyed checks that the answer cache keeps a filtered
// answer per filter and per children order: the same operation text with
// other variables never gets another's answer.
func TestFilteredAnswersKeyed(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		root := fan(t, c.DB.Client, 3)
		// Two men in the first committee: women and men differ.
		ctx := fixtureCtx()
		first := c.DB.Client.Organization.Query().Where(organization.Code("C00-0")).OnlyX(ctx)
		c.DB.Client.Candidate.Update().Where(candidateOrg(first.ID)).SetGender("MALE").ExecX(ctx)
		const q = `query($org: ID, $filter: [StatsFilter!], $dir: OrderDirection!) {
  stats(org: $org, from: "2020-01-01", to: "2020-12-31", filter: $filter) {
    admitted children(orderBy: {field: ADMITTED, direction: $dir}) { organization { code } admitted } } }`
		type res struct {
			Stats struct {
				Admitted int
				Children []struct {
					Organization struct{ Code string }
					Admitted     int
				}
			}
		}
		ask := func(gender, dir string) res {
			var r res
			c.MustDo(q, map[string]any{"org": root, "filter": []map[string]any{{"by": "GENDER", "key": gender}}, "dir": dir}, &r)
			return r
		}
		for range 2 { // the second round is served from the cache
			w, m := ask("FEMALE", "ASC"), ask("MALE", "ASC")
			if w.Stats.Admitted != 5 || m.Stats.Admitted != 1 {
				t.Errorf("women %d, men %d; want 5, 1", w.Stats.Admitted, m.Stats.Admitted)
			}
			if got := m.Stats.Children[0].Organization.Code; got != "C01" {
				t.Errorf("men, ASC: first child %s, want C01 (0 admitted, first by code)", got)
			}
			if got := ask("MALE", "DESC").Stats.Children[0].Organization.Code; got != "C00" {
				t.Errorf("men, DESC: first child %s, want C00", got)
			}
		}
	})
}
