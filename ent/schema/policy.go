package schema

import (
	"entgo.io/ent"

	"ketnap/internal/access/readlog"
	"ketnap/internal/access/rule"
)

// The access matrix, in one place (see internal/access/rule for the rules):
//
//	entity               ADMIN  ANALYST (subtree)      VIEWER (subtree)
//	Organization         all    read subtree+path up,   read subtree+path up
//	                            write subtree
//	TrainingClass        all    read subtree+path up,   read subtree+path up
//	                            write subtree
//	AnnualPlan           all    read/write subtree      read subtree
//	Candidate            all    read/write subtree      refused
//	Admission            all    read/write subtree      refused
//	Enrollment           all    read/write subtree      refused
//	DisciplinaryAction   all    read/write subtree      refused
//	User                 all    read self               read self
//	Token                all    own tokens              own tokens
//	AccessLog            read   refused                 refused  (written by the system only)
//	AuditEvent           read   read events about        refused  (written by the audit hook only)
//	                            records in subtree
//
// A context without a viewer is refused everything.

// Policy of the Organization.
func (Organization) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:  rule.InSubtreeOrAbove("id"),
		Write: rule.InSubtree("id"),
		Refs:  []rule.Ref{{Field: "parent_id", Arg: "parentID", Required: true, In: rule.OrgInSubtree}},
	})
}

// Policy of the OrganizationClosure.
func (OrganizationClosure) Policy() ent.Policy { return rule.ClosurePolicy() }

// Policy of the TrainingClass.
func (TrainingClass) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:  rule.InSubtreeOrAbove("organizer_id"),
		Write: rule.InSubtree("organizer_id"),
		Refs:  []rule.Ref{{Field: "organizer_id", Arg: "organizerID", Required: true, In: rule.OrgInSubtree}},
	})
}

// Policy of the AnnualPlan.
func (AnnualPlan) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:  rule.InSubtree("organization_id"),
		Write: rule.InSubtree("organization_id"),
		Refs:  []rule.Ref{{Field: "organization_id", Arg: "organizationID", Required: true, In: rule.OrgInSubtree}},
	})
}

// Policy of the Candidate.
func (Candidate) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:     rule.InSubtree("organization_id"),
		Write:    rule.InSubtree("organization_id"),
		Refs:     []rule.Ref{{Field: "organization_id", Arg: "organizationID", Required: true, In: rule.OrgInSubtree}},
		Personal: true,
		Unique:   rule.CandidateUnique,
	})
}

// Interceptors of the Candidate.
func (Candidate) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readlog.Interceptor()}
}

// Policy of the Admission.
func (Admission) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:  rule.InSubtree("organization_id"),
		Write: rule.InSubtree("organization_id"),
		Refs: []rule.Ref{
			{Field: "organization_id", Arg: "organizationID", Required: true, In: rule.OrgInSubtree},
			{Field: "candidate_id", Arg: "candidateID", Required: true, In: rule.CandidateVisible},
			{Field: "first_introducer_id", Arg: "firstIntroducerID", In: rule.CandidateVisible},
			{Field: "second_introducer_id", Arg: "secondIntroducerID", In: rule.CandidateVisible},
		},
		Personal: true,
	})
}

// Interceptors of the Admission.
func (Admission) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readlog.Interceptor()}
}

// Policy of the Enrollment.
func (Enrollment) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:  rule.ViaCandidate("candidate_id"),
		Write: rule.ViaCandidate("candidate_id"),
		Refs: []rule.Ref{
			{Field: "candidate_id", Arg: "candidateID", Required: true, In: rule.CandidateVisible},
			{Field: "training_class_id", Arg: "trainingClassID", Required: true, In: rule.ClassVisible},
		},
		Personal: true,
	})
}

// Interceptors of the Enrollment.
func (Enrollment) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readlog.Interceptor()}
}

// Policy of the DisciplinaryAction.
func (DisciplinaryAction) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:     rule.ViaAdmission("admission_id"),
		Write:    rule.ViaAdmission("admission_id"),
		Refs:     []rule.Ref{{Field: "admission_id", Arg: "admissionID", Required: true, In: rule.AdmissionVisible}},
		Personal: true,
	})
}

// Policy of the User.
func (User) Policy() ent.Policy { return rule.UserPolicy() }

// Policy of the Token.
func (Token) Policy() ent.Policy { return rule.TokenPolicy() }

// Policy of the AccessLog.
func (AccessLog) Policy() ent.Policy { return rule.AccessLogPolicy() }

// Policy of the OrganizationLink: the tree's history, like the closure.
func (OrganizationLink) Policy() ent.Policy { return rule.ClosurePolicy() }

// Policy of the OrganizationName: the names of organizations, read like the
// organizations, written like the tree.
func (OrganizationName) Policy() ent.Policy { return rule.NamesPolicy() }

// Policy of the CandidateStatus: a candidate's history, like the candidate.
func (CandidateStatus) Policy() ent.Policy {
	return rule.Policy(rule.Scope{
		Read:     rule.InSubtree("organization_id"),
		Write:    rule.InSubtree("organization_id"),
		Personal: true,
	})
}

// Interceptors of the DisciplinaryAction.
func (DisciplinaryAction) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readlog.Interceptor()}
}

// Policy of the AuditEvent.
func (AuditEvent) Policy() ent.Policy { return rule.AuditPolicy() }

// Interceptors of the AuditEvent.
func (AuditEvent) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readlog.Interceptor()}
}
