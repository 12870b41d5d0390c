// Package workflow holds the rules of the Party's admission procedure
// (Regulation 24-QĐ/TW 2021 and its 2025 successors, Guidance 01-HD/TW) and
// the operations that move a person through it. The rules are enforced by
// ent hooks installed from ent/schema (see hooks.go), so every write path —
// GraphQL, the importer, the command line — passes through them; the pure
// check functions below are also used by the importer to validate a whole
// file before writing anything. Each violation is an *apperr.Error with a
// stable code, the field at fault and a message in Vietnamese and English.
package workflow

import (
	"fmt"
	"time"

	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/internal/apperr"
)

// Limits of the procedure.
const (
	MinAge = 18
	// MaxAge is the oldest age admitted without an explicit exception.
	MaxAge = 60
	// CertificateYears is how long an awareness-class certificate stays valid.
	CertificateYears = 5
	// DecisionWorkingDays bounds the time from the branch resolution to the decision.
	DecisionWorkingDays = 60
	// CeremonyWorkingDays bounds the time from the decision to the ceremony.
	CeremonyWorkingDays = 30
	// ProbationMonths is the length of probation, from the ceremony.
	ProbationMonths = 12
)

// dateVI formats a date the Vietnamese way for messages.
func dateVI(t time.Time) string { return t.Format("02/01/2006") }

// Age returns the age in completed years on day on of a person born on birth.
func Age(birth, on time.Time) int {
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		age--
	}
	return age
}

// CheckAge enforces an age of 18 to 60 on the branch resolution; over 60 is
// allowed only by an explicit exception with a note.
func CheckAge(birth, resolutionOn time.Time, exception bool, note string) error {
	age := Age(birth, resolutionOn)
	switch {
	case age < MinAge:
		return apperr.New(apperr.CodeAgeOutOfRange, "resolutionOn",
			fmt.Sprintf("người được đề nghị kết nạp phải đủ %d tuổi vào ngày nghị quyết chi bộ (mới %d tuổi)", MinAge, age),
			fmt.Sprintf("the person must be at least %d on the branch resolution date (is %d)", MinAge, age))
	case age > MaxAge && !exception:
		return apperr.New(apperr.CodeAgeOutOfRange, "ageException",
			fmt.Sprintf("người trên %d tuổi (%d tuổi) chỉ được kết nạp khi có trường hợp ngoại lệ được ghi nhận", MaxAge, age),
			fmt.Sprintf("a person over %d (aged %d) can only be admitted by a recorded exception", MaxAge, age))
	case age > MaxAge && trimmed(note) == "":
		return apperr.New(apperr.CodeExceptionNoteRequired, "exceptionNote",
			"cần ghi rõ căn cứ của trường hợp ngoại lệ về tuổi",
			"the age exception needs a note giving its grounds")
	}
	return nil
}

// CheckCertificate enforces an awareness-class certificate (the latest one
// on or before the resolution, nil when none) no older than five years on
// the resolution date.
func CheckCertificate(certificateOn *time.Time, resolutionOn time.Time) error {
	if certificateOn == nil {
		return apperr.New(apperr.CodeCertificateMissing, "candidateID",
			"chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng cấp trước ngày nghị quyết chi bộ",
			"no awareness-class certificate dated on or before the branch resolution")
	}
	if expires := certificateOn.AddDate(CertificateYears, 0, 0); resolutionOn.After(expires) {
		return apperr.New(apperr.CodeCertificateExpired, "resolutionOn",
			fmt.Sprintf("giấy chứng nhận lớp nhận thức về Đảng cấp ngày %s đã quá %d năm vào ngày nghị quyết chi bộ", dateVI(*certificateOn), CertificateYears),
			fmt.Sprintf("the awareness-class certificate of %s is more than %d years old on the branch resolution date", certificateOn.Format(time.DateOnly), CertificateYears))
	}
	return nil
}

// Introducer is one of the two people who introduce a candidate: a member
// recorded in the system (MemberID, with the status of their admission), or
// a member from outside it, recorded by name and party card number.
type Introducer struct {
	MemberID *int
	// Status of the member's admission; empty when they have none.
	Status admission.Status
	Name   string
	CardNo string
}

// CheckIntroducers enforces two distinct introducers who are full members.
func CheckIntroducers(candidateID int, first, second Introducer) error {
	for i, in := range []Introducer{first, second} {
		field := []string{"firstIntroducer", "secondIntroducer"}[i]
		switch {
		case in.MemberID != nil && *in.MemberID == candidateID:
			return apperr.New(apperr.CodeIntroducersNotDistinct, field,
				"người được kết nạp không thể tự giới thiệu mình", "a candidate cannot introduce themselves")
		case in.MemberID != nil && in.Status != admission.StatusFULL:
			return apperr.New(apperr.CodeIntroducerNotFullMember, field,
				"người giới thiệu phải là đảng viên chính thức", "an introducer must be a full member")
		case in.MemberID == nil && (trimmed(in.Name) == "" || trimmed(in.CardNo) == ""):
			return apperr.New(apperr.CodeIntroducerRequired, field,
				"cần hai người giới thiệu: đảng viên trong hệ thống, hoặc họ tên và số thẻ đảng viên",
				"two introducers are required: members in the system, or a name and party card number")
		}
	}
	same := (first.MemberID != nil && second.MemberID != nil && *first.MemberID == *second.MemberID) ||
		(first.MemberID == nil && second.MemberID == nil && trimmed(first.CardNo) == trimmed(second.CardNo))
	if same {
		return apperr.New(apperr.CodeIntroducersNotDistinct, "secondIntroducer",
			"hai người giới thiệu phải là hai người khác nhau", "the two introducers must be different people")
	}
	return nil
}

// CheckDates enforces the order and deadlines of resolution, decision and
// ceremony: the decision within 60 working days of the resolution and the
// ceremony within 30 working days of the decision, unless a reason for the
// delay is recorded. Working days are Monday to Friday; public holidays are
// not counted out, which errs on the side of accepting.
func CheckDates(resolutionOn, decisionOn, admittedOn time.Time, delayReason string) error {
	if decisionOn.Before(resolutionOn) {
		return apperr.New(apperr.CodeDecisionBeforeResolution, "decisionOn",
			"ngày quyết định kết nạp không được trước ngày nghị quyết chi bộ",
			"the admission decision cannot precede the branch resolution")
	}
	if decisionOn.After(AddWorkingDays(resolutionOn, DecisionWorkingDays)) {
		return apperr.New(apperr.CodeDecisionTooLate, "decisionOn",
			fmt.Sprintf("quyết định kết nạp phải ban hành trong %d ngày làm việc kể từ nghị quyết chi bộ", DecisionWorkingDays),
			fmt.Sprintf("the decision must come within %d working days of the branch resolution", DecisionWorkingDays))
	}
	if admittedOn.Before(decisionOn) {
		return apperr.New(apperr.CodeCeremonyBeforeDecision, "admittedOn",
			"lễ kết nạp không được tổ chức trước ngày quyết định kết nạp",
			"the ceremony cannot precede the admission decision")
	}
	if admittedOn.After(AddWorkingDays(decisionOn, CeremonyWorkingDays)) && trimmed(delayReason) == "" {
		return apperr.New(apperr.CodeCeremonyDelayUnexplained, "ceremonyDelayReason",
			fmt.Sprintf("lễ kết nạp muộn hơn %d ngày làm việc sau quyết định: cần ghi lý do", CeremonyWorkingDays),
			fmt.Sprintf("the ceremony came more than %d working days after the decision: record the reason", CeremonyWorkingDays))
	}
	return nil
}

// ProbationEnd returns the end of the 12-month probation that starts on admittedOn.
func ProbationEnd(admittedOn time.Time) time.Time {
	return admittedOn.AddDate(0, ProbationMonths, 0)
}

// CheckRecognition enforces that a member is recognized (or not) only once
// probation has ended; on is the date of the committee's decision.
func CheckRecognition(probationEndsOn, on time.Time) error {
	if on.Before(probationEndsOn) {
		return apperr.New(apperr.CodeProbationNotEnded, "on",
			fmt.Sprintf("chưa hết thời gian dự bị (đến %s)", dateVI(probationEndsOn)),
			fmt.Sprintf("probation has not ended (it ends on %s)", probationEndsOn.Format(time.DateOnly)))
	}
	return nil
}

// candidateNext lists the statuses a candidate may move to from each status.
var candidateNext = map[candidate.Status][]candidate.Status{
	candidate.StatusSOURCE:  {candidate.StatusTRAINED, candidate.StatusWITHDRAWN, candidate.StatusREJECTED},
	candidate.StatusTRAINED: {candidate.StatusAPPLIED, candidate.StatusWITHDRAWN, candidate.StatusREJECTED},
	candidate.StatusAPPLIED: {candidate.StatusADMITTED, candidate.StatusWITHDRAWN, candidate.StatusREJECTED},
}

// CheckCandidateTransition enforces SOURCE → TRAINED → APPLIED → ADMITTED,
// with WITHDRAWN and REJECTED reachable before admission and terminal.
func CheckCandidateTransition(from, to candidate.Status) error {
	if from == to {
		return nil
	}
	for _, s := range candidateNext[from] {
		if s == to {
			return nil
		}
	}
	return apperr.New(apperr.CodeInvalidTransition, "status",
		fmt.Sprintf("không thể chuyển trạng thái quần chúng từ %s sang %s", from, to),
		fmt.Sprintf("a candidate cannot go from %s to %s", from, to))
}

// admissionNext lists the statuses an admission may move to from each status.
var admissionNext = map[admission.Status][]admission.Status{
	admission.StatusPROBATIONARY: {admission.StatusFULL, admission.StatusNOT_RECOGNIZED, admission.StatusLEFT},
	admission.StatusFULL:         {admission.StatusLEFT},
}

// CheckAdmissionTransition enforces PROBATIONARY → FULL | NOT_RECOGNIZED |
// LEFT and FULL → LEFT; NOT_RECOGNIZED and LEFT are terminal.
func CheckAdmissionTransition(from, to admission.Status) error {
	if from == to {
		return nil
	}
	for _, s := range admissionNext[from] {
		if s == to {
			return nil
		}
	}
	return apperr.New(apperr.CodeInvalidTransition, "status",
		fmt.Sprintf("không thể chuyển trạng thái đảng viên từ %s sang %s", from, to),
		fmt.Sprintf("a member cannot go from %s to %s", from, to))
}
