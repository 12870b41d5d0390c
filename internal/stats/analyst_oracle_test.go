package stats_test

import (
	"sort"
	"time"

	"ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/predicate"
	"ketnap/ent/trainingclass"
)

// The oracle of the records behind the figures (issue 15, items 12-14),
// from the rows as the oracle of the figures reads them.

// admissionIDs lists the admissions the oracle's admitted counts.
func (w *world) admissionIDs(root int, from, to time.Time) []int {
	var out []int
	for _, a := range w.admissions {
		if within(a.AdmittedOn, from, to) && w.inAt(a.OrganizationID, root, a.AdmittedOn) {
			out = append(out, a.ID)
		}
	}
	sort.Ints(out)
	return out
}

// pipelineIDs lists the candidates the oracle's pipeline counts.
func (w *world) pipelineIDs(root int, to time.Time) []int {
	var out []int
	end := to.AddDate(0, 0, 1)
	for _, c := range w.cands {
		if w.inAt(c.OrganizationID, root, to) && c.CreatedAt.Before(end) &&
			(c.Status == candidate.StatusSOURCE || c.Status == candidate.StatusTRAINED || c.Status == candidate.StatusAPPLIED) {
			out = append(out, c.ID)
		}
	}
	sort.Ints(out)
	return out
}

// traineeIDs lists the candidates the oracle's trainees counts.
func (w *world) traineeIDs(root int, from, to time.Time) []int {
	set := map[int]bool{}
	for _, e := range w.enrolls {
		if cl := w.classes[e.TrainingClassID]; e.Passed && cl.Kind == trainingclass.KindAWARENESS && e.CertificateOn != nil &&
			within(*e.CertificateOn, from, to) && w.inAt(cl.OrganizerID, root, *e.CertificateOn) {
			set[e.CandidateID] = true
		}
	}
	out := make([]int, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Ints(out)
	return out
}

// withoutAny lists, by code, the organizations of every kind in the subtree
// of root during the period that existed in it and in whose subtree nobody
// was admitted in it.
func (w *world) withoutAny(root int, from, to time.Time) []int {
	var out []int
	for _, o := range w.orgs { // by code
		if o.FoundedOn.After(to) || (o.DissolvedOn != nil && o.DissolvedOn.Before(from)) || !w.inDuring(o.ID, root, from, to) {
			continue
		}
		admitted := false
		for _, a := range w.admissions {
			if within(a.AdmittedOn, from, to) && w.inAt(a.OrganizationID, o.ID, a.AdmittedOn) {
				admitted = true
				break
			}
		}
		if !admitted {
			out = append(out, o.ID)
		}
	}
	return out
}

// filtered returns the world whose admissions are those with key k of
// dimension d.
func (w *world) filtered(d, k string) *world {
	f := *w
	f.admissions = nil
	for _, a := range w.admissions {
		if w.key(d, a) == k {
			f.admissions = append(f.admissions, a)
		}
	}
	return &f
}

// orderedChildren returns the children's stats of s ordered by field
// (ADMITTED…), ties by code (the oracle's children are by code), nulls last.
func orderedChildren(s *oStats, field string, desc bool) []*oStats {
	value := func(c *oStats) (float64, bool) {
		switch field {
		case "ADMITTED":
			return float64(c.Admitted), true
		case "TRAINEES":
			return float64(c.Trainees), true
		case "PIPELINE":
			return float64(c.Pipeline), true
		case "TARGET_ATTAINMENT":
			if c.TargetAttainment == nil {
				return 0, false
			}
			return *c.TargetAttainment, true
		case "ADMISSION_RATE":
			if c.AdmissionRate == nil {
				return 0, false
			}
			return *c.AdmissionRate, true
		}
		panic(field)
	}
	out := append([]*oStats(nil), s.Children...)
	sort.SliceStable(out, func(i, j int) bool {
		a, aok := value(out[i])
		b, bok := value(out[j])
		if aok != bok {
			return aok
		}
		if !aok || a == b {
			return false
		}
		if desc {
			return a > b
		}
		return a < b
	})
	return out
}

var _ = ent.Organization{}

// candidateOrg keeps the candidates followed by organization id.
func candidateOrg(id int) predicateCandidate { return candidate.OrganizationID(id) }

type predicateCandidate = predicate.Candidate
