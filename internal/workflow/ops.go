package workflow

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	gen "ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/trainingclass"
	"ketnap/internal/apperr"
	"ketnap/internal/tree"
)

// The operations below take the transaction's client: each call is part of
// one transaction that the caller commits or rolls back as a whole.

// lockCandidate loads a candidate, locking its row on PostgreSQL until the
// transaction ends so that concurrent admissions of one person serialize
// (SQLite serializes writers already: transactions begin IMMEDIATE).
func lockCandidate(ctx context.Context, c *gen.Client, id int) (*gen.Candidate, error) {
	cand, err := c.Candidate.Query().
		Where(candidate.ID(id), func(s *sql.Selector) {
			if s.Dialect() == dialect.Postgres {
				s.ForUpdate()
			}
		}).
		Only(ctx)
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "candidateID", "không tìm thấy quần chúng", "candidate not found")
	}
	if err != nil {
		return nil, fmt.Errorf("loading candidate: %w", err)
	}
	return cand, nil
}

// ResolutionInput records a branch resolution proposing a candidate's admission.
type ResolutionInput struct {
	CandidateID   int
	On            time.Time
	AgeException  bool
	ExceptionNote string
}

// RecordResolution records the branch resolution: the candidate becomes
// APPLIED (passing through TRAINED when the awareness class was recorded
// without moving the status).
func RecordResolution(ctx context.Context, c *gen.Client, in ResolutionInput) (*gen.Candidate, error) {
	cand, err := lockCandidate(ctx, c, in.CandidateID)
	if err != nil {
		return nil, err
	}
	if cand.Status == candidate.StatusSOURCE {
		cert, err := LatestCertificate(ctx, c, cand.ID, in.On)
		if err != nil {
			return nil, err
		}
		if err := CheckCertificate(cert, in.On); err != nil {
			return nil, err
		}
		if err := c.Candidate.UpdateOneID(cand.ID).SetStatus(candidate.StatusTRAINED).Exec(ctx); err != nil {
			return nil, err
		}
	}
	u := c.Candidate.UpdateOneID(cand.ID).
		SetStatus(candidate.StatusAPPLIED).
		SetResolutionOn(in.On).
		SetAgeException(in.AgeException)
	if in.ExceptionNote != "" {
		u.SetExceptionNote(in.ExceptionNote)
	} else {
		u.ClearExceptionNote()
	}
	return u.Save(ctx)
}

// IntroducerInput names an introducer: a member in the system by the id of
// their candidate record, or a member from outside it by name and card number.
type IntroducerInput struct {
	MemberID *int
	Name     string
	CardNo   string
}

// AdmitInput records the admission decision and ceremony.
type AdmitInput struct {
	CandidateID int
	// ResolutionOn is the branch resolution; nil keeps the one recorded.
	ResolutionOn        *time.Time
	DecisionNo          string
	DecisionOn          time.Time
	AdmittedOn          time.Time
	FirstIntroducer     IntroducerInput
	SecondIntroducer    IntroducerInput
	CeremonyDelayReason string
	AgeException        bool
	ExceptionNote       string
}

// Admit records the admission of a candidate: the branch resolution when not
// yet recorded, then the decision and the ceremony, which make the person a
// probationary member. A person is admitted at most once, even when two
// requests race: the candidate row is locked and admissions.candidate_id is
// unique.
func Admit(ctx context.Context, c *gen.Client, in AdmitInput) (*gen.Admission, error) {
	cand, err := lockCandidate(ctx, c, in.CandidateID)
	if err != nil {
		return nil, err
	}
	if cand.Status == candidate.StatusADMITTED {
		return nil, alreadyAdmitted()
	}
	resolutionOn := in.ResolutionOn
	if resolutionOn == nil {
		resolutionOn = cand.ResolutionOn
	}
	if resolutionOn == nil {
		return nil, apperr.Invalid("resolutionOn", "cần ngày nghị quyết chi bộ", "the branch resolution date is required")
	}
	if cand.Status != candidate.StatusAPPLIED || cand.ResolutionOn == nil || !cand.ResolutionOn.Equal(*resolutionOn) ||
		cand.AgeException != in.AgeException || cand.ExceptionNote != in.ExceptionNote {
		if _, err := RecordResolution(ctx, c, ResolutionInput{
			CandidateID: cand.ID, On: *resolutionOn, AgeException: in.AgeException, ExceptionNote: in.ExceptionNote,
		}); err != nil {
			return nil, err
		}
	}
	create := c.Admission.Create().
		SetCandidateID(cand.ID).
		SetOrganizationID(cand.OrganizationID).
		SetResolutionOn(*resolutionOn).
		SetDecisionNo(in.DecisionNo).
		SetDecisionOn(in.DecisionOn).
		SetAdmittedOn(in.AdmittedOn).
		SetCeremonyDelayReason(in.CeremonyDelayReason).
		SetAgeException(in.AgeException).
		SetExceptionNote(in.ExceptionNote).
		SetNillableFirstIntroducerID(in.FirstIntroducer.MemberID).
		SetNillableSecondIntroducerID(in.SecondIntroducer.MemberID)
	if in.FirstIntroducer.MemberID == nil {
		create.SetFirstIntroducerName(in.FirstIntroducer.Name).SetFirstIntroducerCardNo(in.FirstIntroducer.CardNo)
	}
	if in.SecondIntroducer.MemberID == nil {
		create.SetSecondIntroducerName(in.SecondIntroducer.Name).SetSecondIntroducerCardNo(in.SecondIntroducer.CardNo)
	}
	a, err := create.Save(ctx)
	if gen.IsConstraintError(err) {
		if exists, qerr := c.Admission.Query().Where(admission.CandidateID(cand.ID)).Exist(ctx); qerr == nil && exists {
			return nil, alreadyAdmitted()
		}
	}
	return a, err
}

func admissionNotFound(err error) error {
	if gen.IsNotFound(err) {
		return apperr.New(apperr.CodeNotFound, "admissionID", "không tìm thấy hồ sơ kết nạp", "admission not found")
	}
	return err
}

// already names, in both languages, the status a step would repeat.
var already = map[admission.Status][2]string{
	admission.StatusFULL:           {"đảng viên đã được công nhận chính thức", "the member is already a full member"},
	admission.StatusNOT_RECOGNIZED: {"đã có quyết định không công nhận đảng viên chính thức", "the member was already not recognized"},
	admission.StatusLEFT:           {"đảng viên đã ra khỏi Đảng", "the member has already left the Party"},
}

// step refuses a workflow step to the status the admission already has:
// recording a leaving (or a recognition) twice is an error, not an edit.
// The status is read in the step's transaction, after the write lock (see
// internal/db), so of concurrent identical steps exactly one passes.
func step(ctx context.Context, c *gen.Client, admissionID int, to admission.Status) error {
	a, err := c.Admission.Get(ctx, admissionID)
	if err != nil {
		return admissionNotFound(err)
	}
	if a.Status == to {
		msg := already[to]
		return apperr.New(apperr.CodeInvalidTransition, "admissionID", msg[0], msg[1])
	}
	return nil
}

// Recognize records the recognition as a full member decided on on; it is
// dated from the end of probation.
func Recognize(ctx context.Context, c *gen.Client, admissionID int, on time.Time) (*gen.Admission, error) {
	if err := step(ctx, c, admissionID, admission.StatusFULL); err != nil {
		return nil, err
	}
	a, err := c.Admission.UpdateOneID(admissionID).
		SetStatus(admission.StatusFULL).
		SetRecognitionDecidedOn(on).
		Save(ctx)
	return a, admissionNotFound(err)
}

// MarkNotRecognized records that the member was not recognized at the end
// of probation, and so left the Party (name removed).
func MarkNotRecognized(ctx context.Context, c *gen.Client, admissionID int, on time.Time) (*gen.Admission, error) {
	if err := step(ctx, c, admissionID, admission.StatusNOT_RECOGNIZED); err != nil {
		return nil, err
	}
	a, err := c.Admission.UpdateOneID(admissionID).
		SetStatus(admission.StatusNOT_RECOGNIZED).
		SetNotRecognizedOn(on).
		Save(ctx)
	return a, admissionNotFound(err)
}

// RecordLeaving records that the member left the Party on on, and why.
func RecordLeaving(ctx context.Context, c *gen.Client, admissionID int, on time.Time, reason admission.LeftReason) (*gen.Admission, error) {
	if err := step(ctx, c, admissionID, admission.StatusLEFT); err != nil {
		return nil, err
	}
	a, err := c.Admission.UpdateOneID(admissionID).
		SetStatus(admission.StatusLEFT).
		SetLeftOn(on).
		SetLeftReason(reason).
		Save(ctx)
	return a, admissionNotFound(err)
}

// DisciplineInput records a disciplinary action.
type DisciplineInput struct {
	AdmissionID int
	Level       disciplinaryaction.Level
	DecidedOn   time.Time
	Reason      string
}

// RecordDiscipline records a disciplinary action; an expulsion also records
// the member's leaving.
func RecordDiscipline(ctx context.Context, c *gen.Client, in DisciplineInput) (*gen.DisciplinaryAction, error) {
	d, err := c.DisciplinaryAction.Create().
		SetAdmissionID(in.AdmissionID).
		SetLevel(in.Level).
		SetDecidedOn(in.DecidedOn).
		SetReason(in.Reason).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	if in.Level == disciplinaryaction.LevelEXPULSION {
		if _, err := RecordLeaving(ctx, c, in.AdmissionID, in.DecidedOn, admission.LeftReasonEXPULSION); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// RecordEnrollment records a candidate's enrollment in a class; passing an
// awareness class moves a SOURCE candidate to TRAINED.
func RecordEnrollment(ctx context.Context, c *gen.Client, in gen.CreateEnrollmentInput) (*gen.Enrollment, error) {
	e, err := c.Enrollment.Create().SetInput(in).Save(ctx)
	if err != nil {
		return nil, err
	}
	return e, promoteTrained(ctx, c, e)
}

// UpdateEnrollment updates an enrollment, as RecordEnrollment.
func UpdateEnrollment(ctx context.Context, c *gen.Client, id int, in gen.UpdateEnrollmentInput) (*gen.Enrollment, error) {
	e, err := c.Enrollment.UpdateOneID(id).SetInput(in).Save(ctx)
	if err != nil {
		return nil, err
	}
	return e, promoteTrained(ctx, c, e)
}

func promoteTrained(ctx context.Context, c *gen.Client, e *gen.Enrollment) error {
	if !e.Passed {
		return nil
	}
	kind, err := c.TrainingClass.Query().Where(trainingclass.ID(e.TrainingClassID)).Select(trainingclass.FieldKind).String(ctx)
	if err != nil {
		return fmt.Errorf("loading class: %w", err)
	}
	if trainingclass.Kind(kind) != trainingclass.KindAWARENESS {
		return nil
	}
	return PromoteTrained(ctx, c, []int{e.CandidateID})
}

// PromoteTrained moves the SOURCE candidates among ids to TRAINED.
func PromoteTrained(ctx context.Context, c *gen.Client, ids []int) error {
	for start := 0; start < len(ids); start += 10000 {
		if err := c.Candidate.Update().
			Where(candidate.IDIn(ids[start:min(start+10000, len(ids))]...), candidate.StatusEQ(candidate.StatusSOURCE)).
			SetStatus(candidate.StatusTRAINED).
			Exec(ctx); err != nil {
			return fmt.Errorf("marking candidates trained: %w", err)
		}
	}
	return nil
}

// Dissolve records the dissolution of an organization on on.
func Dissolve(ctx context.Context, c *gen.Client, id int, on time.Time) (*gen.Organization, error) {
	o, err := c.Organization.UpdateOneID(id).SetDissolvedOn(on).Save(ctx)
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "id", "không tìm thấy tổ chức đảng", "organization not found")
	}
	return o, err
}

// Merge merges organization from into organization into on date on. The
// tree's history gains the change, and nothing recorded is rewritten: from's
// child organizations move under into from on; from is dissolved on on with
// into recorded as its successor and placed under it in today's tree, so
// that its admissions, candidates, classes and plans, which stay recorded at
// from, count under into in the CURRENT view of the statistics and under
// from's own ancestors of their dates in the AS_OF view.
func Merge(ctx context.Context, c *gen.Client, from, into int, on time.Time) (*gen.Organization, error) {
	if from == into {
		return nil, apperr.Invalid("into", "không thể hợp nhất một tổ chức với chính nó", "an organization cannot be merged into itself")
	}
	for field, id := range map[string]int{"from": from, "into": into} {
		o, err := c.Organization.Get(ctx, id)
		if gen.IsNotFound(err) {
			return nil, apperr.New(apperr.CodeNotFound, field, "không tìm thấy tổ chức đảng", "organization not found")
		}
		if err != nil {
			return nil, fmt.Errorf("loading organization: %w", err)
		}
		if o.DissolvedOn != nil {
			return nil, dissolvedError(field)
		}
		if field == "into" && tree.Day(on).Before(o.FoundedOn) {
			return nil, apperr.New(apperr.CodeDateOrder, "on",
				"ngày hợp nhất không được trước ngày thành lập tổ chức tiếp nhận", "the merge cannot precede the founding of the organization merged into")
		}
	}
	inside, err := c.OrganizationClosure.Query().
		Where(organizationclosure.OrganizationID(from), organizationclosure.DescendantID(into)).
		Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking tree: %w", err)
	}
	if inside {
		return nil, apperr.New(apperr.CodeCycle, "into",
			"không thể hợp nhất vào tổ chức trực thuộc của chính nó", "an organization cannot be merged into one of its descendants")
	}
	ctx = tree.WithDate(ctx, on)
	children, err := c.Organization.Query().Where(organization.ParentID(from)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading children: %w", err)
	}
	for _, child := range children {
		if err := c.Organization.UpdateOneID(child).SetParentID(into).Exec(ctx); err != nil {
			return nil, fmt.Errorf("moving child organization: %w", err)
		}
	}
	if _, err := c.Organization.UpdateOneID(from).SetDissolvedOn(tree.Day(on)).SetMergedIntoID(into).SetParentID(into).Save(ctx); err != nil {
		return nil, err
	}
	return c.Organization.Get(ctx, into)
}

// Move moves organization id under parent (to the top of the tree when
// parent is nil) on date on; the tree's history keeps where it was before.
func Move(ctx context.Context, c *gen.Client, id int, parent *int, on time.Time) (*gen.Organization, error) {
	u := c.Organization.UpdateOneID(id)
	if parent != nil {
		u.SetParentID(*parent)
	} else {
		u.ClearParent()
	}
	o, err := u.Save(tree.WithDate(ctx, on))
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "id", "không tìm thấy tổ chức đảng", "organization not found")
	}
	return o, err
}

// Rename renames organization id from date on; the old name is kept for
// the dates it was borne.
func Rename(ctx context.Context, c *gen.Client, id int, name string, on time.Time) (*gen.Organization, error) {
	o, err := c.Organization.UpdateOneID(id).SetName(name).Save(tree.WithDate(ctx, on))
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "id", "không tìm thấy tổ chức đảng", "organization not found")
	}
	return o, err
}

// Split records that organization from was split into the organizations
// parts on date on: each part records from as its predecessor, and from is
// dissolved (its children must have been moved to the parts first). What
// was recorded at from stays there.
func Split(ctx context.Context, c *gen.Client, from int, parts []int, on time.Time) (*gen.Organization, error) {
	if len(parts) == 0 {
		return nil, apperr.Invalid("into", "cần ít nhất một tổ chức được chia tách ra", "at least one part is required")
	}
	o, err := c.Organization.Get(ctx, from)
	if gen.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "from", "không tìm thấy tổ chức đảng", "organization not found")
	}
	if err != nil {
		return nil, fmt.Errorf("loading organization: %w", err)
	}
	if o.DissolvedOn != nil {
		return nil, dissolvedError("from")
	}
	for _, p := range parts {
		if p == from {
			return nil, apperr.Invalid("into", "không thể chia tách một tổ chức thành chính nó", "an organization cannot be split into itself")
		}
		part, err := c.Organization.Get(ctx, p)
		if gen.IsNotFound(err) {
			return nil, apperr.New(apperr.CodeNotFound, "into", "không tìm thấy tổ chức đảng", "organization not found")
		}
		if err != nil {
			return nil, fmt.Errorf("loading organization: %w", err)
		}
		if part.DissolvedOn != nil {
			return nil, dissolvedError("into")
		}
		if part.PredecessorID != nil {
			return nil, apperr.Invalid("into", "tổ chức đã được ghi nhận chia tách từ tổ chức khác", "the part is already recorded as split from another organization")
		}
	}
	if err := c.Organization.Update().Where(organization.IDIn(parts...)).SetPredecessorID(from).Exec(ctx); err != nil {
		return nil, fmt.Errorf("recording the parts: %w", err)
	}
	return c.Organization.UpdateOneID(from).SetDissolvedOn(tree.Day(on)).Save(ctx)
}
