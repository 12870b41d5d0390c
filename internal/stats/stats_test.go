package stats_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func itoa(i int) string { return strconv.Itoa(i) }

// statsFields asks for every statistic, every series and every breakdown.
var statsFields = func() string {
	var b strings.Builder
	b.WriteString(`organization { id } from to admitted target targetAttainment membersAtStart admissionRate
classes trainees pipeline recognized notRecognized leftOrDisciplined grassroots
outcomes { key label count share }
year: series(granularity: YEAR) { start end label admitted target }
quarter: series(granularity: QUARTER) { start end label admitted target }
month: series(granularity: MONTH) { start end label admitted target }
withoutAdmissions { id }
withoutAdmissionsCount
without2: withoutAdmissions(first: 2) { id }
`)
	for _, d := range dimensions {
		fmt.Fprintf(&b, "b_%s: breakdown(by: %s) { key label count share }\n", d, d)
	}
	return b.String()
}()

var propertyQuery = `fragment F on Stats {` + statsFields + `}
query($org: ID, $from: Date!, $to: Date!, $tree: TreeView) {
  stats(org: $org, from: $from, to: $to, tree: $tree) { ...F children { ...F } }
}`

// toMap turns the oracle's answer into the shape of the JSON response.
func toMap(t testing.TB, o *oStats) map[string]any {
	t.Helper()
	raw, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for d, bs := range o.Breakdowns {
		raw, _ := json.Marshal(bs)
		var v any
		_ = json.Unmarshal(raw, &v)
		m["b_"+d] = v
	}
	if o.Children != nil {
		kids := make([]any, len(o.Children))
		for i, c := range o.Children {
			kids[i] = toMap(t, c)
		}
		m["children"] = kids
	}
	return m
}

// dropLabels removes the "label" keys, which the oracle does not know.
func dropLabels(v any) any {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "label")
		for k, y := range x {
			x[k] = dropLabels(y)
		}
	case []any:
		for i, y := range x {
			x[i] = dropLabels(y)
		}
	}
	return v
}

// diff names the first keys where got and want differ.
func diff(path string, got, want any, out *[]string) {
	if len(*out) > 8 || reflect.DeepEqual(got, want) {
		return
	}
	gm, ok1 := got.(map[string]any)
	wm, ok2 := want.(map[string]any)
	if ok1 && ok2 {
		keys := map[string]bool{}
		for k := range gm {
			keys[k] = true
		}
		for k := range wm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			diff(path+"."+k, gm[k], wm[k], out)
		}
		return
	}
	ga, ok1 := got.([]any)
	wa, ok2 := want.([]any)
	if ok1 && ok2 && len(ga) == len(wa) {
		for i := range ga {
			diff(fmt.Sprintf("%s[%d]", path, i), ga[i], wa[i], out)
		}
		return
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	*out = append(*out, fmt.Sprintf("%s: got %s, want %s", path, g, w))
}

type period struct{ from, to time.Time }

// randomPeriods mixes calendar-aligned periods with arbitrary ones.
func randomPeriods(r *rand.Rand, n int) []period {
	out := []period{
		{date(2015, 1, 1), date(2020, 6, 30)},
		{date(2014, 1, 1), date(2022, 12, 31)},
		{date(2020, 2, 29), date(2020, 2, 29)},
	}
	for len(out) < n {
		from := randDate(r, date(2013, 6, 1), date(2023, 6, 1))
		to := from.AddDate(0, 0, r.IntN(4*366))
		if r.IntN(3) == 0 {
			from = date(from.Year(), 1, 1)
			to = date(from.Year()+r.IntN(3), 12, 31)
		}
		out = append(out, period{from, to})
	}
	return out
}

// TestStatsAgainstOracle compares every statistic, for random subtrees and
// periods of random datasets, with an oracle computed in Go from all rows.
func TestStatsAgainstOracle(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		for seed := uint64(1); seed <= 5; seed++ {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				// Every figure of every child is far above the dashboard's
				// cost; this test is about answers, not limits.
				c := gqltest.New(t, dialect, server.Config{ComplexityLimit: 1 << 30})
				generate(t, c.DB.Client, seed, smallGen)
				r := rand.New(rand.NewPCG(seed, 7))
				if seed > 1 {
					// The tree changes: both views must stay exact.
					restructure(t, c.DB.Client, r, 12)
				}
				w := loadWorld(t, c.DB.Client)
				roots := []int{0}
				for i := 0; i < 6; i++ {
					roots = append(roots, w.orgs[r.IntN(len(w.orgs))].ID)
				}
				for _, p := range randomPeriods(r, 12) {
					root := roots[r.IntN(len(roots))]
					vars := map[string]any{"from": p.from.Format(time.DateOnly), "to": p.to.Format(time.DateOnly)}
					if root != 0 {
						vars["org"] = itoa(root)
					}
					for _, view := range []string{"AS_OF", "CURRENT"} {
						vars["tree"] = view
						w.view = view
						var got struct{ Stats any }
						c.MustDo(propertyQuery, vars, &got)
						want := toMap(t, w.oracle(root, p.from, p.to, 1))
						var diffs []string
						diff("stats", dropLabels(got.Stats), want, &diffs)
						if len(diffs) > 0 {
							t.Errorf("%s, org %d, %s..%s:\n%s", view, root, vars["from"], vars["to"], strings.Join(diffs, "\n"))
						}
					}
				}
			})
		}
	})
}
