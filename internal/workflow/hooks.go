package workflow

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/enrollment"
	"ketnap/ent/hook"
	"ketnap/ent/organization"
	"ketnap/ent/trainingclass"
	"ketnap/internal/apperr"
)

type skipRulesKey struct{}

// WithoutRules returns a context under which the workflow hooks check no rule
// and only derive what must always be derived (the probation end). It exists
// for trusted loaders of history, such as test fixtures, that write states the
// workflow could not have produced step by step. No request path uses it:
// GraphQL, the importer and the CLI always run the rules.
func WithoutRules(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipRulesKey{}, true)
}

func rulesSkipped(ctx context.Context) bool {
	skip, _ := ctx.Value(skipRulesKey{}).(bool)
	return skip
}

// AdmissionHook enforces the rules on admissions: the conditions of the
// admission itself (age, certificate, introducers, dates), the derived
// probation end, and the status workflow with its dates.
func AdmissionHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return hook.AdmissionFunc(func(ctx context.Context, m *gen.AdmissionMutation) (ent.Value, error) {
			if rulesSkipped(ctx) {
				if on, ok := m.AdmittedOn(); ok {
					m.SetProbationEndsOn(ProbationEnd(on))
				}
				return next.Mutate(ctx, m)
			}
			switch {
			case m.Op().Is(ent.OpCreate):
				return createAdmission(ctx, next, m)
			case m.Op().Is(ent.OpUpdateOne):
				return updateAdmission(ctx, next, m)
			case m.Op().Is(ent.OpUpdate):
				for _, f := range m.Fields() {
					if f != admission.FieldOrganizationID && f != admission.FieldUpdatedAt {
						return nil, apperr.Invalid(camel(f), "chỉ được sửa từng hồ sơ kết nạp một", "admissions can only be changed one at a time")
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// admissionFacts are the values the admission rules look at.
type admissionFacts struct {
	candidateID                     int
	resolutionOn, decisionOn, admit time.Time
	delayReason                     string
	ageException                    bool
	exceptionNote                   string
	firstID, secondID               *int
	firstName, secondName           string
	firstCard, secondCard           string
	organizationID                  int
}

func factsOf(a *gen.Admission) admissionFacts {
	return admissionFacts{
		candidateID: a.CandidateID, resolutionOn: a.ResolutionOn, decisionOn: a.DecisionOn, admit: a.AdmittedOn,
		delayReason: a.CeremonyDelayReason, ageException: a.AgeException, exceptionNote: a.ExceptionNote,
		firstID: a.FirstIntroducerID, secondID: a.SecondIntroducerID,
		firstName: a.FirstIntroducerName, secondName: a.SecondIntroducerName,
		firstCard: a.FirstIntroducerCardNo, secondCard: a.SecondIntroducerCardNo,
		organizationID: a.OrganizationID,
	}
}

// apply overlays the mutation's values on f.
func (f *admissionFacts) apply(m *gen.AdmissionMutation) {
	f.candidateID = pick(m.CandidateID, f.candidateID)
	f.resolutionOn = pick(m.ResolutionOn, f.resolutionOn)
	f.decisionOn = pick(m.DecisionOn, f.decisionOn)
	f.admit = pick(m.AdmittedOn, f.admit)
	f.delayReason = pick(m.CeremonyDelayReason, f.delayReason)
	f.ageException = pick(m.AgeException, f.ageException)
	f.exceptionNote = pick(m.ExceptionNote, f.exceptionNote)
	f.firstName = pick(m.FirstIntroducerName, f.firstName)
	f.secondName = pick(m.SecondIntroducerName, f.secondName)
	f.firstCard = pick(m.FirstIntroducerCardNo, f.firstCard)
	f.secondCard = pick(m.SecondIntroducerCardNo, f.secondCard)
	f.organizationID = pick(m.OrganizationID, f.organizationID)
	f.firstID = pickPtr(m.FirstIntroducerID, m.FirstIntroducerIDCleared(), f.firstID)
	f.secondID = pickPtr(m.SecondIntroducerID, m.SecondIntroducerIDCleared(), f.secondID)
	if m.CeremonyDelayReasonCleared() {
		f.delayReason = ""
	}
	if m.ExceptionNoteCleared() {
		f.exceptionNote = ""
	}
}

// pick returns the mutation's value when it sets one, else old.
func pick[T any](get func() (T, bool), old T) T {
	if v, ok := get(); ok {
		return v
	}
	return old
}

// pickPtr is pick for an optional field that may be cleared.
func pickPtr[T any](get func() (T, bool), cleared bool, old *T) *T {
	if v, ok := get(); ok {
		return &v
	}
	if cleared {
		return nil
	}
	return old
}

// checkAdmission applies every admission rule to f.
func checkAdmission(ctx context.Context, c *gen.Client, f admissionFacts) error {
	cand, err := c.Candidate.Get(ctx, f.candidateID)
	if gen.IsNotFound(err) {
		return apperr.New(apperr.CodeNotFound, "candidateID", "không tìm thấy quần chúng", "candidate not found")
	}
	if err != nil {
		return fmt.Errorf("loading candidate: %w", err)
	}
	if err := CheckAge(cand.BirthDate, f.resolutionOn, f.ageException, f.exceptionNote); err != nil {
		return err
	}
	cert, err := LatestCertificate(ctx, c, f.candidateID, f.resolutionOn)
	if err != nil {
		return err
	}
	if err := CheckCertificate(cert, f.resolutionOn); err != nil {
		return err
	}
	first, err := introducer(ctx, c, f.firstID, f.firstName, f.firstCard)
	if err != nil {
		return err
	}
	second, err := introducer(ctx, c, f.secondID, f.secondName, f.secondCard)
	if err != nil {
		return err
	}
	if err := CheckIntroducers(f.candidateID, first, second); err != nil {
		return err
	}
	if err := CheckDates(f.resolutionOn, f.decisionOn, f.admit, f.delayReason); err != nil {
		return err
	}
	org, err := c.Organization.Get(ctx, f.organizationID)
	if gen.IsNotFound(err) {
		return apperr.New(apperr.CodeNotFound, "organizationID", "không tìm thấy tổ chức đảng", "organization not found")
	}
	if err != nil {
		return fmt.Errorf("loading organization: %w", err)
	}
	if org.DissolvedOn != nil && !f.admit.Before(*org.DissolvedOn) {
		return dissolvedError("organizationID")
	}
	return nil
}

func dissolvedError(field string) error {
	return apperr.New(apperr.CodeOrganizationDissolved, field,
		"tổ chức đảng đã giải thể hoặc hợp nhất", "the organization has been dissolved or merged")
}

// introducer describes an introducer, with the status of their admission
// when they are a member recorded in the system.
func introducer(ctx context.Context, c *gen.Client, id *int, name, card string) (Introducer, error) {
	in := Introducer{MemberID: id, Name: name, CardNo: card}
	if id == nil {
		return in, nil
	}
	a, err := c.Admission.Query().Where(admission.CandidateID(*id)).Only(ctx)
	switch {
	case gen.IsNotFound(err):
		return in, nil
	case err != nil:
		return in, fmt.Errorf("loading introducer: %w", err)
	}
	in.Status = a.Status
	return in, nil
}

// LatestCertificate returns the date of the candidate's latest passed
// awareness-class certificate on or before on, or nil.
func LatestCertificate(ctx context.Context, c *gen.Client, candidateID int, on time.Time) (*time.Time, error) {
	e, err := c.Enrollment.Query().
		Where(
			enrollment.CandidateID(candidateID),
			enrollment.Passed(true),
			enrollment.CertificateOnNotNil(),
			enrollment.CertificateOnLTE(on),
			enrollment.HasTrainingClassWith(trainingclass.KindEQ(trainingclass.KindAWARENESS)),
		).
		Order(gen.Desc(enrollment.FieldCertificateOn)).
		First(ctx)
	if gen.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading certificate: %w", err)
	}
	return e.CertificateOn, nil
}

func createAdmission(ctx context.Context, next ent.Mutator, m *gen.AdmissionMutation) (ent.Value, error) {
	c := m.Client()
	if s, ok := m.Status(); ok && s != admission.StatusPROBATIONARY {
		return nil, apperr.New(apperr.CodeInvalidTransition, "status",
			"đảng viên mới kết nạp là đảng viên dự bị", "a new member starts on probation")
	}
	var f admissionFacts
	f.apply(m)
	cand, err := c.Candidate.Get(ctx, f.candidateID)
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "candidateID", "không tìm thấy quần chúng", "candidate not found")
	}
	if err != nil {
		return nil, fmt.Errorf("loading candidate: %w", err)
	}
	switch cand.Status {
	case candidate.StatusAPPLIED:
	case candidate.StatusADMITTED:
		return nil, alreadyAdmitted()
	default:
		return nil, apperr.New(apperr.CodeInvalidTransition, "candidateID",
			"cần có nghị quyết chi bộ đề nghị kết nạp trước khi kết nạp",
			"the branch resolution must be recorded before the admission")
	}
	if err := checkAdmission(ctx, c, f); err != nil {
		return nil, err
	}
	m.SetProbationEndsOn(ProbationEnd(f.admit))
	v, err := next.Mutate(ctx, m)
	if err != nil {
		return nil, err
	}
	if err := c.Candidate.UpdateOneID(f.candidateID).SetStatus(candidate.StatusADMITTED).Exec(ctx); err != nil {
		return nil, fmt.Errorf("marking candidate admitted: %w", err)
	}
	return v, nil
}

func alreadyAdmitted() error {
	return apperr.New(apperr.CodeAlreadyAdmitted, "candidateID",
		"người này đã được kết nạp", "this person has already been admitted")
}

// admissionFactFields are the fields whose change re-runs the admission rules.
var admissionFactFields = map[string]bool{
	admission.FieldResolutionOn: true, admission.FieldDecisionOn: true, admission.FieldAdmittedOn: true,
	admission.FieldCeremonyDelayReason: true, admission.FieldAgeException: true, admission.FieldExceptionNote: true,
	admission.FieldFirstIntroducerID: true, admission.FieldFirstIntroducerName: true, admission.FieldFirstIntroducerCardNo: true,
	admission.FieldSecondIntroducerID: true, admission.FieldSecondIntroducerName: true, admission.FieldSecondIntroducerCardNo: true,
	admission.FieldOrganizationID: true,
}

func updateAdmission(ctx context.Context, next ent.Mutator, m *gen.AdmissionMutation) (ent.Value, error) {
	c := m.Client()
	id, _ := m.ID()
	old, err := c.Admission.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if cid, ok := m.CandidateID(); ok && cid != old.CandidateID {
		return nil, apperr.Invalid("candidateID", "không thể đổi người của hồ sơ kết nạp", "the person of an admission cannot change")
	}
	f := factsOf(old)
	f.apply(m)
	changed := append(m.Fields(), m.ClearedFields()...)
	for _, name := range changed {
		if admissionFactFields[name] {
			if err := checkAdmission(ctx, c, f); err != nil {
				return nil, err
			}
			break
		}
	}
	probationEnd := ProbationEnd(f.admit)
	if _, ok := m.AdmittedOn(); ok {
		m.SetProbationEndsOn(probationEnd)
	}
	to := pick(m.Status, old.Status)
	if to != old.Status {
		if err := CheckAdmissionTransition(old.Status, to); err != nil {
			return nil, err
		}
	}
	switch to {
	case admission.StatusFULL:
		decided := pickPtr(m.RecognitionDecidedOn, m.RecognitionDecidedOnCleared(), old.RecognitionDecidedOn)
		if decided == nil {
			return nil, apperr.Invalid("on", "cần ngày quyết định công nhận đảng viên chính thức", "the date of the recognition decision is required")
		}
		if err := CheckRecognition(probationEnd, *decided); err != nil {
			return nil, err
		}
		// Recognition is dated from the end of the 12 months (Charter, art. 5).
		m.SetRecognizedOn(probationEnd)
	case admission.StatusNOT_RECOGNIZED:
		on := pickPtr(m.NotRecognizedOn, m.NotRecognizedOnCleared(), old.NotRecognizedOn)
		if on == nil {
			return nil, apperr.Invalid("on", "cần ngày quyết định không công nhận", "the date of the decision is required")
		}
		if err := CheckRecognition(probationEnd, *on); err != nil {
			return nil, err
		}
	case admission.StatusLEFT:
		on := pickPtr(m.LeftOn, m.LeftOnCleared(), old.LeftOn)
		reason := pickPtr(m.LeftReason, m.LeftReasonCleared(), old.LeftReason)
		if on == nil {
			return nil, apperr.Invalid("on", "cần ngày ra khỏi Đảng", "the leaving date is required")
		}
		if reason == nil {
			return nil, apperr.Invalid("reason", "cần lý do ra khỏi Đảng", "the reason for leaving is required")
		}
		if on.Before(f.admit) {
			return nil, apperr.New(apperr.CodeDateOrder, "on",
				"ngày ra khỏi Đảng không được trước ngày kết nạp", "the leaving date cannot precede the admission")
		}
	}
	return next.Mutate(ctx, m)
}

// CandidateHook enforces the candidate's workflow: statuses move only
// forward (SOURCE → TRAINED → APPLIED → ADMITTED, or to WITHDRAWN or
// REJECTED), and the branch resolution (APPLIED) requires the age and the
// awareness certificate.
func CandidateHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return hook.CandidateFunc(func(ctx context.Context, m *gen.CandidateMutation) (ent.Value, error) {
			if rulesSkipped(ctx) {
				return next.Mutate(ctx, m)
			}
			switch {
			case m.Op().Is(ent.OpCreate):
				if s, ok := m.Status(); ok && s != candidate.StatusSOURCE && s != candidate.StatusTRAINED {
					return nil, apperr.New(apperr.CodeInvalidTransition, "status",
						"quần chúng mới chỉ có thể ở trạng thái SOURCE hoặc TRAINED; các bước sau ghi qua quy trình",
						"a new candidate is SOURCE or TRAINED; later steps are recorded through the workflow")
				}
			case m.Op().Is(ent.OpUpdateOne):
				if err := updateCandidate(ctx, m); err != nil {
					return nil, err
				}
			case m.Op().Is(ent.OpUpdate):
				if err := bulkUpdateCandidates(ctx, m); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

func updateCandidate(ctx context.Context, m *gen.CandidateMutation) error {
	c := m.Client()
	id, _ := m.ID()
	old, err := c.Candidate.Get(ctx, id)
	if err != nil {
		return err
	}
	to := pick(m.Status, old.Status)
	if err := CheckCandidateTransition(old.Status, to); err != nil {
		return err
	}
	switch to {
	case candidate.StatusAPPLIED:
		touched := to != old.Status
		for _, f := range append(m.Fields(), m.ClearedFields()...) {
			switch f {
			case candidate.FieldResolutionOn, candidate.FieldBirthDate, candidate.FieldAgeException, candidate.FieldExceptionNote:
				touched = true
			}
		}
		if !touched {
			return nil
		}
		on := pickPtr(m.ResolutionOn, m.ResolutionOnCleared(), old.ResolutionOn)
		if on == nil {
			return apperr.Invalid("resolutionOn", "cần ngày nghị quyết chi bộ", "the branch resolution date is required")
		}
		note := pick(m.ExceptionNote, old.ExceptionNote)
		if m.ExceptionNoteCleared() {
			note = ""
		}
		if err := CheckAge(pick(m.BirthDate, old.BirthDate), *on, pick(m.AgeException, old.AgeException), note); err != nil {
			return err
		}
		cert, err := LatestCertificate(ctx, c, id, *on)
		if err != nil {
			return err
		}
		return CheckCertificate(cert, *on)
	case candidate.StatusADMITTED:
		if to == old.Status {
			return nil
		}
		ok, err := c.Admission.Query().Where(admission.CandidateID(id)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("checking admission: %w", err)
		}
		if !ok {
			return apperr.New(apperr.CodeInvalidTransition, "status",
				"trạng thái ADMITTED chỉ được ghi qua quyết định kết nạp", "ADMITTED is recorded by the admission only")
		}
	}
	return nil
}

// bulkUpdateCandidates allows the changes that need no per-person check:
// moving candidates between organizations, and the SOURCE → TRAINED,
// WITHDRAWN or REJECTED moves.
func bulkUpdateCandidates(ctx context.Context, m *gen.CandidateMutation) error {
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		switch f {
		case candidate.FieldResolutionOn, candidate.FieldBirthDate, candidate.FieldAgeException, candidate.FieldExceptionNote:
			return apperr.Invalid(camel(f), "chỉ được sửa trường này cho từng người", "this field can only be changed one person at a time")
		}
	}
	to, ok := m.Status()
	if !ok {
		return nil
	}
	if to == candidate.StatusAPPLIED || to == candidate.StatusADMITTED {
		return apperr.New(apperr.CodeInvalidTransition, "status",
			"nghị quyết chi bộ và kết nạp được ghi cho từng người", "resolutions and admissions are recorded one person at a time")
	}
	ids, err := m.IDs(ctx)
	if err != nil {
		return fmt.Errorf("loading candidates: %w", err)
	}
	for start := 0; start < len(ids); start += 10000 {
		from, err := m.Client().Candidate.Query().
			Where(candidate.IDIn(ids[start:min(start+10000, len(ids))]...), candidate.StatusNEQ(to)).
			GroupBy(candidate.FieldStatus).Strings(ctx)
		if err != nil {
			return fmt.Errorf("loading statuses: %w", err)
		}
		for _, s := range from {
			if err := CheckCandidateTransition(candidate.Status(s), to); err != nil {
				return err
			}
		}
	}
	return nil
}

// DisciplineHook enforces that discipline concerns a member in the Party at
// the time: on or after the admission, not after leaving it.
func DisciplineHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return hook.DisciplinaryActionFunc(func(ctx context.Context, m *gen.DisciplinaryActionMutation) (ent.Value, error) {
			if rulesSkipped(ctx) {
				return next.Mutate(ctx, m)
			}
			if !m.Op().Is(ent.OpCreate | ent.OpUpdateOne) {
				return next.Mutate(ctx, m)
			}
			c := m.Client()
			admissionID, okA := m.AdmissionID()
			decided, okD := m.DecidedOn()
			if m.Op().Is(ent.OpUpdateOne) {
				id, _ := m.ID()
				old, err := c.DisciplinaryAction.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				admissionID, decided = pick(m.AdmissionID, old.AdmissionID), pick(m.DecidedOn, old.DecidedOn)
				okA, okD = true, true
			}
			if !okA || !okD {
				return next.Mutate(ctx, m)
			}
			a, err := c.Admission.Get(ctx, admissionID)
			if gen.IsNotFound(err) {
				return nil, apperr.New(apperr.CodeNotFound, "admissionID", "không tìm thấy hồ sơ kết nạp", "admission not found")
			}
			if err != nil {
				return nil, fmt.Errorf("loading admission: %w", err)
			}
			if decided.Before(a.AdmittedOn) || (a.LeftOn != nil && decided.After(*a.LeftOn)) {
				return nil, apperr.New(apperr.CodeDateOrder, "decidedOn",
					"ngày kỷ luật phải trong thời gian là đảng viên", "discipline must be dated while the person is a member")
			}
			if a.Status == admission.StatusNOT_RECOGNIZED {
				return nil, apperr.New(apperr.CodeInvalidTransition, "admissionID",
					"người này không còn là đảng viên", "this person is no longer a member")
			}
			return next.Mutate(ctx, m)
		})
	}
}

// OrganizationHook enforces the dates of an organization's life: dissolved
// on or after its founding, only without active children, and no new or
// moved organization under a dissolved parent.
func OrganizationHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return hook.OrganizationFunc(func(ctx context.Context, m *gen.OrganizationMutation) (ent.Value, error) {
			if rulesSkipped(ctx) {
				return next.Mutate(ctx, m)
			}
			if !m.Op().Is(ent.OpCreate | ent.OpUpdateOne) {
				return next.Mutate(ctx, m)
			}
			c := m.Client()
			var old gen.Organization
			if m.Op().Is(ent.OpUpdateOne) {
				id, _ := m.ID()
				o, err := c.Organization.Get(ctx, id)
				if err != nil {
					return nil, err
				}
				old = *o
			}
			founded := pick(m.FoundedOn, old.FoundedOn)
			dissolved := pickPtr(m.DissolvedOn, m.DissolvedOnCleared(), old.DissolvedOn)
			if dissolved != nil && dissolved.Before(founded) {
				return nil, apperr.New(apperr.CodeDateOrder, "dissolvedOn",
					"ngày giải thể không được trước ngày thành lập", "the dissolution date cannot precede the founding date")
			}
			if p, ok := m.ParentID(); ok {
				parent, err := c.Organization.Get(ctx, p)
				if err == nil && parent.DissolvedOn != nil {
					return nil, dissolvedError("parentID")
				}
			}
			if _, set := m.DissolvedOn(); set && old.ID != 0 {
				active, err := c.Organization.Query().
					Where(organization.ParentID(old.ID), organization.DissolvedOnIsNil()).
					Exist(ctx)
				if err != nil {
					return nil, fmt.Errorf("checking children: %w", err)
				}
				if active {
					return nil, apperr.New(apperr.CodeHasChildren, "dissolvedOn",
						"tổ chức còn tổ chức trực thuộc đang hoạt động", "the organization still has active child organizations")
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// camel converts a column name to its GraphQL field name.
func camel(s string) string {
	out := make([]byte, 0, len(s))
	up := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '_':
			up = true
		case up:
			out = append(out, s[i]-'a'+'A')
			up = false
		default:
			out = append(out, s[i])
		}
	}
	r := string(out)
	if len(r) > 2 && r[len(r)-2:] == "Id" {
		r = r[:len(r)-2] + "ID"
	}
	return r
}
