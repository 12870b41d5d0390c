package seed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
)

// The demo's acceptance figures, from the source article (see doc.go).
const (
	DemoBlocCode          = "BL-KCQ"
	DemoAdmissions        = 1004 // admitted_on in DemoPeriodFrom..DemoPeriodTo
	DemoCollegeUniversity = 880
	DemoMaster            = 53
	DemoAwarenessClasses  = 12 // AWARENESS, organized in the bloc, starts_on in DemoClassesFrom..DemoPeriodTo
	DemoCertified         = 963
)

// ErrDemoLoaded reports an --append of the demo to a database that has it.
var ErrDemoLoaded = errors.New("cơ sở dữ liệu đã có dữ liệu mẫu (BL-KCQ) / the demo data is already loaded")

// Demo periods.
var (
	DemoPeriodFrom  = day(2015, time.January, 1)
	DemoPeriodTo    = day(2020, time.June, 30)
	DemoClassesFrom = day(2015, time.July, 1)
	// DemoAsOf is the date the demo's statuses describe: the end of the
	// 2020–2025 term; candidates still in the pipeline are so on that day.
	DemoAsOf = day(2025, time.December, 31)
)

// DemoTargets are the bloc's own yearly admission targets.
var DemoTargets = map[int]int{
	2015: 100, 2016: 105, 2017: 110, 2018: 110, 2019: 115, 2020: 120,
	2021: 180, 2022: 185, 2023: 190, 2024: 195, 2025: 180,
}

// demoQuarters are the bloc's admissions per quarter. Q1/2016 and Q1/2019
// are empty: "có năm trong một quý toàn Đảng bộ Khối không kết nạp được
// đảng viên nào … thường rơi vào những tháng đầu năm".
var demoQuarters = []struct {
	year int
	q    [4]int
}{
	{2015, [4]int{20, 55, 62, 38}},
	{2016, [4]int{0, 68, 60, 42}},
	{2017, [4]int{18, 62, 65, 40}},
	{2018, [4]int{22, 60, 66, 42}},
	{2019, [4]int{0, 75, 70, 44}},
	{2020, [4]int{25, 70, 50, 55}},
	{2021, [4]int{22, 58, 65, 45}},
	{2022, [4]int{25, 62, 70, 48}},
	{2023, [4]int{20, 60, 72, 46}},
	{2024, [4]int{28, 64, 70, 50}},
	{2025, [4]int{15, 60, 66, 45}},
}

// demoLevels are the professional levels of the admissions of the period,
// exactly: 880 college or university, 53 masters.
var demoLevels = []struct {
	level string
	n     int
}{{"DOCTOR", 2}, {"MASTER", DemoMaster}, {"UNIVERSITY", 740}, {"COLLEGE", DemoCollegeUniversity - 740}, {"INTERMEDIATE", 52}, {"NONE", 17}}

// awareness class starts: before, during and after the period.
var demoAwareness = []time.Time{
	day(2013, 9, 9), day(2014, 3, 10), day(2014, 8, 11), day(2014, 11, 10), day(2015, 3, 16), day(2015, 5, 18),
	day(2015, 8, 10), day(2015, 11, 9), day(2016, 4, 11), day(2016, 9, 12), day(2017, 3, 13), day(2017, 8, 14),
	day(2018, 3, 12), day(2018, 8, 13), day(2019, 3, 11), day(2019, 8, 12), day(2019, 11, 11), day(2020, 5, 11),
	day(2020, 9, 14), day(2021, 3, 15), day(2021, 8, 9), day(2021, 11, 8), day(2022, 3, 14), day(2022, 8, 8),
	day(2022, 11, 7), day(2023, 3, 13), day(2023, 8, 14), day(2023, 11, 13), day(2024, 3, 11), day(2024, 8, 12),
	day(2024, 11, 11), day(2025, 3, 10), day(2025, 8, 11), day(2025, 11, 10),
}

// demoMinUntrained is the least number of people certified in the period
// who were never admitted (withdrew or were rejected).
const demoMinUntrained = 25

const bacLieuCode = 95 // province code of Bạc Liêu (CCCD 095)

type demoUnitOrg struct {
	demoUnit
	org    *org
	leaves []*org
}

// demo is the built demo, ready to write.
type demo struct {
	r       *rand.Rand
	bloc    *org
	units   []*demoUnitOrg
	orgs    []*org
	unitOf  map[*org]*demoUnitOrg
	classes []*class
	people  []*person
	plans   []planRowData
}

type planRowData struct {
	org                   *org
	year, target, members int
}

// Demo loads the demo dataset: the Bạc Liêu bloc of the source article.
func Demo(ctx context.Context, d *db.DB, opts Options) (*Result, error) {
	ctx = viewer.SystemContext(ctx) // a loader works below the viewer's scope
	if opts.Append {
		found, err := d.Client.Organization.Query().Where(organization.Code(DemoBlocCode)).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("looking for the demo bloc: %w", err)
		}
		if found {
			return nil, ErrDemoLoaded
		}
	}
	dm := buildDemo()
	total := int64(len(dm.orgs) + len(dm.classes) + len(dm.people) + len(dm.plans))
	for _, p := range dm.people {
		total += int64(len(p.enrolls))
		if p.adm != nil {
			total += int64(1 + len(p.adm.disciplines))
		}
	}
	return load(ctx, d, opts, false, total, dm.write)
}

func buildDemo() *demo {
	dm := &demo{r: rand.New(rand.NewPCG(2015, 1004)), unitOf: map[*org]*demoUnitOrg{}}
	dm.buildOrgs()
	dm.buildClasses()
	dm.buildAdmissions()
	dm.buildPipeline()
	dm.buildNewMemberClasses()
	dm.buildPlans()
	return dm
}

func (dm *demo) buildOrgs() {
	r := dm.r
	dm.bloc = &org{code: DemoBlocCode, name: "Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu", kind: "BLOC",
		sector: "PARTY_AGENCY", founded: day(1997, time.February, 15)}
	dm.orgs = append(dm.orgs, dm.bloc)
	for i, u := range demoUnits {
		o := &org{code: fmt.Sprintf("%s-%02d", DemoBlocCode, i+1), name: u.name, kind: u.kind, sector: u.sector,
			parent: dm.bloc, depth: 1, founded: addDays(day(1997, time.March, 1), r.IntN(365*12))}
		uo := &demoUnitOrg{demoUnit: u, org: o}
		dm.orgs = append(dm.orgs, o)
		dm.unitOf[o] = uo
		if len(u.branches) == 0 {
			uo.leaves = []*org{o}
		}
		for j, b := range u.branches {
			bo := &org{code: fmt.Sprintf("%s-%02d", o.code, j+1), name: b, kind: "BRANCH", sector: u.sector,
				parent: o, depth: 2, founded: addDays(o.founded, r.IntN(365*4))}
			dm.orgs = append(dm.orgs, bo)
			dm.unitOf[bo] = uo
			uo.leaves = append(uo.leaves, bo)
		}
		dm.units = append(dm.units, uo)
	}
}

func (dm *demo) buildClasses() {
	perYear := map[int]int{}
	for _, s := range demoAwareness {
		perYear[s.Year()]++
		n := perYear[s.Year()]
		dm.classes = append(dm.classes, &class{
			name:     fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, khóa %d năm %d", n, s.Year()),
			kind:     "AWARENESS",
			starts:   s,
			ends:     addDays(s, 4),
			location: "Hội trường Đảng ủy Khối Các cơ quan tỉnh Bạc Liêu",
			organize: dm.bloc,
			code:     fmt.Sprintf("NT%d.%d", s.Year(), n),
		})
	}
}

// inPeriod reports whether an awareness class counts for the article's figure.
func inPeriod(c *class) bool {
	return c.kind == "AWARENESS" && !c.starts.Before(DemoClassesFrom) && !c.ends.After(DemoPeriodTo)
}

// pickUnit draws a unit by its admission weight.
func (dm *demo) pickUnit() *demoUnitOrg {
	total := 0.0
	for _, u := range dm.units {
		total += u.weight
	}
	x := dm.r.Float64() * total
	for _, u := range dm.units {
		x -= u.weight
		if x < 0 {
			return u
		}
	}
	return dm.units[len(dm.units)-1]
}

// newPerson makes a person followed by a leaf organization, with the
// attributes that do not depend on the level.
func (dm *demo) newPerson(leaf *org, student bool) *person {
	r := dm.r
	femaleRate := 0.5
	switch {
	case strings.Contains(leaf.parentName(), "Y tế"), strings.Contains(leaf.parentName(), "Bệnh viện"),
		strings.Contains(leaf.parentName(), "Giáo dục"):
		femaleRate = 0.62
	case leaf.sector == "STATE_ENTERPRISE":
		femaleRate = 0.3
	}
	p := &person{org: leaf, female: r.Float64() < femaleRate}
	g := groups[bacLieuMix.draw(r)]
	p.ethnicity = g.name
	p.name = g.fullName(r, p.female)
	p.religion = g.religions.draw(r)
	p.occupation = occupationFor(r, leaf.sector, student)
	return p
}

// parentName is the name of the grassroots organization above a branch, or its own.
func (o *org) parentName() string {
	if o.kind == "BRANCH" && o.parent != nil {
		return o.parent.name
	}
	return o.name
}

// occupations are the occupations typical of each sector.
var occupations = map[string]*choice{
	"PARTY_AGENCY":         pick("CIVIL_SERVANT", 85, "PUBLIC_EMPLOYEE", 15),
	"STATE_AGENCY":         pick("CIVIL_SERVANT", 85, "PUBLIC_EMPLOYEE", 15),
	"PUBLIC_SERVICE":       pick("PUBLIC_EMPLOYEE", 92, "CIVIL_SERVANT", 5, "OTHER", 3),
	"STATE_ENTERPRISE":     pick("SOE_EMPLOYEE", 75, "WORKER", 25),
	"NON_STATE_ENTERPRISE": pick("WORKER", 60, "OTHER", 30, "BUSINESS_OWNER", 10),
	"ARMED_FORCES":         pick("ARMED_FORCES", 1),
	"COMMUNE":              pick("FARMER", 35, "OTHER", 25, "CIVIL_SERVANT", 15, "BUSINESS_OWNER", 10, "WORKER", 10, "STUDENT", 5),
	"OTHER":                pick("OTHER", 1),
}

// occupationFor draws an occupation typical of a sector.
func occupationFor(r *rand.Rand, sector string, student bool) string {
	if student {
		return "STUDENT"
	}
	return occupations[sector].draw(r)
}

// levelScore orders people for the exact level quotas: agencies first,
// enterprises and students last, with noise so sectors mix.
func levelScore(r *rand.Rand, p *person) float64 {
	s := map[string]float64{"PARTY_AGENCY": 1, "STATE_AGENCY": 1, "PUBLIC_SERVICE": 0.9,
		"STATE_ENTERPRISE": 0.45, "NON_STATE_ENTERPRISE": 0}[p.org.sector]
	if p.occupation == "STUDENT" {
		s -= 1.2
	}
	return s + r.NormFloat64()*0.3
}

// levelFor draws a professional level; the share with degrees rises over the years.
func levelFor(r *rand.Rand, sector string, year int, student bool) string {
	if student {
		return studentLevels.draw(r)
	}
	year = min(max(year, levelYears), levelYears+len(levelTable["OTHER"])-1)
	return levelTable[sector][year-levelYears].draw(r)
}

var studentLevels = pick("NONE", 70, "INTERMEDIATE", 30)

// levelYears is the first year of levelTable.
const levelYears = 2010

// levelTable holds the level choices per sector and year from levelYears.
var levelTable = func() map[string][]*choice {
	t := map[string][]*choice{}
	for _, sector := range []string{"PARTY_AGENCY", "STATE_AGENCY", "PUBLIC_SERVICE", "STATE_ENTERPRISE",
		"NON_STATE_ENTERPRISE", "ARMED_FORCES", "COMMUNE", "OTHER"} {
		for year := levelYears; year <= 2030; year++ {
			t[sector] = append(t[sector], levelChoice(sector, year))
		}
	}
	return t
}()

// levelChoice is the mix of professional levels of a sector's new members in a year.
func levelChoice(sector string, year int) *choice {
	lift := float64(year-2016) * 0.012
	switch sector {
	case "PARTY_AGENCY", "STATE_AGENCY":
		return pick("UNIVERSITY", 0.74+lift, "MASTER", 0.07+lift/2, "COLLEGE", 0.1, "INTERMEDIATE", max(0.01, 0.07-lift), "DOCTOR", 0.005, "NONE", 0.005)
	case "PUBLIC_SERVICE":
		return pick("UNIVERSITY", 0.6+lift, "COLLEGE", 0.2, "MASTER", 0.05+lift/2, "INTERMEDIATE", max(0.02, 0.12-lift), "DOCTOR", 0.01, "NONE", 0.02)
	case "STATE_ENTERPRISE", "ARMED_FORCES":
		return pick("UNIVERSITY", 0.4+lift, "COLLEGE", 0.2, "INTERMEDIATE", max(0.05, 0.25-lift), "NONE", 0.13, "MASTER", 0.02)
	case "COMMUNE":
		return pick("UNIVERSITY", 0.25+lift, "COLLEGE", 0.1, "INTERMEDIATE", 0.2, "NONE", max(0.15, 0.45-lift))
	default:
		return pick("UNIVERSITY", 0.2+lift, "COLLEGE", 0.15, "INTERMEDIATE", 0.2, "NONE", max(0.2, 0.45-lift))
	}
}

var olderTheory = pick("NONE", 50, "ELEMENTARY", 35, "INTERMEDIATE", 15)

// finishPerson draws the attributes that depend on level and age.
func finishPerson(r *rand.Rand, p *person, resolution time.Time) {
	var age int
	switch {
	case p.occupation == "STUDENT":
		age = 19 + r.IntN(4)
	case p.level == "MASTER" || p.level == "DOCTOR":
		age = 27 + r.IntN(19)
	default:
		age = ageBand(r)
		if (p.level == "UNIVERSITY" || p.level == "COLLEGE") && age < 22 {
			age = 22 + r.IntN(9)
		}
	}
	p.birth = birthFor(r, resolution, age)
	p.generalEdu = "UPPER_SECONDARY"
	if p.level == "NONE" && p.occupation != "STUDENT" && r.IntN(10) < 3 {
		p.generalEdu = "LOWER_SECONDARY"
	}
	p.youth = age <= 30 && r.Float64() < 0.85
	p.theory = "NONE"
	if age >= 30 {
		p.theory = olderTheory.draw(r)
	} else if p.occupation != "STUDENT" && r.Float64() < 0.15 {
		p.theory = "ELEMENTARY"
	}
}

// buildAdmissions makes every admission of 2015–2025, with the exact
// figures of the period, and the people admitted.
func (dm *demo) buildAdmissions() {
	r := dm.r
	var adms []*admission
	for _, y := range demoQuarters {
		for q, n := range y.q {
			for range n {
				u := dm.pickUnit()
				leaf := u.leaves[r.IntN(len(u.leaves))]
				student := strings.Contains(leaf.name, "Sinh viên") && r.Float64() < 0.9
				p := dm.newPerson(leaf, student)
				a := &admission{person: p, org: leaf, admitted: admissionDay(r, y.year, q+1)}
				p.adm = a
				adms = append(adms, a)
			}
		}
	}
	// Exact levels in the period, assigned by rank of a sector score.
	var period []*admission
	for _, a := range adms {
		if !a.admitted.After(DemoPeriodTo) {
			period = append(period, a)
		} else {
			a.person.level = levelFor(r, a.org.sector, a.admitted.Year(), a.person.occupation == "STUDENT")
		}
	}
	scores := make(map[*admission]float64, len(period))
	for _, a := range period {
		scores[a] = levelScore(r, a.person)
	}
	slices.SortStableFunc(period, func(x, y *admission) int {
		if scores[x] > scores[y] {
			return -1
		}
		if scores[x] < scores[y] {
			return 1
		}
		return 0
	})
	i := 0
	for _, l := range demoLevels {
		for range l.n {
			period[i].person.level = l.level
			i++
		}
	}
	if i != len(period) {
		panic(fmt.Sprintf("seed: demo level quotas cover %d of %d admissions", i, len(period)))
	}
	slices.SortStableFunc(adms, func(x, y *admission) int { return x.admitted.Compare(y.admitted) })

	seq := map[int]int{}
	byUnit := map[*demoUnitOrg][]*person{}
	for _, a := range adms {
		p := a.person
		a.resolution, a.decision = workflow(r, a.admitted)
		if a.admitted.After(DemoPeriodTo) && r.Float64() < 0.015 {
			a.decision = weekday(addDays(a.admitted, -(45+r.IntN(20))), addDays(a.admitted, -70), a.admitted)
			a.resolution = addDays(a.decision, -(15 + r.IntN(30)))
			a.resolution = weekday(a.resolution, addDays(a.resolution, -3), addDays(a.decision, -1))
			a.delayReason = delayReasons.draw(r)
		}
		seq[a.decision.Year()]++
		a.decisionNo = fmt.Sprintf("%d-QĐ/ĐUK", seq[a.decision.Year()])
		finishPerson(r, p, a.resolution)
		p.status = "ADMITTED"
		p.created = stamp(addDays(a.resolution, -(200 + r.IntN(300))))
		aftermath(r, a, DemoAsOf, 0.035, 0.02, 0.025)
		// Introducers: a full member of the same unit when there is one.
		u := dm.unitOf[a.org]
		for k := range 2 {
			if k == 0 && r.Float64() < 0.6 {
				var ok []*person
				for _, m := range byUnit[u] {
					if fullMemberOn(m, a.resolution) {
						ok = append(ok, m)
					}
				}
				if len(ok) > 0 {
					a.intro[k].member = ok[r.IntN(len(ok))]
					continue
				}
			}
			g := groups[bacLieuMix.draw(r)]
			a.intro[k].name = g.fullName(r, r.IntN(2) == 0)
			a.intro[k].cardNo = cardNo(r, bacLieuCode)
		}
		byUnit[u] = append(byUnit[u], p)
		dm.people = append(dm.people, p)
	}
	dm.assignAwareness(adms)
}

// eligible returns the awareness classes whose certificate is valid for a
// resolution: ended at least two weeks before it, at most five years.
func (dm *demo) eligible(resolution time.Time) []*class {
	var out []*class
	for _, c := range dm.classes {
		if c.kind == "AWARENESS" && !c.ends.After(addDays(resolution, -14)) && !c.ends.Before(resolution.AddDate(-5, 0, 0)) {
			out = append(out, c)
		}
	}
	return out
}

// assignAwareness gives every admitted person the class that certified
// them, then moves some to classes outside the period so that at least
// demoMinUntrained of the period's certificates go to people never admitted.
func (dm *demo) assignAwareness(adms []*admission) {
	r := dm.r
	chosen := map[*admission][]*class{}
	for _, a := range adms {
		el := dm.eligible(a.resolution)
		if len(el) == 0 {
			panic("seed: no awareness class before " + a.resolution.Format(time.DateOnly))
		}
		k := len(el) - 1
		if x := r.Float64(); x > 0.7 && k > 0 {
			k--
			if x > 0.9 && k > 0 {
				k--
			}
		}
		chosen[a] = el
		a.person.enrolls = []enrollment{{class: el[k], passed: true}}
	}
	count := func() int {
		n := 0
		for _, a := range adms {
			if inPeriod(a.person.enrolls[0].class) {
				n++
			}
		}
		return n
	}
	for _, a := range adms { // earliest first: move to an older class
		if count() <= DemoCertified-demoMinUntrained {
			break
		}
		if !inPeriod(a.person.enrolls[0].class) {
			continue
		}
		for _, c := range chosen[a] {
			if !inPeriod(c) {
				a.person.enrolls[0].class = c
				break
			}
		}
	}
	for i := len(adms) - 1; i >= 0 && count() > DemoCertified-demoMinUntrained; i-- { // latest: a newer class
		a := adms[i]
		if !inPeriod(a.person.enrolls[0].class) {
			continue
		}
		el := chosen[a]
		if c := el[len(el)-1]; !inPeriod(c) && c.starts.After(DemoPeriodTo) {
			a.person.enrolls[0].class = c
		}
	}
	if count() > DemoCertified-demoMinUntrained {
		panic("seed: too many of the period's certificates went to admitted people")
	}
	// A few failed a class before the one they passed.
	for _, a := range adms {
		p := a.person
		if r.Float64() < 0.02 {
			passed := p.enrolls[0].class
			i := slices.Index(dm.classes, passed)
			if i > 0 && dm.classes[i-1].kind == "AWARENESS" {
				p.enrolls = []enrollment{{class: dm.classes[i-1]}, p.enrolls[0]}
			}
		}
		recordedBefore(p)
	}
}

// recordedBefore moves a person's record before their first class: a
// branch follows a candidate before sending them to be trained.
func recordedBefore(p *person) {
	if len(p.enrolls) == 0 {
		return
	}
	if first := stamp(addDays(p.enrolls[0].class.starts, -45)); first.Before(p.created) {
		p.created = first
	}
}

// buildPipeline adds the people certified in the period who were never
// admitted, and those still in the pipeline on DemoAsOf.
func (dm *demo) buildPipeline() {
	r := dm.r
	certified := 0
	for _, p := range dm.people {
		for _, e := range p.enrolls {
			if e.passed && inPeriod(e.class) {
				certified++
			}
		}
	}
	var periodClasses, lateClasses []*class
	for _, c := range dm.classes {
		if inPeriod(c) {
			periodClasses = append(periodClasses, c)
		}
		if c.starts.Year() >= 2024 {
			lateClasses = append(lateClasses, c)
		}
	}
	add := func(status string, c *class, resolution time.Time) {
		u := dm.pickUnit()
		leaf := u.leaves[r.IntN(len(u.leaves))]
		p := dm.newPerson(leaf, strings.Contains(leaf.name, "Sinh viên") && r.Float64() < 0.9)
		p.level = levelFor(r, leaf.sector, resolution.Year(), p.occupation == "STUDENT")
		finishPerson(r, p, resolution)
		p.status = status
		p.created = stamp(addDays(resolution, -(150 + r.IntN(200))))
		if c != nil {
			p.enrolls = []enrollment{{class: c, passed: true}}
		}
		recordedBefore(p)
		dm.people = append(dm.people, p)
	}
	for range DemoCertified - certified {
		c := periodClasses[r.IntN(len(periodClasses))]
		add(pick("WITHDRAWN", 60, "REJECTED", 40).draw(r), c, addDays(c.ends, 60+r.IntN(300)))
	}
	for range 45 {
		add("SOURCE", nil, between(r, day(2025, 3, 1), DemoAsOf))
	}
	for range 70 {
		c := lateClasses[r.IntN(len(lateClasses))]
		add("TRAINED", c, addDays(c.ends, 20+r.IntN(100)))
	}
	for range 30 {
		c := lateClasses[len(lateClasses)-3+r.IntN(3)]
		add("APPLIED", c, addDays(c.ends, 20+r.IntN(40)))
	}
	for range 35 {
		c := dm.classes[r.IntN(len(dm.classes))]
		if inPeriod(c) {
			continue
		}
		add(pick("WITHDRAWN", 70, "REJECTED", 30).draw(r), c, addDays(c.ends, 60+r.IntN(300)))
	}
}

// buildNewMemberClasses holds the course for new members twice a year;
// each new member attends the first one after the ceremony.
func (dm *demo) buildNewMemberClasses() {
	var nm []*class
	for y := 2015; y <= 2025; y++ {
		for k, m := range []time.Month{time.April, time.October} {
			s := weekday(day(y, m, 20), day(y, m, 17), day(y, m, 23))
			for s.Weekday() != time.Monday {
				s = addDays(s, 1)
			}
			nm = append(nm, &class{
				name:     fmt.Sprintf("Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa %d năm %d", k+1, y),
				kind:     "NEW_MEMBER",
				starts:   s,
				ends:     addDays(s, 4),
				location: "Trường Chính trị Châu Văn Đặng",
				organize: dm.bloc,
				code:     fmt.Sprintf("DVM%d.%d", y, k+1),
			})
		}
	}
	for _, p := range dm.people {
		a := p.adm
		if a == nil {
			continue
		}
		for _, c := range nm {
			if c.starts.After(addDays(a.admitted, 20)) && c.ends.Before(probationEnd(a.admitted)) && !c.ends.After(DemoAsOf) {
				p.enrolls = append(p.enrolls, enrollment{class: c, passed: a.status != "NOT_RECOGNIZED" || dm.r.IntN(2) == 0})
				break
			}
		}
	}
	dm.classes = append(dm.classes, nm...)
	slices.SortStableFunc(dm.classes, func(x, y *class) int { return x.starts.Compare(y.starts) })
}

// buildPlans gives every organization a plan per year: members at the
// start of the year and an admission target near what it achieved; the
// bloc's own targets are DemoTargets.
func (dm *demo) buildPlans() {
	r := dm.r
	admitted := map[*org]map[int]int{}
	gone := map[*org]map[int]int{}
	for _, p := range dm.people {
		if a := p.adm; a != nil {
			inc(admitted, a.org, a.admitted.Year())
			if !a.notRecognized.IsZero() {
				inc(gone, a.org, a.notRecognized.Year())
			}
			if !a.left.IsZero() {
				inc(gone, a.org, a.left.Year())
			}
		}
	}
	members := map[*org]int{}
	for _, u := range dm.units {
		for _, l := range u.leaves {
			if l.kind == "GRASSROOTS_BRANCH" {
				members[l] = 12 + r.IntN(15)
			} else {
				members[l] = int(math.Round(u.weight*float64(42+r.IntN(20))/float64(len(u.leaves)))) + 8 + r.IntN(12)
			}
		}
	}
	for y := 2015; y <= 2025; y++ {
		bloc := 0
		for _, u := range dm.units {
			unit, unitAdm := 0, 0
			for _, l := range u.leaves {
				m, n := members[l], admitted[l][y]
				unit += m
				unitAdm += n
				if l != u.org {
					dm.plans = append(dm.plans, planRowData{l, y, target(r, n, 0.6, 1.1), m})
				}
				out := int(math.Round(float64(m)*0.011+r.Float64())) + gone[l][y]
				next := m + n - out
				if l.kind == "GRASSROOTS_BRANCH" && next > 29 {
					next = 29
				}
				members[l] = max(next, 3)
			}
			dm.plans = append(dm.plans, planRowData{u.org, y, target(r, unitAdm, 0.75, 1.02), unit})
			bloc += unit
		}
		dm.plans = append(dm.plans, planRowData{dm.bloc, y, DemoTargets[y], bloc})
	}
}

// target draws a target near an actual number of admissions.
func target(r *rand.Rand, actual int, lo, hi float64) int {
	return int(math.Round(float64(actual) * (lo + r.Float64()*(hi-lo))))
}

func inc(m map[*org]map[int]int, o *org, year int) {
	if m[o] == nil {
		m[o] = map[int]int{}
	}
	m[o][year]++
}

// write assigns ids and writes the demo's rows, table by table.
func (dm *demo) write(_ context.Context, w *writer, a *ids) error {
	for _, o := range dm.orgs {
		o.id = a.take(tOrganizations)
	}
	for _, c := range dm.classes {
		c.id = a.take(tTrainingClasses)
	}
	serial := map[string]int{}
	for i, p := range dm.people {
		p.id = a.take(tCandidates)
		if i%5 != 4 {
			key := fmt.Sprint(p.female, p.birth.Year())
			serial[key]++
			p.nid = nationalID(bacLieuCode, p.female, p.birth, serial[key]*37+i%37)
		}
		if i%4 != 3 {
			p.phone = phone(p.id % 100000000)
		}
		if p.adm != nil {
			p.adm.id = a.take(tAdmissions)
		}
	}
	if err := writeTable(w, tOrganizations, len(dm.orgs), func(i int) error { return orgRow(w, dm.orgs[i]) }); err != nil {
		return err
	}
	if err := writeTable(w, tTrainingClasses, len(dm.classes), func(i int) error { return classRow(w, dm.classes[i]) }); err != nil {
		return err
	}
	if err := writeTable(w, tCandidates, len(dm.people), func(i int) error { return personRow(w, dm.people[i]) }); err != nil {
		return err
	}
	if err := writeEach(w, tEnrollments, func() error {
		for _, p := range dm.people {
			for _, e := range p.enrolls {
				if e.passed {
					e.class.seats++
					e.certNo = fmt.Sprintf("%s-%03d", e.class.code, e.class.seats)
				}
				if err := enrollmentRow(w, a.take(tEnrollments), p, e); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeEach(w, tAdmissions, func() error {
		for _, p := range dm.people {
			if p.adm != nil {
				if err := admissionRow(w, p.adm); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeEach(w, tDisciplinaryActions, func() error {
		for _, p := range dm.people {
			if p.adm == nil {
				continue
			}
			for _, d := range p.adm.disciplines {
				if err := disciplineRow(w, a.take(tDisciplinaryActions), p.adm, d); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return writeTable(w, tAnnualPlans, len(dm.plans), func(i int) error {
		pl := dm.plans[i]
		return planRow(w, a.take(tAnnualPlans), pl.org, pl.year, pl.target, pl.members)
	})
}

// writeTable writes n rows of t.
func writeTable(w *writer, t *table, n int, row func(i int) error) error {
	return writeEach(w, t, func() error {
		for i := range n {
			if err := row(i); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeEach brackets the rows body writes with the table's begin and end.
func writeEach(w *writer, t *table, body func() error) error {
	if err := w.begin(t); err != nil {
		return err
	}
	if err := body(); err != nil {
		return err
	}
	return w.end()
}
