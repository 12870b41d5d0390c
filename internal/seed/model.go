package seed

import (
	"math/rand/v2"
	"time"
)

// The records both seeds build before writing them. They hold only what
// the tables need; ids are assigned when the rows are written.

type org struct {
	id      int
	code    string
	name    string
	kind    string
	sector  string
	parent  *org
	depth   int
	founded time.Time
}

type class struct {
	id       int
	name     string
	kind     string // AWARENESS or NEW_MEMBER
	starts   time.Time
	ends     time.Time
	location string
	organize *org
	seats    int // certificates issued so far, for certificate numbers
	code     string
}

type enrollment struct {
	class  *class
	passed bool
	certNo string
}

type person struct {
	id         int
	org        *org
	name       string
	female     bool
	birth      time.Time
	ethnicity  string
	religion   string
	generalEdu string
	level      string
	theory     string
	occupation string
	youth      bool
	status     string
	nid        string
	phone      string
	created    time.Time
	enrolls    []enrollment
	adm        *admission
}

type discipline struct {
	level  string
	on     time.Time
	reason string
}

type admission struct {
	id            int
	person        *person
	org           *org
	resolution    time.Time
	decision      time.Time
	admitted      time.Time
	decisionNo    string
	delayReason   string
	status        string
	recognized    time.Time
	notRecognized time.Time
	left          time.Time
	leftReason    string
	intro         [2]introducer
	disciplines   []discipline
}

type introducer struct {
	member *person
	name   string
	cardNo string
}

// nullString is NULL for the empty string.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullDate is NULL for the zero time.
func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullID is NULL for a missing person.
func nullID(p *person) any {
	if p == nil {
		return nil
	}
	return p.id
}

func orgRow(w *writer, o *org) error {
	var parent any
	if o.parent != nil {
		parent = o.parent.id
	}
	c := stamp(o.founded)
	return w.row(o.id, c, c, o.code, o.name, o.kind, o.sector, o.depth, o.founded, nil, parent)
}

func classRow(w *writer, c *class) error {
	s := stamp(c.starts)
	return w.row(c.id, s, s, c.name, c.kind, c.starts, c.ends, nullString(c.location), c.organize.id)
}

func personRow(w *writer, p *person) error {
	gender := "MALE"
	if p.female {
		gender = "FEMALE"
	}
	return w.row(p.id, p.created, p.created, p.name, gender, p.birth, p.ethnicity, nullString(p.religion),
		p.generalEdu, p.level, p.theory, p.occupation, p.youth, nullString(p.nid), nullString(p.phone), p.status, p.org.id)
}

func enrollmentRow(w *writer, id int, p *person, e enrollment) error {
	var certOn any
	if e.passed {
		certOn = e.class.ends
	}
	s := stamp(e.class.ends)
	return w.row(id, s, s, e.passed, nullString(e.certNo), certOn, p.id, e.class.id)
}

func admissionRow(w *writer, a *admission) error {
	updated := a.admitted
	for _, t := range []time.Time{a.recognized, a.notRecognized, a.left} {
		if t.After(updated) {
			updated = t
		}
	}
	return w.row(a.id, stamp(a.admitted), stamp(updated), a.resolution, a.decisionNo, a.decision, a.admitted,
		nullString(a.delayReason), false, nil,
		nullString(a.intro[0].name), nullString(a.intro[0].cardNo), nullString(a.intro[1].name), nullString(a.intro[1].cardNo),
		probationEnd(a.admitted), a.status, nullDate(a.recognized), nullDate(a.notRecognized), nullDate(a.left),
		nullString(a.leftReason), nullID(a.intro[0].member), nullID(a.intro[1].member), a.person.id, a.org.id)
}

func disciplineRow(w *writer, id int, a *admission, d discipline) error {
	s := stamp(d.on)
	return w.row(id, s, s, d.level, d.on, nullString(d.reason), a.id)
}

func planRow(w *writer, id int, o *org, year, target, members int) error {
	s := stamp(day(year, time.January, 15))
	return w.row(id, s, s, year, target, members, o.id)
}

// disciplineReasons are the faults recorded with disciplinary actions.
var disciplineReasons = uniform(
	"Vi phạm quy định về những điều đảng viên không được làm",
	"Vi phạm chế độ sinh hoạt đảng",
	"Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
	"Vi phạm quy định về thực hành tiết kiệm, chống lãng phí",
	"Vi phạm pháp luật về trật tự an toàn giao thông",
	"Vi phạm đạo đức, lối sống",
)

// delayReasons explain ceremonies held late.
var delayReasons = uniform(
	"Quần chúng đi học tập trung ngoài tỉnh",
	"Quần chúng nghỉ thai sản",
	"Quần chúng điều trị bệnh dài ngày",
	"Chờ tổ chức lễ kết nạp chung nhân kỷ niệm ngày thành lập Đảng",
)

var (
	disciplineLevels = pick("REPRIMAND", 50, "WARNING", 30, "DISMISSAL", 5, "EXPULSION", 15)
	leftReasons      = pick("NAME_REMOVED", 45, "ALLOWED_TO_LEAVE", 40, "DECEASED", 15)
)

// aftermath decides what became of a member by asOf: recognition after
// 12 months, rarely not recognized; later leaving or discipline.
// rates are per admission: not recognized, left, disciplined.
func aftermath(r *rand.Rand, a *admission, asOf time.Time, notRec, left, disc float64) {
	end := probationEnd(a.admitted)
	a.status = "PROBATIONARY"
	if end.After(asOf) {
		return
	}
	if r.Float64() < notRec {
		on := weekday(addDays(end, 7+r.IntN(30)), end, asOf)
		if on.After(asOf) {
			return
		}
		a.status, a.notRecognized = "NOT_RECOGNIZED", on
		return
	}
	a.status, a.recognized = "FULL", end
	span := int(asOf.Sub(end).Hours() / 24)
	if span < 60 {
		return
	}
	x := r.Float64()
	switch {
	case x < disc:
		on := addDays(end, 30+r.IntN(span-29))
		lv := disciplineLevels.draw(r)
		a.disciplines = append(a.disciplines, discipline{lv, on, disciplineReasons.draw(r)})
		if lv == "EXPULSION" {
			a.status, a.left, a.leftReason = "LEFT", on, "EXPULSION"
		}
	case x < disc+left:
		on := addDays(end, 30+r.IntN(span-29))
		a.status, a.left = "LEFT", on
		a.leftReason = leftReasons.draw(r)
	}
}

// fullMemberOn reports whether p was a full member of at least 12 months'
// standing on date, so could introduce a candidate.
func fullMemberOn(p *person, date time.Time) bool {
	a := p.adm
	if a == nil || a.recognized.IsZero() || a.recognized.After(date) {
		return false
	}
	return a.left.IsZero() || a.left.After(date)
}

// cardNo returns a party card number.
func cardNo(r *rand.Rand, prefix int) string {
	return itoa2(prefix) + "." + itoa6(r.IntN(1000000))
}

func itoa2(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }

func itoa6(n int) string {
	b := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
