package stats_test

import (
	"math"
	"sort"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/ent/organizationlink"
	"ketnap/ent/trainingclass"
	"ketnap/internal/stats/dim"
)

// world is every row of a dataset, loaded once, for the oracle.
type world struct {
	orgs       []*ent.Organization
	byID       map[int]*ent.Organization
	children   map[int][]*ent.Organization // 0: the roots
	cands      map[int]*ent.Candidate
	admissions []*ent.Admission
	punished   map[int]bool
	classes    map[int]*ent.TrainingClass
	enrolls    []*ent.Enrollment
	plans      map[int]map[int]*ent.AnnualPlan // org → year
	// spans are each organization's parent spans, from the tree's history
	// (its depth-1 rows): the oracle walks them, never the closure.
	spans map[int][]*ent.OrganizationLink
	// view is the tree the oracle counts by: "AS_OF" or "CURRENT".
	view string
}

// parentAt returns the parent of org id on day d by its parent spans (0 at
// the top of the tree).
func (w *world) parentAt(id int, d time.Time) int {
	for _, s := range w.spans[id] {
		if !d.Before(s.ValidFrom) && d.Before(s.ValidTo) {
			return s.OrganizationID
		}
	}
	return 0
}

// inAt reports whether org id lay in the subtree of root on day d, by the
// view: its ancestors on d (AS_OF) or today's (CURRENT).
func (w *world) inAt(id, root int, d time.Time) bool {
	if w.view != "AS_OF" {
		return w.in(id, root)
	}
	if root == 0 {
		return true
	}
	for o, n := id, 0; o != 0 && n < 1000; n++ {
		if o == root {
			return true
		}
		o = w.parentAt(o, d)
	}
	return false
}

// inDuring reports whether org id lay in the subtree of root on some day
// of [from, to].
func (w *world) inDuring(id, root int, from, to time.Time) bool {
	if w.view != "AS_OF" {
		return w.in(id, root)
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if w.inAt(id, root, d) {
			return true
		}
	}
	return false
}

// childrenOf returns the children of root (0: the roots) in the period:
// today's (CURRENT), or those that were its children on some day of it
// (AS_OF), sorted by code.
func (w *world) childrenOf(root int, from, to time.Time) []*ent.Organization {
	if w.view != "AS_OF" {
		return w.children[root]
	}
	var out []*ent.Organization
	for _, o := range w.orgs { // sorted by code
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if w.parentAt(o.ID, d) == root {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// plannedView is the plan of the subtree of root for year by the view: the
// organization's own plan, else its children's, as the tree stood on 1
// January of the year (AS_OF); for CURRENT, the plans of today's subtree
// that no plan of an organization above them on that day, also in today's
// subtree, shadows.
func (w *world) plannedView(root, year int, get func(*ent.AnnualPlan) *int) (int, bool) {
	day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	if w.view == "AS_OF" {
		var rec func(id int) (int, bool)
		rec = func(id int) (int, bool) {
			if id != 0 {
				if p := w.plans[id][year]; p != nil && get(p) != nil {
					return *get(p), true
				}
			}
			sum, ok := 0, false
			for _, o := range w.orgs {
				if o.ID != id && w.parentAt(o.ID, day) == id {
					if v, has := rec(o.ID); has {
						sum, ok = sum+v, true
					}
				}
			}
			return sum, ok
		}
		return rec(root)
	}
	sum, ok := 0, false
	for org, ps := range w.plans {
		p := ps[year]
		if p == nil || get(p) == nil || !w.in(org, root) {
			continue
		}
		shadowed := false
		for a, n := w.parentAt(org, day), 0; a != 0 && n < 1000; a, n = w.parentAt(a, day), n+1 {
			if q := w.plans[a][year]; q != nil && get(q) != nil && w.in(a, root) {
				shadowed = true
				break
			}
		}
		if !shadowed {
			sum, ok = sum+*get(p), true
		}
	}
	return sum, ok
}

func loadWorld(t testing.TB, c *ent.Client) *world {
	t.Helper()
	ctx := fixtureCtx()
	w := &world{byID: map[int]*ent.Organization{}, children: map[int][]*ent.Organization{}, cands: map[int]*ent.Candidate{},
		punished: map[int]bool{}, classes: map[int]*ent.TrainingClass{}, plans: map[int]map[int]*ent.AnnualPlan{}}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.orgs, err = c.Organization.Query().All(ctx)
	must(err)
	sort.Slice(w.orgs, func(i, j int) bool { return orgLess(w.orgs[i], w.orgs[j]) })
	for _, o := range w.orgs {
		w.byID[o.ID] = o
		p := 0
		if o.ParentID != nil {
			p = *o.ParentID
		}
		w.children[p] = append(w.children[p], o)
	}
	cs, err := c.Candidate.Query().All(ctx)
	must(err)
	for _, x := range cs {
		w.cands[x.ID] = x
	}
	w.admissions, err = c.Admission.Query().All(ctx)
	must(err)
	ds, err := c.DisciplinaryAction.Query().All(ctx)
	must(err)
	for _, d := range ds {
		w.punished[d.AdmissionID] = true
	}
	cls, err := c.TrainingClass.Query().All(ctx)
	must(err)
	for _, x := range cls {
		w.classes[x.ID] = x
	}
	w.enrolls, err = c.Enrollment.Query().All(ctx)
	must(err)
	ps, err := c.AnnualPlan.Query().All(ctx)
	must(err)
	w.spans = map[int][]*ent.OrganizationLink{}
	links, err := c.OrganizationLink.Query().Where(organizationlink.Depth(1)).All(ctx)
	must(err)
	for _, l := range links {
		w.spans[l.DescendantID] = append(w.spans[l.DescendantID], l)
	}
	for _, p := range ps {
		if w.plans[p.OrganizationID] == nil {
			w.plans[p.OrganizationID] = map[int]*ent.AnnualPlan{}
		}
		w.plans[p.OrganizationID][p.Year] = p
	}
	return w
}

func orgLess(a, b *ent.Organization) bool {
	if a.Code != b.Code {
		return a.Code < b.Code
	}
	return a.ID < b.ID
}

// in reports whether org id lies in the subtree of root (0: everything),
// walking parent pointers rather than the closure table.
func (w *world) in(id, root int) bool {
	if root == 0 {
		return true
	}
	for o := w.byID[id]; o != nil; {
		if o.ID == root {
			return true
		}
		if o.ParentID == nil {
			return false
		}
		o = w.byID[*o.ParentID]
	}
	return false
}

func within(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }

func targetOf(p *ent.AnnualPlan) *int  { return &p.AdmissionTarget }
func membersOf(p *ent.AnnualPlan) *int { return p.MembersAtStart }

// prorata counts the days of [from, to] in each year one by one.
func (w *world) prorata(root int, from, to time.Time) *int {
	days := map[int]int{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days[d.Year()]++
	}
	sum, ok := 0.0, false
	for y := from.Year(); y <= to.Year(); y++ {
		if v, has := w.plannedView(root, y, targetOf); has {
			ok = true
			yd := 365
			if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
				yd = 366
			}
			sum += float64(v) * float64(days[y]) / float64(yd)
		}
	}
	if !ok {
		return nil
	}
	r := int(math.Round(sum))
	return &r
}

type oPoint struct {
	Start    string `json:"start"`
	End      string `json:"end"`
	Admitted int    `json:"admitted"`
	Target   *int   `json:"target"`
}

type oBucket struct {
	Key   string  `json:"key"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

type oRef struct {
	ID string `json:"id"`
}

// oStats mirrors the fields the property test asks for.
type oStats struct {
	Organization      *oRef                `json:"organization"`
	From              string               `json:"from"`
	To                string               `json:"to"`
	Admitted          int                  `json:"admitted"`
	Target            *int                 `json:"target"`
	TargetAttainment  *float64             `json:"targetAttainment"`
	MembersAtStart    *int                 `json:"membersAtStart"`
	AdmissionRate     *float64             `json:"admissionRate"`
	Classes           int                  `json:"classes"`
	Trainees          int                  `json:"trainees"`
	Pipeline          int                  `json:"pipeline"`
	Recognized        int                  `json:"recognized"`
	NotRecognized     int                  `json:"notRecognized"`
	LeftOrDisciplined int                  `json:"leftOrDisciplined"`
	Outcomes          []oBucket            `json:"outcomes"`
	Grassroots        int                  `json:"grassroots"`
	Year              []oPoint             `json:"year"`
	Quarter           []oPoint             `json:"quarter"`
	Month             []oPoint             `json:"month"`
	Breakdowns        map[string][]oBucket `json:"-"`
	WithoutAdmissions []oRef               `json:"withoutAdmissions"`
	// WithoutCount and WithoutFirst2 are withoutAdmissionsCount and
	// withoutAdmissions(first: 2).
	WithoutCount  int       `json:"withoutAdmissionsCount"`
	WithoutFirst2 []oRef    `json:"without2"`
	Children      []*oStats `json:"children,omitempty"`
}

func ratioOf(n int, d *int) *float64 {
	if d == nil || *d == 0 {
		return nil
	}
	r := float64(n) / float64(*d)
	return &r
}

func isGrassroots(o *ent.Organization, from, to time.Time) bool {
	return (o.Kind == organization.KindGRASSROOTS_COMMITTEE || o.Kind == organization.KindGRASSROOTS_BRANCH) &&
		!o.FoundedOn.After(to) && (o.DissolvedOn == nil || !o.DissolvedOn.Before(from))
}

var scaleKeys = map[string][]string{
	"AGE_BAND":           {"18_30", "31_40", "41_50", "51_60", "OVER_60"},
	"PROFESSIONAL_LEVEL": {"NONE", "INTERMEDIATE", "COLLEGE", "UNIVERSITY", "MASTER", "DOCTOR"},
	"POLITICAL_THEORY":   {"NONE", "ELEMENTARY", "INTERMEDIATE", "ADVANCED"},
	"EDUCATION":          {"PRIMARY", "LOWER_SECONDARY", "UPPER_SECONDARY"},
}

// dimensions are every dimension of the table: the oracle computes each
// key on its own (key below), and panics on one it does not know, so a new
// dimension is tested as soon as it is added.
var dimensions = func() []string {
	out := make([]string, len(dim.All))
	for i, d := range dim.All {
		out[i] = string(d.Name)
	}
	return out
}()

func ageOn(on, birth time.Time) int {
	age := on.Year() - birth.Year()
	if int(on.Month())*100+on.Day() < int(birth.Month())*100+birth.Day() {
		age--
	}
	return age
}

func (w *world) key(d string, a *ent.Admission) string {
	c := w.cands[a.CandidateID]
	switch d {
	case "GENDER":
		return string(c.Gender)
	case "ETHNICITY":
		return c.Ethnicity
	case "RELIGION":
		if c.Religion == "" {
			return "NONE"
		}
		return c.Religion
	case "AGE_BAND":
		switch age := ageOn(a.AdmittedOn, c.BirthDate); {
		case age <= 30:
			return "18_30"
		case age <= 40:
			return "31_40"
		case age <= 50:
			return "41_50"
		case age <= 60:
			return "51_60"
		}
		return "OVER_60"
	case "EDUCATION":
		return string(c.GeneralEducation)
	case "PROFESSIONAL_LEVEL":
		return string(c.ProfessionalLevel)
	case "POLITICAL_THEORY":
		return string(c.PoliticalTheoryLevel)
	case "OCCUPATION":
		return string(c.Occupation)
	case "SECTOR":
		return string(w.byID[a.OrganizationID].Sector)
	case "YOUTH_UNION":
		if c.YouthUnionMember {
			return "YES"
		}
		return "NO"
	}
	panic(d)
}

// oracleBuckets cuts [from, to] at calendar boundaries of n months.
func oracleBuckets(from, to time.Time, n int) [][2]time.Time {
	var out [][2]time.Time
	for s := from; !s.After(to); {
		// first day of the next bucket after s
		m := (int(s.Month()) - 1) / n * n
		next := time.Date(s.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
		e := next.AddDate(0, 0, -1)
		if e.After(to) {
			e = to
		}
		out = append(out, [2]time.Time{s, e})
		s = next
	}
	return out
}

// oracle computes every statistic of the subtree of root (0: all roots)
// from the rows; depth > 0 adds the children.
func (w *world) oracle(root int, from, to time.Time, depth int) *oStats {
	const layout = "2006-01-02"
	s := &oStats{From: from.Format(layout), To: to.Format(layout), Breakdowns: map[string][]oBucket{}, WithoutAdmissions: []oRef{}}
	if root != 0 {
		s.Organization = &oRef{ID: itoa(root)}
	}
	var adm []*ent.Admission
	for _, a := range w.admissions {
		if within(a.AdmittedOn, from, to) && w.inAt(a.OrganizationID, root, a.AdmittedOn) {
			adm = append(adm, a)
		}
	}
	s.Admitted = len(adm)
	outcome := map[string]int{}
	for _, a := range adm {
		switch {
		case a.Status == admission.StatusFULL || a.Status == admission.StatusLEFT && a.RecognitionDecidedOn != nil:
			outcome["RECOGNIZED"]++
		case a.Status == admission.StatusNOT_RECOGNIZED:
			outcome["NOT_RECOGNIZED"]++
		case a.Status == admission.StatusLEFT:
			outcome["LEFT_ON_PROBATION"]++
		default:
			outcome["ON_PROBATION"]++
		}
		switch a.Status {
		case admission.StatusFULL:
			s.Recognized++
		case admission.StatusNOT_RECOGNIZED:
			s.NotRecognized++
		}
		if a.Status == admission.StatusLEFT || w.punished[a.ID] {
			s.LeftOrDisciplined++
		}
	}
	for _, k := range []string{"RECOGNIZED", "NOT_RECOGNIZED", "LEFT_ON_PROBATION", "ON_PROBATION"} {
		b := oBucket{Key: k, Count: outcome[k]}
		if s.Admitted > 0 {
			b.Share = float64(outcome[k]) / float64(s.Admitted)
		}
		s.Outcomes = append(s.Outcomes, b)
	}
	s.Target = w.prorata(root, from, to)
	s.TargetAttainment = ratioOf(s.Admitted, s.Target)
	if v, ok := w.plannedView(root, from.Year(), membersOf); ok {
		s.MembersAtStart = &v
	}
	s.AdmissionRate = ratioOf(s.Admitted, s.MembersAtStart)
	for _, c := range w.classes {
		if c.Kind == trainingclass.KindAWARENESS && within(c.StartsOn, from, to) && w.inAt(c.OrganizerID, root, c.StartsOn) {
			s.Classes++
		}
	}
	certified := map[int]bool{}
	for _, e := range w.enrolls {
		if cl := w.classes[e.TrainingClassID]; e.Passed && cl.Kind == trainingclass.KindAWARENESS && e.CertificateOn != nil && within(*e.CertificateOn, from, to) && w.inAt(cl.OrganizerID, root, *e.CertificateOn) {
			certified[e.CandidateID] = true
		}
	}
	s.Trainees = len(certified)
	end := to.AddDate(0, 0, 1)
	for _, c := range w.cands {
		if w.inAt(c.OrganizationID, root, to) && c.CreatedAt.Before(end) &&
			(c.Status == candidate.StatusSOURCE || c.Status == candidate.StatusTRAINED || c.Status == candidate.StatusAPPLIED) {
			s.Pipeline++
		}
	}
	for _, o := range w.orgs { // sorted by code
		if !isGrassroots(o, from, to) || !w.inDuring(o.ID, root, from, to) {
			continue
		}
		s.Grassroots++
		// Its own subtree's admissions of the period, wherever it stood.
		admitted := false
		for _, a := range w.admissions {
			if within(a.AdmittedOn, from, to) && w.inAt(a.OrganizationID, o.ID, a.AdmittedOn) {
				admitted = true
				break
			}
		}
		if !admitted {
			s.WithoutAdmissions = append(s.WithoutAdmissions, oRef{ID: itoa(o.ID)})
		}
	}
	s.WithoutCount = len(s.WithoutAdmissions)
	s.WithoutFirst2 = s.WithoutAdmissions[:min(2, len(s.WithoutAdmissions))]
	series := func(n int) []oPoint {
		var out []oPoint
		for _, b := range oracleBuckets(from, to, n) {
			p := oPoint{Start: b[0].Format(layout), End: b[1].Format(layout), Target: w.prorata(root, b[0], b[1])}
			for _, a := range adm {
				if within(a.AdmittedOn, b[0], b[1]) {
					p.Admitted++
				}
			}
			out = append(out, p)
		}
		return out
	}
	s.Year, s.Quarter, s.Month = series(12), series(3), series(1)
	for _, d := range dimensions {
		counts := map[string]int{}
		for _, a := range adm {
			counts[w.key(d, a)]++
		}
		share := func(n int) float64 {
			if s.Admitted == 0 {
				return 0
			}
			return float64(n) / float64(s.Admitted)
		}
		out := []oBucket{}
		if keys, ok := scaleKeys[d]; ok {
			for _, k := range keys {
				out = append(out, oBucket{k, counts[k], share(counts[k])})
			}
		} else {
			for k, n := range counts {
				out = append(out, oBucket{k, n, share(n)})
			}
			sort.Slice(out, func(i, j int) bool {
				if out[i].Count != out[j].Count {
					return out[i].Count > out[j].Count
				}
				return out[i].Key < out[j].Key
			})
		}
		s.Breakdowns[d] = out
	}
	if depth > 0 {
		s.Children = []*oStats{}
		for _, c := range w.childrenOf(root, from, to) {
			s.Children = append(s.Children, w.oracle(c.ID, from, to, depth-1))
		}
	}
	return s
}
