package graph_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"ketnap/graph/gqltest"
)

// fixture builds records through the API, as an analyst would.
type fixture struct {
	t   *testing.T
	c   *gqltest.Client
	org string
	cls string
	n   int
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	f := &fixture{t: t, c: gqltest.New(t, dialect)}
	f.org = f.id(`mutation { createOrganization(input: {code: "CB1", name: "Chi bộ 1", kind: GRASSROOTS_BRANCH, sector: STATE_AGENCY, foundedOn: "2000-01-01"}) { id } }`, nil, "createOrganization")
	f.cls = f.id(`mutation($o: ID!) { createTrainingClass(input: {name: "Lớp nhận thức 1", kind: AWARENESS, startsOn: "2015-01-05", endsOn: "2015-01-09", organizerID: $o}) { id } }`,
		map[string]any{"o": f.org}, "createTrainingClass")
	return f
}

// id runs a mutation and returns the id under its single field.
func (f *fixture) id(q string, vars map[string]any, field string) string {
	f.t.Helper()
	var out map[string]struct{ ID string }
	f.c.MustDo(q, vars, &out)
	return out[field].ID
}

// candidate records a person born on birth, with an awareness certificate
// dated cert when cert is not empty.
func (f *fixture) candidate(birth, cert string) string {
	f.t.Helper()
	f.n++
	id := f.id(`mutation($in: CreateCandidateInput!) { createCandidate(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"fullName": fmt.Sprintf("Người %d", f.n), "gender": "FEMALE", "birthDate": birth, "occupation": "CIVIL_SERVANT",
		"organizationID": f.org, "nationalID": fmt.Sprintf("0%011d", f.n), "ethnicity": "Khmer",
	}}, "createCandidate")
	if cert != "" {
		cls := f.cls
		if cert < "2015-01-09" {
			cls = f.id(`mutation($o: ID!, $s: Date!) { createTrainingClass(input: {name: "Lớp cũ", kind: AWARENESS, startsOn: $s, endsOn: $s, organizerID: $o}) { id } }`,
				map[string]any{"o": f.org, "s": cert}, "createTrainingClass")
		}
		f.c.MustDo(`mutation($c: ID!, $k: ID!, $on: Date!) { createEnrollment(input: {candidateID: $c, trainingClassID: $k, passed: true, certificateNo: "GCN", certificateOn: $on}) { id } }`,
			map[string]any{"c": id, "k": cls, "on": cert}, nil)
	}
	return id
}

func external(name string) map[string]any {
	return map[string]any{"name": name, "cardNo": "TD-" + name}
}

const admitQ = `mutation($in: AdmitCandidateInput!) { admitCandidate(input: $in) { id status probationEndsOn } }`

// admitInput is a valid admission of cand: resolution 2020-03-02, decision
// 2020-03-16, ceremony 2020-03-23, two external introducers.
func admitInput(cand string) map[string]any {
	return map[string]any{
		"candidateID": cand, "resolutionOn": "2020-03-02", "decisionNo": "123-QĐ/ĐU",
		"decisionOn": "2020-03-16", "admittedOn": "2020-03-23",
		"firstIntroducer": external("A"), "secondIntroducer": external("B"),
	}
}

// admit admits cand with in and returns the admission id.
func (f *fixture) admit(in map[string]any) string {
	f.t.Helper()
	return f.id(admitQ, map[string]any{"in": in}, "admitCandidate")
}

// member returns the candidate id of a full member.
func (f *fixture) member() string {
	f.t.Helper()
	cand := f.candidate("1985-05-05", "2019-06-01")
	a := f.admit(admitInput(cand))
	f.c.MustDo(`mutation($a: ID!) { recognizeMember(admissionID: $a, on: "2021-04-01") { id } }`, map[string]any{"a": a}, nil)
	return cand
}

func with(in map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("want success, got %v", err)
		}
		return
	}
	errs, ok := err.(gqltest.Errors)
	if !ok {
		t.Fatalf("want %s, got %v", code, err)
	}
	if errs.Code() != code || (field != "" && errs.Field() != field) {
		t.Fatalf("want %s on %q, got %s on %q: %v", code, field, errs.Code(), errs.Field(), err)
	}
	if vi, _ := errs[0].Extensions["vi"].(string); vi == "" {
		t.Fatalf("error without a Vietnamese message: %v", err)
	}
}

func TestAdmissionRules(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		full1, full2 := f.member(), f.member()
		probationary := f.candidate("1990-01-01", "2019-06-01")
		f.admit(with(admitInput(probationary), "resolutionOn", "2021-03-01", "decisionOn", "2021-03-15", "admittedOn", "2021-03-22"))
		member := func(id string) map[string]any { return map[string]any{"memberID": id} }

		cases := []struct {
			name        string
			birth, cert string
			in          func(cand string) map[string]any
			code, field string
		}{
			{"age 30 passes", "1990-01-01", "2019-06-01", admitInput, "", ""},
			{"age 17 fails", "2002-06-01", "2019-06-01", admitInput, "AGE_OUT_OF_RANGE", "resolutionOn"},
			{"age 61 without exception fails", "1958-01-01", "2019-06-01", admitInput, "AGE_OUT_OF_RANGE", "ageException"},
			{"age 61 exception without note fails", "1958-01-01", "2019-06-01",
				func(c string) map[string]any { return with(admitInput(c), "ageException", true) }, "EXCEPTION_NOTE_REQUIRED", "exceptionNote"},
			{"age 61 exception with note passes", "1958-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "ageException", true, "exceptionNote", "Trường hợp đặc biệt theo quyết định của Ban Thường vụ")
				}, "", ""},
			{"no certificate fails", "1990-01-01", "", admitInput, "AWARENESS_CERTIFICATE_MISSING", "candidateID"},
			{"certificate over 5 years fails", "1990-01-01", "2014-06-01", admitInput, "AWARENESS_CERTIFICATE_EXPIRED", "resolutionOn"},
			{"certificate after resolution fails", "1990-01-01", "2020-04-01", admitInput, "AWARENESS_CERTIFICATE_MISSING", "candidateID"},
			{"two full members pass", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "firstIntroducer", member(full1), "secondIntroducer", member(full2))
				}, "", ""},
			{"probationary introducer fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "firstIntroducer", member(full1), "secondIntroducer", member(probationary))
				}, "INTRODUCER_NOT_FULL_MEMBER", "secondIntroducer"},
			{"same introducer twice fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "firstIntroducer", member(full1), "secondIntroducer", member(full1))
				}, "INTRODUCERS_NOT_DISTINCT", "secondIntroducer"},
			{"external introducer without card fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "secondIntroducer", map[string]any{"name": "C"})
				}, "INTRODUCER_REQUIRED", "secondIntroducer"},
			{"decision before resolution fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any { return with(admitInput(c), "decisionOn", "2020-02-28") }, "DECISION_BEFORE_RESOLUTION", "decisionOn"},
			{"decision after 60 working days fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "decisionOn", "2020-05-26", "admittedOn", "2020-05-27")
				}, "DECISION_TOO_LATE", "decisionOn"},
			{"decision on the 60th working day passes", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "decisionOn", "2020-05-25", "admittedOn", "2020-05-27")
				}, "", ""},
			{"ceremony before decision fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any { return with(admitInput(c), "admittedOn", "2020-03-13") }, "CEREMONY_BEFORE_DECISION", "admittedOn"},
			{"late ceremony without reason fails", "1990-01-01", "2019-06-01",
				func(c string) map[string]any { return with(admitInput(c), "admittedOn", "2020-04-28") }, "CEREMONY_DELAY_REASON_REQUIRED", "ceremonyDelayReason"},
			{"late ceremony with reason passes", "1990-01-01", "2019-06-01",
				func(c string) map[string]any {
					return with(admitInput(c), "admittedOn", "2020-04-28", "ceremonyDelayReason", "Giãn cách xã hội")
				}, "", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				cand := f.candidate(tc.birth, tc.cert)
				err := f.c.Do(admitQ, map[string]any{"in": tc.in(cand)}, nil)
				wantCode(t, err, tc.code, tc.field)
				var out struct {
					Node struct {
						Status    string
						Admission *struct{ ID string }
					}
				}
				f.c.MustDo(`query($id: ID!) { node(id: $id) { ... on Candidate { status admission { id } } } }`, map[string]any{"id": cand}, &out)
				if tc.code == "" && (out.Node.Status != "ADMITTED" || out.Node.Admission == nil) {
					t.Fatalf("admitted candidate is %s", out.Node.Status)
				}
				if tc.code != "" && (out.Node.Status == "APPLIED" || out.Node.Status == "ADMITTED" || out.Node.Admission != nil) {
					t.Fatalf("a refused admission left the candidate %s", out.Node.Status)
				}
			})
		}
	})
}

func TestRecognitionAndTransitions(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		a := f.admit(admitInput(f.candidate("1990-01-01", "2019-06-01")))
		const recognize = `mutation($a: ID!, $on: Date!) { recognizeMember(admissionID: $a, on: $on) { status recognizedOn probationEndsOn } }`
		wantCode(t, f.c.Do(recognize, map[string]any{"a": a, "on": "2021-03-22"}, nil), "PROBATION_NOT_ENDED", "on")
		var out struct {
			RecognizeMember struct{ Status, RecognizedOn, ProbationEndsOn string }
		}
		f.c.MustDo(recognize, map[string]any{"a": a, "on": "2021-04-05"}, &out)
		if r := out.RecognizeMember; r.Status != "FULL" || r.RecognizedOn != "2021-03-23" || r.ProbationEndsOn != "2021-03-23" {
			t.Fatalf("recognition: %+v", r)
		}
		wantCode(t, f.c.Do(`mutation($a: ID!) { markNotRecognized(admissionID: $a, on: "2021-05-01") { id } }`, map[string]any{"a": a}, nil),
			"INVALID_STATUS_TRANSITION", "status")
		f.c.MustDo(`mutation($a: ID!) { recordLeaving(admissionID: $a, on: "2023-01-01", reason: ALLOWED_TO_LEAVE) { id } }`, map[string]any{"a": a}, nil)
		wantCode(t, f.c.Do(recognize, map[string]any{"a": a, "on": "2023-02-01"}, nil), "INVALID_STATUS_TRANSITION", "status")

		b := f.admit(admitInput(f.candidate("1990-01-01", "2019-06-01")))
		wantCode(t, f.c.Do(`mutation($a: ID!) { markNotRecognized(admissionID: $a, on: "2021-01-01") { id } }`, map[string]any{"a": b}, nil),
			"PROBATION_NOT_ENDED", "on")
		f.c.MustDo(`mutation($a: ID!) { markNotRecognized(admissionID: $a, on: "2021-04-01") { id } }`, map[string]any{"a": b}, nil)

		d := f.admit(admitInput(f.candidate("1990-01-01", "2019-06-01")))
		wantCode(t, f.c.Do(`mutation($a: ID!) { recordDiscipline(input: {admissionID: $a, level: WARNING, decidedOn: "2019-01-01"}) { id } }`,
			map[string]any{"a": d}, nil), "INVALID_DATE_ORDER", "decidedOn")
		var exp struct {
			RecordDiscipline struct {
				Admission struct{ Status, LeftReason string }
			}
		}
		f.c.MustDo(`mutation($a: ID!) { recordDiscipline(input: {admissionID: $a, level: EXPULSION, decidedOn: "2022-01-01"}) { admission { status leftReason } } }`,
			map[string]any{"a": d}, &exp)
		if s := exp.RecordDiscipline.Admission; s.Status != "LEFT" || s.LeftReason != "EXPULSION" {
			t.Fatalf("expulsion: %+v", s)
		}

		const setStatus = `mutation($c: ID!, $s: CandidateStatus!) { updateCandidate(id: $c, input: {status: $s}) { status } }`
		src := f.candidate("1990-01-01", "")
		for _, step := range []struct{ to, code string }{
			{"APPLIED", "INVALID_STATUS_TRANSITION"}, // SOURCE cannot skip the class
			{"ADMITTED", "INVALID_STATUS_TRANSITION"},
			{"TRAINED", ""},
			{"APPLIED", "INVALID_ARGUMENT"}, // no resolution date
			{"WITHDRAWN", ""},
			{"TRAINED", "INVALID_STATUS_TRANSITION"}, // WITHDRAWN is terminal
		} {
			wantCode(t, f.c.Do(setStatus, map[string]any{"c": src, "s": step.to}, nil), step.code, "")
		}
		wantCode(t, f.c.Do(`mutation($in: CreateCandidateInput!) { createCandidate(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"fullName": "X", "gender": "MALE", "birthDate": "1990-01-01", "occupation": "WORKER", "organizationID": f.org, "status": "ADMITTED",
		}}, nil), "INVALID_STATUS_TRANSITION", "status")
	})
}

func TestBranchResolution(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		const q = `mutation($c: ID!, $on: Date!) { recordBranchResolution(input: {candidateID: $c, on: $on}) { status resolutionOn } }`
		young := f.candidate("2003-01-01", "2019-06-01")
		wantCode(t, f.c.Do(q, map[string]any{"c": young, "on": "2020-03-02"}, nil), "AGE_OUT_OF_RANGE", "resolutionOn")
		ok := f.candidate("1990-01-01", "2019-06-01")
		var out struct {
			RecordBranchResolution struct{ Status, ResolutionOn string }
		}
		f.c.MustDo(q, map[string]any{"c": ok, "on": "2020-03-02"}, &out)
		if out.RecordBranchResolution.Status != "APPLIED" {
			t.Fatalf("after resolution: %+v", out)
		}
		// The admission takes the recorded resolution.
		f.admit(with(admitInput(ok), "resolutionOn", nil))
	})
}

// admitConcurrently admits cands[i] in request i, all at once, each under
// decision number prefix+i, and returns each request's error.
func admitConcurrently(f *fixture, cands []string, prefix string) []error {
	errs := make([]error, len(cands))
	var wg sync.WaitGroup
	for i, cand := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.c.Do(admitQ, map[string]any{"in": with(admitInput(cand), "decisionNo", fmt.Sprint(prefix, i))}, nil)
		}()
	}
	wg.Wait()
	return errs
}

func TestAdmitSamePersonConcurrently(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		for round := 0; round < 3; round++ {
			cand := f.candidate("1990-01-01", "2019-06-01")
			const n = 4
			errs := admitConcurrently(f, slices.Repeat([]string{cand}, n), "QĐ-")
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
					continue
				}
				if c := err.(gqltest.Errors).Code(); c != "ALREADY_ADMITTED" && c != "CONFLICT" {
					t.Fatalf("losing request: %v", err)
				}
			}
			if ok != 1 {
				t.Fatalf("%d of %d concurrent admissions succeeded: %v", ok, n, errs)
			}
			var out struct {
				Admissions struct{ TotalCount int }
			}
			f.c.MustDo(`query($c: ID!) { admissions(where: {hasCandidateWith: {id: $c}}) { totalCount } }`, map[string]any{"c": cand}, &out)
			if out.Admissions.TotalCount != 1 {
				t.Fatalf("%d admissions of one person", out.Admissions.TotalCount)
			}
		}
	})
}

// TestAdmitManyConcurrently admits different people at once: every write
// takes the data version's row lock (PostgreSQL) besides its own rows and
// the shared rollup rows, and none may fail for it (deadlock, conflict).
func TestAdmitManyConcurrently(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		const n = 8
		cands := make([]string, n)
		for i := range cands {
			cands[i] = f.candidate("1990-01-01", "2019-06-01")
		}
		for i, err := range admitConcurrently(f, cands, "QĐ-M-") {
			if err != nil {
				t.Errorf("admission %d: %v", i, err)
			}
		}
	})
}
