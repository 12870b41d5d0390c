// Package stats computes the statistics leaders quote (admissions against
// the target, breakdowns, series, drill-down to the children) for any
// subtree of the organization tree and any period, in the database.
//
// Every figure is one grouped SQL statement over a group of subtrees: the
// root asked for, or all the children of the organizations of the previous
// level. The closure table maps each row to the subtree root it counts for,
// so a drill-down costs the same number of statements whatever the number of
// children. Results are computed on first use and shared by the group.
package stats

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/internal/apperr"
	"ketnap/internal/locale"
	"ketnap/internal/stats/dim"
	"ketnap/internal/stats/rollup"
)

// Stats is the statistics of one subtree (or of the whole forest when
// Organization is nil) over a period; it is the GraphQL type Stats.
type Stats struct {
	// Organization is the subtree's root; nil for all roots together.
	Organization *ent.Organization
	From, To     time.Time

	g *group
	// ctx is the request's context: the scalar figures take none, so that
	// gqlgen resolves them inline instead of in a goroutine each (~12 per
	// child, 6,000 for 500 children), and read through this one.
	ctx context.Context
}

// Point is one bucket of a series; it is the GraphQL type Point.
type Point struct {
	Start, End time.Time
	Label      string
	Admitted   int
	Target     *int
}

// Bucket is one value of a breakdown; it is the GraphQL type Bucket.
type Bucket struct {
	Key   string
	Label string
	Count int
	Share float64
}

// group is a set of subtrees over the same period whose figures are
// computed together, one statement per figure.
type group struct {
	client *ent.Client
	// dialect is client's SQL dialect, in which the statements are built.
	dialect  string
	from, to time.Time
	// all is the group of the whole forest (org: null); ids are empty then.
	all bool
	ids []int
	// parent is the group whose members' children are this group's members
	// (nil for the organization asked about): the statements select the
	// members by a subquery on parent_id instead of listing their ids,
	// which keeps a statement's size fixed and gives PostgreSQL's planner
	// the small estimate that makes it walk the members' subtrees by index
	// (28 ms instead of a 195 ms sequential scan for a province's 972
	// children at L).
	parent *group
	// rolled tells that the members have rollup rows of every dimension
	// (all members of a group are at the same depth), core that they have
	// those of the core dimensions (admissions, outcomes, trainees; see
	// rollup.CoreDepth); the whole months m1..m2 of the period are read
	// from them and only the partial months at the edges from the raw rows.
	// rolled also marks a large subtree for the statements' plans.
	rolled, core bool
	m1, m2       int
	edges        [][2]time.Time

	// plan is what the request asks of the members (nil: not known), and
	// metrics the activity metrics (metricPipeline…) it asks; both are set
	// by prefetch before any field reads them; nil metrics means all.
	plan    *Plan
	metrics map[int]bool

	// view is the tree the figures count by; hist and planHist are set by
	// prepare (see there) before any statement is built.
	view           TreeView
	hist, planHist bool
	prepOnce       sync.Once
	prepErr        error

	// filters are the conditions the admissions counted meet (filter.go).
	filters []Filter

	mu    sync.Mutex
	cache map[string]*result
}

// result is one figure of a group, computed once. Figures have their own
// lock so that the resolvers, which gqlgen runs concurrently, send their
// statements concurrently.
type result struct {
	once sync.Once
	v    any
	err  error
}

// New returns the statistics of the subtree of org (all roots when org is
// nil) over [from, to], read through client, whose SQL dialect is dia
// ("sqlite3" or "postgres"), and starts the statements of what plan asks
// (nil: none ahead). It checks the period before any SQL and answers
// NOT_FOUND for an unknown organization. With filters, the admission
// figures count only the admissions meeting every one (filter.go).
func New(ctx context.Context, client *ent.Client, dia string, org *int, from, to time.Time, view TreeView, plan *Plan, filters ...Filter) (*Stats, error) {
	if dia != dialect.SQLite && dia != dialect.Postgres {
		return nil, fmt.Errorf("statistics: unsupported SQL dialect %q", dia)
	}
	if view == "" {
		view = TreeAsOf
	}
	if !view.IsValid() {
		return nil, apperr.Invalid("tree", "cách tính theo cơ cấu tổ chức không hợp lệ", "unknown tree view")
	}
	if err := validatePeriod(from, to); err != nil {
		return nil, err
	}
	if err := checkFilters(ctx, "filter", filters); err != nil {
		return nil, err
	}
	if org == nil {
		g := newGroup(client, dia, from, to, 0, view)
		g.all = true
		g.setFilters(filters)
		g.prefetch(ctx, plan)
		return &Stats{From: from, To: to, g: g, ctx: ctx}, nil
	}
	o, err := client.Organization.Get(ctx, *org)
	if ent.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "org", "không tìm thấy tổ chức", "organization not found")
	}
	if err != nil {
		return nil, fmt.Errorf("loading organization: %w", err)
	}
	g := newGroup(client, dia, from, to, o.Depth, view)
	g.ids = []int{o.ID}
	g.setFilters(filters)
	g.prefetch(ctx, plan)
	return &Stats{Organization: o, From: from, To: to, g: g, ctx: ctx}, nil
}

// newGroup returns an empty group over [from, to] of members at depth.
func newGroup(client *ent.Client, dia string, from, to time.Time, depth int, view TreeView) *group {
	g := &group{client: client, dialect: dia, from: from, to: to, cache: map[string]*result{}, view: view,
		rolled: depth <= rollup.MaxDepth, core: depth <= rollup.CoreDepth}
	g.m1, g.m2, g.edges = split(from, to)
	return g
}

// key is the scope id of s in its group's query results.
func (s *Stats) key() int {
	if s.Organization == nil {
		return 0
	}
	return s.Organization.ID
}

// load returns the group's result under name, computing it once; callers
// asking for other names meanwhile do not wait.
func load[T any](g *group, name string, f func() (T, error)) (T, error) {
	g.mu.Lock()
	r, ok := g.cache[name]
	if !ok {
		r = &result{}
		g.cache[name] = r
	}
	g.mu.Unlock()
	r.once.Do(func() { r.v, r.err = f() })
	if r.err != nil {
		var zero T
		return zero, r.err
	}
	return r.v.(T), nil
}

// Names of the figures the scalar fields read.
const (
	figSummary  = "summary"
	figPlans    = "plans"
	figActivity = "activity"
	figWithout  = "without"
)

func (g *group) summary(ctx context.Context) (map[int]summaryRow, error) {
	return load(g, figSummary, func() (map[int]summaryRow, error) { return g.querySummary(ctx) })
}

func (g *group) plans(ctx context.Context) (map[int]map[int]planYear, error) {
	return load(g, figPlans, func() (map[int]map[int]planYear, error) { return g.queryPlans(ctx) })
}

// activity returns the activity figure that holds metric: the one of the
// metrics the request asks for (metric 0: that one), or, for a metric it
// did not announce, one of all four.
func (g *group) activity(ctx context.Context, metric int) (map[int]activity, error) {
	if metric != 0 && g.metrics != nil && !g.metrics[metric] {
		return load(g, figActivity+":all", func() (map[int]activity, error) { return g.queryActivity(ctx, nil) })
	}
	return load(g, figActivity, func() (map[int]activity, error) { return g.queryActivity(ctx, g.metrics) })
}

func (g *group) monthly(ctx context.Context, years bool) (map[int]map[int]int, error) {
	return load(g, fmt.Sprintf("monthly:%v", years), func() (map[int]map[int]int, error) { return g.queryMonthly(ctx, years) })
}

func (g *group) breakdown(ctx context.Context, by dim.Dimension) (map[int]map[string]int, error) {
	return load(g, "breakdown:"+string(by), func() (map[int]map[string]int, error) { return g.queryBreakdown(ctx, by) })
}

// figures maps the scalar fields of Stats to the figures they read; the
// activity fields (activityMetrics), withoutAdmissionsCount, series and
// breakdown are in prefetch.
var figures = map[string][]string{
	"admitted":          {figSummary},
	"recognized":        {figSummary},
	"notRecognized":     {figSummary},
	"leftOrDisciplined": {figSummary},
	"outcomes":          {figSummary},
	"target":            {figPlans},
	"membersAtStart":    {figPlans},
	"targetAttainment":  {figSummary, figPlans},
	"admissionRate":     {figSummary, figPlans},
}

// activityMetrics maps the fields of Stats read from the activity
// statement to their metric.
var activityMetrics = map[string]int{
	"pipeline":   metricPipeline,
	"classes":    metricClasses,
	"trainees":   metricTrainees,
	"grassroots": metricGrassroots,
}

// Plan is what a request asks of a Stats and, through Children, of its
// children: the fields it selects (by their GraphQL names), the
// granularities of its series and the dimensions of its breakdowns. The
// GraphQL resolver derives it from the query, so that the engine starts
// every statement a level needs at once; a nil Plan computes each figure
// when it is first read.
type Plan struct {
	Fields     map[string]bool
	Series     []Granularity
	Breakdowns []dim.Dimension
	// Children is the plan of the children, when they are asked for.
	Children *Plan
}

// prefetch starts, each in its goroutine, the statements of the figures
// plan asks of the group's members (ctx is the request's): the fields,
// resolved inline, then find them computed or being computed, and the
// statements run concurrently as when every field had its goroutine.
func (g *group) prefetch(ctx context.Context, plan *Plan) {
	g.plan = plan
	if plan == nil {
		return
	}
	want := map[string]bool{}
	metrics := map[int]bool{}
	for f := range plan.Fields {
		for _, fig := range figures[f] {
			want[fig] = true
		}
		if m, ok := activityMetrics[f]; ok {
			want[figActivity] = true
			metrics[m] = true
		}
		if f == "withoutAdmissionsCount" {
			want[figWithout] = true
		}
	}
	if len(metrics) > 0 {
		g.metrics = metrics
	}
	for _, gr := range plan.Series {
		// Only what the field itself would query: a valid granularity
		// within MaxPoints (else it fails before any SQL).
		if gr.IsValid() && bucketCount(g.from, g.to, gr) <= MaxPoints {
			want[figPlans] = true
			go g.monthly(ctx, gr == GranularityYear)
		}
	}
	for _, by := range plan.Breakdowns {
		if by.IsValid() {
			go g.breakdown(ctx, by)
		}
	}
	// The results and errors are the fields' to read.
	for fig := range want {
		switch fig {
		case figSummary:
			go g.summary(ctx)
		case figPlans:
			go g.plans(ctx)
		case figActivity:
			go g.activity(ctx, 0)
		case figWithout:
			go g.without(ctx)
		}
	}
}

func (s *Stats) summary() (summaryRow, error) {
	m, err := s.g.summary(s.ctx)
	return m[s.key()], err
}

func (s *Stats) plans() (map[int]planYear, error) {
	m, err := s.g.plans(s.ctx)
	return m[s.key()], err
}

func (s *Stats) activity(metric int) (activity, error) {
	m, err := s.g.activity(s.ctx, metric)
	return m[s.key()], err
}

// Admitted counts the admissions of the period.
func (s *Stats) Admitted() (int, error) {
	r, err := s.summary()
	return r.Admitted, err
}

// Recognized counts the period's admissions now full members.
func (s *Stats) Recognized() (int, error) {
	r, err := s.summary()
	return r.Recognized, err
}

// NotRecognized counts the period's admissions not recognized as full members.
func (s *Stats) NotRecognized() (int, error) {
	r, err := s.summary()
	return r.NotRecognized, err
}

// LeftOrDisciplined counts the period's admissions that left or were disciplined.
func (s *Stats) LeftOrDisciplined() (int, error) {
	r, err := s.summary()
	return r.LeftOrDisciplined, err
}

// The keys of outcomes.
const (
	OutcomeRecognized      = "RECOGNIZED"
	OutcomeNotRecognized   = "NOT_RECOGNIZED"
	OutcomeLeftOnProbation = "LEFT_ON_PROBATION"
	OutcomeOnProbation     = "ON_PROBATION"
)

var outcomeLabels = map[string][2]string{
	OutcomeRecognized:      {"Được công nhận đảng viên chính thức", "Recognized as full members"},
	OutcomeNotRecognized:   {"Không được công nhận", "Not recognized"},
	OutcomeLeftOnProbation: {"Ra khỏi Đảng khi đang dự bị", "Left while on probation"},
	OutcomeOnProbation:     {"Đang dự bị", "Still on probation"},
}

// Outcomes partitions the period's admissions by where probation ended:
// recognized (whatever happened later), not recognized, left on probation,
// still on probation; the counts sum to Admitted.
func (s *Stats) Outcomes() ([]*Bucket, error) {
	r, err := s.summary()
	if err != nil {
		return nil, err
	}
	recognized := r.Recognized + r.LeftRecognized
	counts := []struct {
		key string
		n   int
	}{
		{OutcomeRecognized, recognized},
		{OutcomeNotRecognized, r.NotRecognized},
		{OutcomeLeftOnProbation, r.Admitted - recognized - r.NotRecognized - r.Probationary},
		{OutcomeOnProbation, r.Probationary},
	}
	lang := locale.From(s.ctx)
	out := make([]*Bucket, len(counts))
	for i, c := range counts {
		l := outcomeLabels[c.key]
		b := &Bucket{Key: c.key, Label: l[1], Count: c.n}
		if lang == locale.VI {
			b.Label = l[0]
		}
		if r.Admitted > 0 {
			b.Share = float64(c.n) / float64(r.Admitted)
		}
		out[i] = b
	}
	return out, nil
}

// targets returns the subtree's target of each year the period touches.
func targets(p map[int]planYear) map[int]int64 {
	out := make(map[int]int64, len(p))
	for y, py := range p {
		if py.target != nil {
			out[y] = *py.target
		}
	}
	return out
}

// Target is the period's admission target, pro rata for partial years.
func (s *Stats) Target() (*int, error) {
	p, err := s.plans()
	if err != nil {
		return nil, err
	}
	return roundPtr(proRata(targets(p), s.From, s.To)), nil
}

// TargetAttainment is admitted / target.
func (s *Stats) TargetAttainment() (*float64, error) {
	n, err := s.Admitted()
	if err != nil {
		return nil, err
	}
	t, err := s.Target()
	return ratio(n, t), err
}

// MembersAtStart is the subtree's member count at the start of from's year.
func (s *Stats) MembersAtStart() (*int, error) {
	p, err := s.plans()
	if err != nil {
		return nil, err
	}
	py := p[s.From.Year()]
	if py.members == nil {
		return nil, nil
	}
	n := int(*py.members)
	return &n, nil
}

// AdmissionRate is admitted / membersAtStart.
func (s *Stats) AdmissionRate() (*float64, error) {
	n, err := s.Admitted()
	if err != nil {
		return nil, err
	}
	m, err := s.MembersAtStart()
	return ratio(n, m), err
}

// Classes counts the awareness classes starting in the period.
func (s *Stats) Classes() (int, error) {
	a, err := s.activity(metricClasses)
	return a.classes, err
}

// Trainees counts the distinct candidates certified in the period.
func (s *Stats) Trainees() (int, error) {
	a, err := s.activity(metricTrainees)
	return a.trainees, err
}

// Pipeline counts the candidates before admission at the end of the period.
func (s *Stats) Pipeline() (int, error) {
	a, err := s.activity(metricPipeline)
	return a.pipeline, err
}

// Grassroots counts the grassroots organizations existing during the period.
func (s *Stats) Grassroots() (int, error) {
	a, err := s.activity(metricGrassroots)
	return a.grassroots, err
}

// Series returns the period's admissions per calendar bucket, every bucket
// included. The bucket count is checked before any SQL.
func (s *Stats) Series(granularity Granularity) ([]*Point, error) {
	if n := bucketCount(s.From, s.To, granularity); n > MaxPoints {
		return nil, apperr.Invalid("granularity",
			fmt.Sprintf("chuỗi số liệu quá %d điểm; hãy chọn đơn vị thời gian lớn hơn", MaxPoints),
			fmt.Sprintf("the series would have more than %d points; choose a larger granularity", MaxPoints))
	}
	ctx := s.ctx
	m, err := s.g.monthly(ctx, granularity == GranularityYear)
	if err != nil {
		return nil, err
	}
	months := m[s.key()]
	p, err := s.plans()
	if err != nil {
		return nil, err
	}
	t := targets(p)
	lang := locale.From(ctx)
	bs := buckets(s.From, s.To, granularity)
	out := make([]*Point, len(bs))
	for i, b := range bs {
		pt := &Point{Start: b.start, End: b.end, Label: bucketLabel(granularity, b.first, lang)}
		for mi := b.first; mi <= b.last; mi++ {
			pt.Admitted += months[mi]
		}
		pt.Target = roundPtr(proRata(t, b.start, b.end))
		out[i] = pt
	}
	return out, nil
}

// Breakdown returns the period's admissions broken down by a dimension:
// every value of an ordered scale in scale order, else the values present by
// count, largest first.
func (s *Stats) Breakdown(by dim.Dimension) ([]*Bucket, error) {
	def := dim.Lookup(by)
	if def == nil {
		return nil, apperr.Invalid("by", "chiều phân tích không hợp lệ", "unknown dimension")
	}
	ctx := s.ctx
	m, err := s.g.breakdown(ctx, by)
	if err != nil {
		return nil, err
	}
	counts := m[s.key()]
	total := 0
	for _, n := range counts {
		total += n
	}
	lang := locale.From(ctx)
	bucket := func(k string, n int) *Bucket {
		b := &Bucket{Key: k, Label: def.KeyLabel(k, lang), Count: n}
		if total > 0 {
			b.Share = float64(n) / float64(total)
		}
		return b
	}
	if def.Scale != nil {
		out := make([]*Bucket, 0, len(def.Scale))
		for _, k := range def.Scale {
			out = append(out, bucket(k, counts[k]))
		}
		return disclose(ctx, by, out), nil
	}
	out := make([]*Bucket, 0, len(counts))
	for k, n := range counts {
		out = append(out, bucket(k, n))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return disclose(ctx, by, out), nil
}

// Children returns the statistics of each direct child, ordered by code or
// by orderBy, the first of them with first (children.go).
func (s *Stats) Children(ctx context.Context, orderBy *ChildOrder, first *int) ([]*Stats, error) {
	if err := checkChildren(first); err != nil {
		return nil, err
	}
	c, err := s.children(ctx)
	if err != nil {
		return nil, err
	}
	return orderChildren(c, orderBy, first)
}

// children returns the statistics of each direct child, as one new group:
// their figures are computed together, one statement per figure.
func (s *Stats) children(ctx context.Context) ([]*Stats, error) {
	byParent, err := load(s.g, "children", func() (map[int][]*Stats, error) {
		if err := s.g.prepare(ctx); err != nil {
			return nil, err
		}
		if s.g.hist {
			return s.childrenAsOf(ctx)
		}
		q := s.g.client.Organization.Query()
		if s.g.all {
			if s.g.view == TreeAsOf && s.g.planHist {
				q.Where(wasRoot(s.g.from, s.g.to))
			} else {
				q.Where(organization.ParentIDIsNil())
			}
		} else {
			q.Where(organization.ParentIDIn(s.g.ids...))
		}
		orgs, err := q.Order(ent.Asc(organization.FieldCode), ent.Asc(organization.FieldID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading child organizations: %w", err)
		}
		out := make(map[int][]*Stats)
		if len(orgs) == 0 {
			return out, nil
		}
		child := newGroup(s.g.client, s.g.dialect, s.g.from, s.g.to, orgs[0].Depth, s.g.view)
		child.parent = s.g
		child.setFilters(s.g.filters)
		if s.g.all && s.g.view == TreeAsOf && s.g.planHist {
			// The roots of the period are not today's roots: list them.
			child.parent = nil
		}
		for _, o := range orgs {
			child.ids = append(child.ids, o.ID)
			parent := 0
			if !s.g.all && o.ParentID != nil {
				parent = *o.ParentID
			}
			out[parent] = append(out[parent], &Stats{Organization: o, From: s.From, To: s.To, g: child, ctx: ctx})
		}
		var plan *Plan
		if s.g.plan != nil {
			plan = s.g.plan.Children
		}
		child.prefetch(ctx, plan)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	if c := byParent[s.key()]; c != nil {
		return c, nil
	}
	return []*Stats{}, nil
}

// MaxWithout bounds withoutAdmissions(first:).
const MaxWithout = 1000

// without returns, per member, the ids of the grassroots organizations of
// its subtree without admissions in the period, ordered by code.
func (g *group) without(ctx context.Context) (map[int][]int, error) {
	return load(g, figWithout, func() (map[int][]int, error) { return g.queryWithout(ctx) })
}

// WithoutAdmissionsCount counts the grassroots organizations of the subtree,
// existing during the period, whose subtree admitted nobody in it.
func (s *Stats) WithoutAdmissionsCount() (int, error) {
	ids, err := s.g.without(s.ctx)
	return len(ids[s.key()]), err
}

// WithoutAdmissions returns the grassroots organizations of the subtree,
// existing during the period, whose subtree admitted nobody in it, ordered
// by code: the first of them when first is given. first is checked before
// any SQL.
func (s *Stats) WithoutAdmissions(ctx context.Context, first *int) ([]*ent.Organization, error) {
	limit := -1
	if first != nil {
		if *first < 0 || *first > MaxWithout {
			return nil, apperr.Invalid("first",
				fmt.Sprintf("first phải từ 0 đến %d", MaxWithout),
				fmt.Sprintf("first must be between 0 and %d", MaxWithout))
		}
		limit = *first
	}
	byScope, err := load(s.g, fmt.Sprintf("without:%d", limit), func() (map[int][]*ent.Organization, error) {
		ids, err := s.g.without(ctx)
		if err != nil {
			return nil, err
		}
		// The figure is shared (the count reads it too): cut copies.
		shown := make(map[int][]int, len(ids))
		var all []int
		for scope, v := range ids {
			if limit >= 0 && len(v) > limit {
				v = v[:limit]
			}
			shown[scope] = v
			all = append(all, v...)
		}
		out := make(map[int][]*ent.Organization)
		if len(all) == 0 {
			return out, nil
		}
		q := s.g.client.Organization.Query().Where(organization.IDIn(all...))
		if q, err = q.CollectFields(ctx); err != nil {
			return nil, fmt.Errorf("collecting fields: %w", err)
		}
		orgs, err := q.All(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading organizations without admissions: %w", err)
		}
		byID := make(map[int]*ent.Organization, len(orgs))
		for _, o := range orgs {
			byID[o.ID] = o
		}
		// The statement's order (by code): the collected fields may not
		// include the code.
		for scope, v := range shown {
			list := make([]*ent.Organization, 0, len(v))
			for _, id := range v {
				if o := byID[id]; o != nil {
					list = append(list, o)
				}
			}
			out[scope] = list
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	if w := byScope[s.key()]; w != nil {
		return w, nil
	}
	return []*ent.Organization{}, nil
}
