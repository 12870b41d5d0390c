package schema

import (
	"entgo.io/ent"

	"ketnap/internal/stats/rollup"
	"ketnap/internal/tree"
	"ketnap/internal/workflow"
)

// Hooks of the Organization.
func (Organization) Hooks() []ent.Hook {
	return []ent.Hook{
		workflow.OrganizationHook(),
		// The rollup hook wraps the closure hook: it reads the tree before
		// and after a move.
		rollup.OrganizationHook,
		tree.ClosureHook(),
		workflow.RefuseDeleteInUse(),
	}
}

// Hooks of the Admission: the rules of the admission workflow, in one place
// (ketnap/internal/workflow), so that no write path bypasses them.
func (Admission) Hooks() []ent.Hook {
	return []ent.Hook{workflow.AdmissionHook(), rollup.AdmissionHook}
}

// Hooks of the Candidate.
func (Candidate) Hooks() []ent.Hook {
	return []ent.Hook{workflow.CandidateHook(), rollup.CandidateHook}
}

// Hooks of the DisciplinaryAction.
func (DisciplinaryAction) Hooks() []ent.Hook {
	return []ent.Hook{workflow.DisciplineHook(), rollup.DisciplinaryActionHook}
}

// Hooks of the AnnualPlan: the subtree plan totals the statistics read.
func (AnnualPlan) Hooks() []ent.Hook {
	return []ent.Hook{rollup.AnnualPlanHook}
}

// Hooks of the Enrollment: the trainee counters the statistics read.
func (Enrollment) Hooks() []ent.Hook {
	return []ent.Hook{rollup.EnrollmentHook}
}

// Hooks of the TrainingClass: the trainee counters of its certificates.
func (TrainingClass) Hooks() []ent.Hook {
	return []ent.Hook{rollup.TrainingClassHook}
}
