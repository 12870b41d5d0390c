package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
)

// Scale is the size of a synthetic dataset.
type Scale string

// The scales of synthetic data.
const (
	// ScaleS is one bloc: about 150 organizations, 1,000 admissions.
	ScaleS Scale = "S"
	// ScaleM is one province: about 3,000 organizations, 50,000 admissions.
	ScaleM Scale = "M"
	// ScaleL is the country: 34 provinces, about 52,000 grassroots
	// organizations, 270,000 branches and 1,800,000 admissions.
	ScaleL Scale = "L"
)

// ParseScale reads S, M or L.
func ParseScale(s string) (Scale, error) {
	switch sc := Scale(s); sc {
	case ScaleS, ScaleM, ScaleL:
		return sc, nil
	}
	return "", fmt.Errorf("want S, M or L, got %q / cần S, M hoặc L", s)
}

type scaleSpec struct {
	national   bool // the root is the Central Committee over 34 provinces
	bloc       bool // the root is a bloc of agencies, not a whole province
	grassroots int
	branches   int
	admissions int
}

var scales = map[Scale]scaleSpec{
	ScaleS: {bloc: true, grassroots: 30, branches: 120, admissions: 1000},
	ScaleM: {grassroots: 500, branches: 2500, admissions: 50000},
	ScaleL: {national: true, grassroots: 52000, branches: 270000, admissions: 1800000},
}

// Synthetic years: admissions 2016–2025, classes from 2014 so that the
// first admissions have certificates.
const (
	firstYear      = 2016
	lastYear       = 2025
	years          = lastYear - firstYear + 1
	firstClassYear = 2014
	classYears     = lastYear - firstClassYear + 1
)

// synthAsOf is the date synthetic statuses describe.
var synthAsOf = day(lastYear, time.December, 31)

// yearFactor shapes admissions over the years: dips in 2020–2021
// (COVID-19) and 2025 (the reorganization of the tree).
var yearFactor = [years]float64{0.98, 1.02, 1.04, 1.05, 0.93, 0.92, 1.04, 1.03, 1.05, 0.94}

// quarterWeights: low first quarters, peaks around 19/5 and 2/9.
var quarterWeights = [4]float64{0.13, 0.31, 0.33, 0.23}

// sectorMix and sectorRate: the sectors of grassroots organizations and how
// many people each admits relative to the others.
var (
	blocSectors     = pick("PARTY_AGENCY", 12, "STATE_AGENCY", 45, "PUBLIC_SERVICE", 30, "STATE_ENTERPRISE", 8, "NON_STATE_ENTERPRISE", 5)
	provinceSectors = pick("COMMUNE", 9, "PARTY_AGENCY", 3, "STATE_AGENCY", 12, "PUBLIC_SERVICE", 40, "STATE_ENTERPRISE", 4,
		"NON_STATE_ENTERPRISE", 20, "ARMED_FORCES", 6, "OTHER", 6)
	sectorRate = map[string]float64{"COMMUNE": 4, "ARMED_FORCES": 2.5, "PUBLIC_SERVICE": 0.9, "STATE_AGENCY": 1,
		"PARTY_AGENCY": 0.9, "STATE_ENTERPRISE": 0.8, "NON_STATE_ENTERPRISE": 0.2, "OTHER": 0.5}
	committeeShare = map[string]float64{"COMMUNE": 1, "ARMED_FORCES": 0.7, "STATE_AGENCY": 0.6, "PARTY_AGENCY": 0.4,
		"PUBLIC_SERVICE": 0.45, "STATE_ENTERPRISE": 0.6, "NON_STATE_ENTERPRISE": 0.2, "OTHER": 0.3}
)

// Rates of what happens to people, per person.
const (
	notRecognizedRate = 0.05
	leftRate          = 0.015
	disciplineRate    = 0.02
	failRate          = 0.04 // failed a class before the one they passed
	pipelineRatio     = 0.39 // people never admitted (yet), per admission
	delayRate         = 0.01 // ceremonies more than 30 working days after the decision
)

// pipelineStatuses are what became of people never admitted, by DemoAsOf.
var pipelineStatuses = pick("WITHDRAWN", 30, "REJECTED", 10, "TRAINED", 25, "APPLIED", 10, "SOURCE", 25)

// sunit is a grassroots organization with what drives its people.
type sunit struct {
	org      *org
	prov     int
	leaves   []*org
	rate     float64 // expected admissions a year
	members0 int
}

// sprov is a province of the dataset: its data, its organizer of classes
// and the classes' id offset and number a year.
type sprov struct {
	p         *province
	organizer *org
	perYear   int
	offset    int
	certs     float64 // expected certificates a year
}

// synth builds a synthetic dataset, streaming its people unit by unit.
type synth struct {
	seed      uint64
	spec      scaleSpec
	appending bool
	tag       string
	orgs      []*org
	uppers    []*org // root and provinces, for plans
	units     []*sunit
	provs     []*sprov
	classBase int
	// per unit and year, filled by the candidates pass for the plans
	admitted [][years]int32
	gone     [][years]int32
}

// Synthetic loads a generated dataset of the given scale. The same seed
// gives the same rows, and the same checksum, on every database.
func Synthetic(ctx context.Context, d *db.DB, scale Scale, seed uint64, opts Options) (*Result, error) {
	ctx = viewer.SystemContext(ctx) // a loader works below the viewer's scope
	spec, ok := scales[scale]
	if !ok {
		return nil, fmt.Errorf("unknown scale %q", scale)
	}
	s := &synth{seed: seed, spec: spec, appending: opts.Append}
	return load(ctx, d, opts, true, s.estimate(), s.write)
}

// rng returns the random stream of one purpose and index; each pass
// over the units replays the streams it needs, so passes agree.
func (s *synth) rng(stream, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.seed, stream<<48^i))
}

const (
	streamTree = iota + 1
	streamCore
	streamPerson
	streamAdmission
	streamPlans
)

// estimate returns the expected number of rows, for progress reports.
func (s *synth) estimate() int64 {
	a := float64(s.spec.admissions)
	orgs := float64(s.spec.grassroots + s.spec.branches)
	return int64(orgs + a*(1+pipelineRatio) + a*(1+failRate+pipelineRatio*0.8) + a*(1+disciplineRate) +
		float64(s.spec.grassroots)*years + a*1.33/75)
}

// buildTree makes the organizations: the root, the provinces at scale L,
// the grassroots organizations and their branches.
func (s *synth) buildTree() {
	r := s.rng(streamTree, 0)
	spec := s.spec
	var provs []*province
	if spec.national {
		provs = provinces
	} else {
		provs = []*province{provinces[s.seed%uint64(len(provinces))]}
	}
	founded := func() time.Time { return day(1975+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28)) }
	var root *org
	switch {
	case spec.national:
		root = &org{code: s.tag + "TW", name: "Đảng bộ toàn quốc (Ban Chấp hành Trung ương Đảng)", kind: "BLOC", sector: "PARTY_AGENCY", founded: day(1930, 2, 3)}
	case spec.bloc:
		p := provs[0]
		root = &org{code: s.tag + "T" + strconv.Itoa(p.code) + "-KCQ", name: "Đảng bộ Khối Các cơ quan " + p.title(), kind: "BLOC", sector: "PARTY_AGENCY", founded: founded()}
	default:
		p := provs[0]
		root = &org{code: s.tag + "T" + strconv.Itoa(p.code), name: "Đảng bộ " + p.title(), kind: "BLOC", sector: "PARTY_AGENCY", founded: day(1930+r.IntN(20), 3, 1)}
	}
	s.orgs = append(s.orgs, root)
	s.uppers = append(s.uppers, root)
	for _, p := range provs {
		top := root
		if spec.national {
			top = &org{code: s.tag + "T" + strconv.Itoa(p.code), name: "Đảng bộ " + p.title(), kind: "BLOC", sector: "PARTY_AGENCY",
				parent: root, depth: 1, founded: day(1930+r.IntN(20), 3, 1)}
			s.orgs = append(s.orgs, top)
			s.uppers = append(s.uppers, top)
		}
		s.provs = append(s.provs, &sprov{p: p, organizer: top})
	}
	// Grassroots organizations, spread over the provinces with some
	// provinces larger than others.
	weights := make([]float64, len(s.provs))
	total := 0.0
	for i := range weights {
		weights[i] = 0.5 + r.Float64()
		total += weights[i]
	}
	sectors := provinceSectors
	if spec.bloc {
		sectors = blocSectors
	}
	type draft struct {
		prov      int
		sector    string
		committee bool
		weight    float64
	}
	var drafts []draft
	var committeeWeight float64
	for pi := range s.provs {
		n := int(math.Round(float64(spec.grassroots) * weights[pi] / total))
		if pi == len(s.provs)-1 {
			n = spec.grassroots - len(drafts)
		}
		for range n {
			sec := sectors.draw(r)
			d := draft{prov: pi, sector: sec, committee: r.Float64() < committeeShare[sec]}
			if d.committee {
				d.weight = 0.5 + r.Float64()
				if sec == "COMMUNE" {
					d.weight *= 2
				}
				committeeWeight += d.weight
			}
			drafts = append(drafts, d)
		}
	}
	counters := make([]int, len(s.provs))
	var rates float64
	for _, d := range drafts {
		sp := s.provs[d.prov]
		counters[d.prov]++
		kind := "GRASSROOTS_BRANCH"
		if d.committee {
			kind = "GRASSROOTS_COMMITTEE"
		}
		parent := sp.organizer
		o := &org{code: fmt.Sprintf("%s-%05d", parent.code, counters[d.prov]), name: unitName(r, d.sector, sp.p, d.committee),
			kind: kind, sector: d.sector, parent: parent, depth: parent.depth + 1, founded: founded()}
		s.orgs = append(s.orgs, o)
		u := &sunit{org: o, prov: d.prov}
		size := 0.5
		if d.committee {
			nb := max(2, int(math.Round(d.weight/committeeWeight*float64(spec.branches))))
			for b := 1; b <= nb; b++ {
				bo := &org{code: fmt.Sprintf("%s-%03d", o.code, b), name: branchName(r, d.sector, o.name, b), kind: "BRANCH",
					sector: d.sector, parent: o, depth: o.depth + 1, founded: o.founded.AddDate(r.IntN(5), 0, 0)}
				s.orgs = append(s.orgs, bo)
				u.leaves = append(u.leaves, bo)
			}
			size = 1 + 0.35*float64(nb)
			per := 8 + r.IntN(18)
			if d.sector == "COMMUNE" {
				per = 15 + r.IntN(16)
			}
			u.members0 = max(30, nb*per)
		} else {
			u.leaves = []*org{o}
			u.members0 = 5 + r.IntN(25)
		}
		u.rate = sectorRate[d.sector] * size * math.Exp(0.4*r.NormFloat64())
		rates += u.rate
		s.units = append(s.units, u)
	}
	// Scale the rates to the wanted number of admissions.
	mean := 0.0
	for _, f := range yearFactor {
		mean += f
	}
	mean /= years
	k := float64(spec.admissions) / (rates * years * mean)
	for _, u := range s.units {
		u.rate *= k
		s.provs[u.prov].certs += u.rate * (1 + failRate + pipelineRatio*0.8)
	}
	offset := 0
	for _, sp := range s.provs {
		sp.perYear = max(2, int(math.Round(sp.certs/75)))
		sp.offset = offset
		offset += sp.perYear * classYears
	}
	s.admitted = make([][years]int32, len(s.units))
	s.gone = make([][years]int32, len(s.units))
}

// mix hashes numbers into a well-spread value (SplitMix64's finalizer).
func mix(xs ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, x := range xs {
		h ^= x + 0x9e3779b97f4a7c15 + h<<6 + h>>2
		h ^= h >> 30
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 27
		h *= 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// slot is a class: province, year, index in the year.
type slot struct{ prov, year, k int }

func (s *synth) classStart(c slot) time.Time {
	n := s.provs[c.prov].perYear
	off := c.k*350/n + int(mix(s.seed, uint64(c.prov), uint64(c.year), uint64(c.k))%5)
	d := addDays(day(c.year, time.January, 5), off)
	for d.Weekday() != time.Monday {
		d = addDays(d, 1)
	}
	return d
}

func (s *synth) classEnd(c slot) time.Time { return addDays(s.classStart(c), 4) }

func (s *synth) classID(c slot) int {
	sp := s.provs[c.prov]
	return s.classBase + sp.offset + (c.year-firstClassYear)*sp.perYear + c.k
}

// slotBefore returns the last class of a province that ends on or before t.
func (s *synth) slotBefore(prov int, t time.Time) slot {
	n := s.provs[prov].perYear
	c := slot{prov, t.Year(), min(n-1, max(0, (t.YearDay()-5)*n/350))}
	if c.year > lastYear {
		c = slot{prov, lastYear, n - 1}
	}
	for c.year >= firstClassYear && s.classEnd(c).After(t) {
		c = s.prev(c)
	}
	if c.year < firstClassYear {
		return slot{prov, firstClassYear, 0}
	}
	return c
}

func (s *synth) prev(c slot) slot {
	if c.k > 0 {
		return slot{c.prov, c.year, c.k - 1}
	}
	return slot{c.prov, c.year - 1, s.provs[c.prov].perYear - 1}
}

// sperson is a person of a unit as the core stream decides: what every
// table needs, not the personal details of the candidate row.
type sperson struct {
	leaf     *org
	status   string
	ref      time.Time // the date the person's age is measured at
	created  time.Time
	pass     slot
	trained  bool
	failed   bool
	adm      admission
	admitted bool
}

// poisson draws a Poisson count with mean l.
func poisson(r *rand.Rand, l float64) int {
	if l <= 0 {
		return 0
	}
	if l < 30 {
		limit, k, p := math.Exp(-l), 0, 1.0
		for {
			p *= r.Float64()
			if p <= limit {
				return k
			}
			k++
		}
	}
	return max(0, int(math.Round(l+math.Sqrt(l)*r.NormFloat64())))
}

// quarter draws a quarter by quarterWeights.
func quarter(r *rand.Rand) int {
	x := r.Float64()
	for q, w := range quarterWeights {
		if x < w {
			return q + 1
		}
		x -= w
	}
	return 4
}

// people returns the people of unit ui, admitted ones first in order of
// admission. buf is reused.
func (s *synth) people(ui int, buf []sperson) []sperson {
	u := s.units[ui]
	r := s.rng(streamCore, uint64(ui))
	out := buf[:0]
	expected := 0.0
	for y := range years {
		l := u.rate * yearFactor[y]
		expected += l
		for range poisson(r, l) {
			p := sperson{leaf: u.leaves[r.IntN(len(u.leaves))], status: "ADMITTED", admitted: true, trained: true}
			a := &p.adm
			a.admitted = admissionDay(r, firstYear+y, quarter(r))
			a.resolution, a.decision = workflow(r, a.admitted)
			if r.Float64() < delayRate {
				a.decision = weekday(addDays(a.admitted, -(45+r.IntN(20))), addDays(a.admitted, -70), a.admitted)
				a.resolution = weekday(addDays(a.decision, -(15+r.IntN(30))), addDays(a.decision, -50), addDays(a.decision, -1))
				a.delayReason = "x" // drawn in the admissions pass
			}
			p.pass = s.slotBefore(u.prov, addDays(a.resolution, -(14+r.IntN(400))))
			p.failed = r.Float64() < failRate
			aftermath(r, a, synthAsOf, notRecognizedRate, leftRate, disciplineRate)
			p.ref = a.resolution
			p.created = stamp(addDays(s.classStart(p.pass), -(30 + r.IntN(200))))
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(x, y sperson) int { return x.adm.admitted.Compare(y.adm.admitted) })
	for range poisson(r, pipelineRatio*expected+0.3) {
		p := sperson{leaf: u.leaves[r.IntN(len(u.leaves))]}
		p.status = pipelineStatuses.draw(r)
		switch p.status {
		case "WITHDRAWN", "REJECTED":
			p.ref = between(r, day(firstYear, 1, 1), addDays(synthAsOf, -60))
			p.trained = r.Float64() < 0.9
		case "TRAINED":
			p.ref = addDays(synthAsOf, -(10 + r.IntN(530)))
			p.trained = true
		case "APPLIED":
			p.ref = addDays(synthAsOf, -(30 + r.IntN(270)))
			p.trained = true
		default:
			p.ref = addDays(synthAsOf, -(30 + r.IntN(670)))
		}
		if p.trained {
			p.pass = s.slotBefore(u.prov, p.ref)
			p.failed = r.Float64() < failRate
			p.created = stamp(addDays(s.classStart(p.pass), -(30 + r.IntN(200))))
		} else {
			p.created = stamp(p.ref)
		}
		out = append(out, p)
	}
	return out
}

// write streams the dataset, one table at a time.
func (s *synth) write(ctx context.Context, w *writer, a *ids) error {
	if s.appending {
		s.tag = "R" + strconv.Itoa(a.peek(tOrganizations)) + "-"
	}
	s.buildTree()
	for _, o := range s.orgs {
		o.id = a.take(tOrganizations)
	}
	if err := writeTable(w, tOrganizations, len(s.orgs), func(i int) error { return orgRow(w, s.orgs[i]) }); err != nil {
		return err
	}
	s.classBase = a.peek(tTrainingClasses)
	if err := writeEach(w, tTrainingClasses, func() error {
		for pi, sp := range s.provs {
			for y := firstClassYear; y <= lastYear; y++ {
				for k := range sp.perYear {
					c := slot{pi, y, k}
					start := s.classStart(c)
					id := a.take(tTrainingClasses)
					if id != s.classID(c) {
						panic("seed: class ids out of step")
					}
					cl := &class{id: id, kind: "AWARENESS", starts: start, ends: addDays(start, 4), organize: sp.organizer,
						name:     fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, khóa %d năm %d", k+1, y),
						location: "Trường Chính trị " + sp.p.title()}
					if err := classRow(w, cl); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	candBase, admBase := a.peek(tCandidates), a.peek(tAdmissions)
	passes := []struct {
		t   *table
		run func(ctx context.Context, w *writer, a *ids, candBase, admBase int) error
	}{
		{tCandidates, s.writeCandidates},
		{tEnrollments, s.writeEnrollments},
		{tAdmissions, s.writeAdmissions},
		{tDisciplinaryActions, s.writeDisciplines},
	}
	for _, p := range passes {
		if err := w.begin(p.t); err != nil {
			return err
		}
		if err := p.run(ctx, w, a, candBase, admBase); err != nil {
			return err
		}
		if err := w.end(); err != nil {
			return err
		}
	}
	return s.writePlans(w, a)
}

// forUnits calls fn with each unit's people and the id of its first
// candidate and first admission.
func (s *synth) forUnits(ctx context.Context, candBase, admBase int, fn func(ui int, ps []sperson, cand, adm int) error) error {
	var buf []sperson
	cand, adm := candBase, admBase
	for ui := range s.units {
		if ui%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		buf = s.people(ui, buf)
		if err := fn(ui, buf, cand, adm); err != nil {
			return err
		}
		for _, p := range buf {
			if p.admitted {
				adm++
			}
		}
		cand += len(buf)
	}
	return nil
}

func (s *synth) writeCandidates(ctx context.Context, w *writer, a *ids, candBase, admBase int) error {
	serial := map[[3]int]int{}
	return s.forUnits(ctx, candBase, admBase, func(ui int, ps []sperson, cand, _ int) error {
		u := s.units[ui]
		prov := s.provs[u.prov].p
		r := s.rng(streamPerson, uint64(ui))
		for i := range ps {
			sp := &ps[i]
			student := u.org.sector == "PUBLIC_SERVICE" && r.Float64() < 0.08
			p := &person{id: a.take(tCandidates), org: sp.leaf, status: sp.status, created: sp.created}
			if p.id != cand+i {
				panic("seed: candidate ids out of step")
			}
			femaleRate := 0.5
			switch sp.leaf.sector {
			case "PUBLIC_SERVICE":
				femaleRate = 0.62
			case "ARMED_FORCES":
				femaleRate = 0.12
			case "STATE_ENTERPRISE", "NON_STATE_ENTERPRISE":
				femaleRate = 0.4
			}
			p.female = r.Float64() < femaleRate
			g := groups[prov.mix.draw(r)]
			p.ethnicity = g.name
			p.name = g.fullName(r, p.female)
			p.religion = g.religions.draw(r)
			if g.name == "Kinh" && prov.religion != nil {
				p.religion = prov.religion.draw(r)
			}
			p.occupation = occupationFor(r, sp.leaf.sector, student)
			p.level = levelFor(r, sp.leaf.sector, sp.ref.Year(), p.occupation == "STUDENT")
			finishPerson(r, p, sp.ref)
			if !s.appending && r.IntN(10) < 8 {
				key := [3]int{prov.code, p.birth.Year(), b2i(p.female)}
				serial[key]++
				p.nid = nationalID(prov.code, p.female, p.birth, serial[key])
			}
			if r.IntN(10) < 7 {
				p.phone = phone(p.id % 100000000)
			}
			if err := personRow(w, p); err != nil {
				return err
			}
			if sp.admitted {
				y := sp.adm.admitted.Year() - firstYear
				s.admitted[ui][y]++
				for _, t := range []time.Time{sp.adm.notRecognized, sp.adm.left} {
					if !t.IsZero() && t.Year() <= lastYear {
						s.gone[ui][t.Year()-firstYear]++
					}
				}
			}
		}
		return nil
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *synth) writeEnrollments(ctx context.Context, w *writer, a *ids, candBase, admBase int) error {
	seats := map[int]int{}
	cl := &class{}
	return s.forUnits(ctx, candBase, admBase, func(_ int, ps []sperson, cand, _ int) error {
		for i := range ps {
			sp := &ps[i]
			if !sp.trained {
				continue
			}
			p := &person{id: cand + i}
			if sp.failed {
				f := s.prev(sp.pass)
				if f.year >= firstClassYear {
					cl.id, cl.ends = s.classID(f), s.classEnd(f)
					if err := enrollmentRow(w, a.take(tEnrollments), p, enrollment{class: cl}); err != nil {
						return err
					}
				}
			}
			cl.id, cl.ends = s.classID(sp.pass), s.classEnd(sp.pass)
			seats[cl.id]++
			e := enrollment{class: cl, passed: true, certNo: strconv.Itoa(cl.id%1000000) + "/" + strconv.Itoa(seats[cl.id])}
			if err := enrollmentRow(w, a.take(tEnrollments), p, e); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *synth) writeAdmissions(ctx context.Context, w *writer, a *ids, candBase, admBase int) error {
	return s.forUnits(ctx, candBase, admBase, func(ui int, ps []sperson, cand, adm int) error {
		r := s.rng(streamAdmission, uint64(ui))
		prov := s.provs[s.units[ui].prov].p
		members := make([]*person, 0, len(ps))
		seq := map[int]int{}
		for i := range ps {
			sp := &ps[i]
			if !sp.admitted {
				continue
			}
			p := &person{id: cand + i}
			p.adm = &sp.adm
			ad := &sp.adm
			ad.person, ad.org = p, sp.leaf
			ad.id = a.take(tAdmissions)
			if ad.id != adm+len(members) {
				panic("seed: admission ids out of step")
			}
			if ad.delayReason != "" {
				ad.delayReason = delayReasons.draw(r)
			}
			seq[ad.decision.Year()]++
			ad.decisionNo = strconv.Itoa(seq[ad.decision.Year()]) + "-QĐ/ĐU"
			for k := range 2 {
				ad.intro[k] = introducer{}
				if r.Float64() < 0.5 {
					var found *person
					for j := len(members) - 1; j >= 0 && j >= len(members)-20; j-- {
						if m := members[j]; fullMemberOn(m, ad.resolution) && (k == 0 || m != ad.intro[0].member) {
							found = m
							break
						}
					}
					if found != nil {
						ad.intro[k].member = found
						continue
					}
				}
				g := groups[prov.mix.draw(r)]
				ad.intro[k].name = g.fullName(r, r.IntN(2) == 0)
				ad.intro[k].cardNo = cardNo(r, prov.code%100)
			}
			if err := admissionRow(w, ad); err != nil {
				return err
			}
			members = append(members, p)
		}
		return nil
	})
}

func (s *synth) writeDisciplines(ctx context.Context, w *writer, a *ids, candBase, admBase int) error {
	return s.forUnits(ctx, candBase, admBase, func(_ int, ps []sperson, _, adm int) error {
		n := 0
		for i := range ps {
			sp := &ps[i]
			if !sp.admitted {
				continue
			}
			sp.adm.id = adm + n
			n++
			for _, d := range sp.adm.disciplines {
				if err := disciplineRow(w, a.take(tDisciplinaryActions), &sp.adm, d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writePlans gives the grassroots organizations and those above them a
// plan a year: members at the start of the year and a target near what
// they achieved.
func (s *synth) writePlans(w *writer, a *ids) error {
	r := s.rng(streamPlans, 0)
	type tally struct{ admitted, members [years]int }
	up := map[*org]*tally{}
	for _, o := range s.uppers {
		up[o] = &tally{}
	}
	if err := w.begin(tAnnualPlans); err != nil {
		return err
	}
	for ui, u := range s.units {
		m := u.members0
		for y := range years {
			n := int(s.admitted[ui][y])
			if err := planRow(w, a.take(tAnnualPlans), u.org, firstYear+y, target(r, n, 0.8, 1.1), m); err != nil {
				return err
			}
			for o := u.org.parent; o != nil; o = o.parent {
				up[o].admitted[y] += n
				up[o].members[y] += m
			}
			m = max(3, m+n-int(math.Round(float64(m)*0.015+r.Float64()))-int(s.gone[ui][y]))
		}
	}
	for _, o := range s.uppers {
		t := up[o]
		for y := range years {
			if err := planRow(w, a.take(tAnnualPlans), o, firstYear+y, target(r, t.admitted[y], 0.85, 1.0), t.members[y]); err != nil {
				return err
			}
		}
	}
	return w.end()
}
