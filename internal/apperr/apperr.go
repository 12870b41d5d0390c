// Package apperr defines the errors ketnap shows to its users: a stable code,
// the field at fault, and a message in Vietnamese and English. They never
// carry SQL, internals or personal data, so they are safe to return as is.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error code.
type Code string

// Error codes shared by the data layer and the API.
const (
	CodeInvalid      Code = "INVALID_ARGUMENT"
	CodeNotFound     Code = "NOT_FOUND"
	CodeConflict     Code = "CONFLICT"
	CodeCycle        Code = "TREE_CYCLE"
	CodeHasChildren  Code = "HAS_CHILDREN"
	CodeInUse        Code = "IN_USE"
	CodeUnauthorized Code = "UNAUTHENTICATED"
	CodeForbidden    Code = "FORBIDDEN"
	CodeInternal     Code = "INTERNAL"
)

// Error codes of the admission workflow's rules (ketnap/internal/workflow).
const (
	CodeAgeOutOfRange            Code = "AGE_OUT_OF_RANGE"
	CodeExceptionNoteRequired    Code = "EXCEPTION_NOTE_REQUIRED"
	CodeCertificateMissing       Code = "AWARENESS_CERTIFICATE_MISSING"
	CodeCertificateExpired       Code = "AWARENESS_CERTIFICATE_EXPIRED"
	CodeIntroducerRequired       Code = "INTRODUCER_REQUIRED"
	CodeIntroducerNotFullMember  Code = "INTRODUCER_NOT_FULL_MEMBER"
	CodeIntroducersNotDistinct   Code = "INTRODUCERS_NOT_DISTINCT"
	CodeDecisionBeforeResolution Code = "DECISION_BEFORE_RESOLUTION"
	CodeDecisionTooLate          Code = "DECISION_TOO_LATE"
	CodeCeremonyBeforeDecision   Code = "CEREMONY_BEFORE_DECISION"
	CodeCeremonyDelayUnexplained Code = "CEREMONY_DELAY_REASON_REQUIRED"
	CodeProbationNotEnded        Code = "PROBATION_NOT_ENDED"
	CodeInvalidTransition        Code = "INVALID_STATUS_TRANSITION"
	CodeAlreadyAdmitted          Code = "ALREADY_ADMITTED"
	CodeOrganizationDissolved    Code = "ORGANIZATION_DISSOLVED"
	CodeDateOrder                Code = "INVALID_DATE_ORDER"
	CodeImportRejected           Code = "IMPORT_REJECTED"
)

// Error is a user-facing error. Field names the input at fault, in the
// GraphQL spelling (camelCase), or is empty when no single field is.
type Error struct {
	Code  Code
	Field string
	VI    string
	EN    string
	// Err is the underlying cause, kept for logs and errors.Is; it is never shown.
	Err error
}

// Error returns the message in both languages, Vietnamese first.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s / %s", e.Field, e.VI, e.EN)
	}
	return e.VI + " / " + e.EN
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the given code, field and messages.
func New(code Code, field, vi, en string) *Error {
	return &Error{Code: code, Field: field, VI: vi, EN: en}
}

// Invalid returns an INVALID_ARGUMENT error for field.
func Invalid(field, vi, en string) *Error {
	return New(CodeInvalid, field, vi, en)
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeReadOnly refuses a write while the primary database is unavailable:
// reads are still answered by the replicas (ketnap/internal/db).
const CodeReadOnly Code = "READ_ONLY"
