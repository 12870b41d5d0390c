package importer

import (
	"context"
	"fmt"
	"time"

	gen "ketnap/ent"
	"ketnap/ent/candidate"
	"ketnap/ent/predicate"
	"ketnap/internal/access/rule"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
)

// candidateRow is a parsed row of the candidates file.
type candidateRow struct {
	r                         row
	name, ethnicity, religion string
	gender                    candidate.Gender
	birth                     time.Time
	education                 candidate.GeneralEducation
	professional              candidate.ProfessionalLevel
	theory                    candidate.PoliticalTheoryLevel
	occupation                candidate.Occupation
	youth                     bool
	nationalID, phone         string
	org                       int
}

func (c *candidateRow) key() string {
	return fmt.Sprint(c.name, "\x00", c.birth.Format(time.DateOnly), "\x00", c.org)
}

// runCandidates checks every row, then writes in bulk: new people in
// multi-row inserts, changed people one by one, unchanged people not at all.
func runCandidates(ctx context.Context, j *job) error {
	var codes []string
	for _, r := range j.rows {
		codes = append(codes, r.get(hOrgCode))
	}
	orgs, err := orgsByCode(ctx, j.c, codes)
	if err != nil {
		return err
	}
	var (
		rows    []*candidateRow
		byID    = map[string]int{}
		byKey   = map[string]int{}
		byPhone = map[string]int{}
	)
	for _, r := range j.rows {
		p := j.parse(r)
		c := &candidateRow{
			r:            r,
			name:         p.str(hFullName, true, 255),
			gender:       candidate.Gender(p.choice("Giới tính", true, genders)),
			ethnicity:    p.str("Dân tộc", false, 64),
			religion:     p.str("Tôn giáo", false, 64),
			education:    candidate.GeneralEducation(p.choice("Trình độ giáo dục phổ thông", false, generalEducation)),
			professional: candidate.ProfessionalLevel(p.choice("Trình độ chuyên môn", false, professionalLevels)),
			theory:       candidate.PoliticalTheoryLevel(p.choice("Lý luận chính trị", false, theoryLevels)),
			occupation:   candidate.Occupation(p.choice("Nghề nghiệp", true, occupations)),
			youth:        p.boolean("Đoàn viên"),
			nationalID:   p.str(hNationalID, false, 12),
			phone:        p.str("Số điện thoại", false, 20),
		}
		if b := p.date(hBirthDate, true); b != nil {
			c.birth = *b
		}
		if o := p.org(hOrgCode, orgs, true); o != nil {
			c.org = o.ID
		}
		if c.nationalID != "" && !digits(c.nationalID) {
			p.failf(hNationalID, "số CCCD chỉ gồm chữ số", "a national ID has digits only")
		}
		if p.bad {
			continue
		}
		dup := func(m map[string]int, k, header string) {
			if first, ok := m[k]; ok {
				p.bad = true
				j.fail(r, header, apperr.CodeConflict, fmt.Sprintf("trùng với dòng %d", first), fmt.Sprintf("duplicates row %d", first))
				return
			}
			m[k] = r.n
		}
		if c.nationalID != "" {
			dup(byID, c.nationalID, hNationalID)
		} else {
			dup(byKey, c.key(), hFullName)
		}
		if c.phone != "" {
			dup(byPhone, c.phone, "Số điện thoại")
		}
		if !p.bad {
			rows = append(rows, c)
		}
	}
	if !j.rep.OK() {
		return nil
	}
	existing, err := j.existingCandidates(ctx, rows)
	if err != nil {
		return err
	}
	phoneOwner, err := j.phoneOwners(ctx, rows)
	if err != nil {
		return err
	}
	var creates []*gen.CandidateCreate
	var updates []*gen.CandidateUpdateOne
	for _, c := range rows {
		cur := existing[c]
		if owner, ok := phoneOwner[c.phone]; ok && (cur == nil || owner != cur.ID) {
			j.fail(c.r, "Số điện thoại", apperr.CodeConflict, "số điện thoại đã thuộc về người khác", "the phone number belongs to someone else")
			continue
		}
		if bad, err := j.outOfScope(ctx, c, cur, phoneOwner); err != nil {
			return err
		} else if bad {
			continue
		}
		if cur == nil {
			creates = append(creates, j.newCandidate(c))
			continue
		}
		if u := j.changedCandidate(cur, c); u != nil {
			updates = append(updates, u)
		} else {
			j.rep.Unchanged++
		}
	}
	if !j.rep.OK() {
		return nil
	}
	if err := chunks(creates, chunk/2, func(part []*gen.CandidateCreate) error {
		return j.c.Candidate.CreateBulk(part...).Exec(ctx)
	}); err != nil {
		return fmt.Errorf("inserting candidates: %w", err)
	}
	j.rep.Created += len(creates)
	for _, u := range updates {
		if err := u.Exec(ctx); err != nil {
			return fmt.Errorf("updating candidates: %w", err)
		}
	}
	j.rep.Updated += len(updates)
	return nil
}

// outOfScope checks the row's national ID and phone number against the
// people its importer may not see (a scoped ANALYST's): a collision fails
// the row with the same CONFLICT as any other, names nothing of the other
// person, and is logged and counted (rule.CheckUnique). It reports whether
// the row failed.
func (j *job) outOfScope(ctx context.Context, c *candidateRow, cur *gen.Candidate, phoneOwner map[string]int) (bool, error) {
	if _, scoped := viewer.FromContext(ctx).Scope(); !scoped {
		return false, nil
	}
	var self []int
	if cur != nil {
		self = []int{cur.ID}
	}
	check := func(header, arg string, pred predicate.Candidate) (bool, error) {
		err := rule.CheckUnique(ctx, j.c, self, arg, pred)
		if ae, ok := apperr.As(err); ok {
			j.fail(c.r, header, ae.Code, ae.VI, ae.EN)
			return true, nil
		}
		return false, err
	}
	// A national ID matched in scope is the row's own person.
	if c.nationalID != "" && (cur == nil || cur.NationalID == nil || *cur.NationalID != c.nationalID) {
		if bad, err := check(hNationalID, "nationalID", candidate.NationalID(c.nationalID)); bad || err != nil {
			return bad, err
		}
	}
	if _, seen := phoneOwner[c.phone]; c.phone != "" && !seen {
		return check("Số điện thoại", "phone", candidate.Phone(c.phone))
	}
	return false, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// existingCandidates matches rows to stored people: by national ID, else
// by name, birth date and organization among people without one.
func (j *job) existingCandidates(ctx context.Context, rows []*candidateRow) (map[*candidateRow]*gen.Candidate, error) {
	var ids, names []string
	var orgs []int
	for _, c := range rows {
		if c.nationalID != "" {
			ids = append(ids, c.nationalID)
		}
		names = append(names, c.name)
		orgs = append(orgs, c.org)
	}
	byID := map[string]*gen.Candidate{}
	err := chunks(ids, chunk, func(part []string) error {
		found, err := j.c.Candidate.Query().Where(candidate.NationalIDIn(part...)).All(ctx)
		for _, f := range found {
			byID[*f.NationalID] = f
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matching national IDs: %w", err)
	}
	byKey := map[string]*gen.Candidate{}
	orgSet := map[int]bool{}
	var orgIDs []int
	for _, o := range orgs {
		if !orgSet[o] {
			orgSet[o] = true
			orgIDs = append(orgIDs, o)
		}
	}
	err = chunks(dedupe(names), chunk, func(part []string) error {
		found, err := j.c.Candidate.Query().
			Where(candidate.FullNameIn(part...), candidate.OrganizationIDIn(orgIDs...), candidate.NationalIDIsNil()).
			All(ctx)
		for _, f := range found {
			k := (&candidateRow{name: f.FullName, birth: f.BirthDate, org: f.OrganizationID}).key()
			byKey[k] = f
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matching names: %w", err)
	}
	out := map[*candidateRow]*gen.Candidate{}
	for _, c := range rows {
		if f, ok := byID[c.nationalID]; ok && c.nationalID != "" {
			out[c] = f
		} else if f, ok := byKey[c.key()]; ok {
			out[c] = f
		}
	}
	return out, nil
}

// phoneOwners returns who holds each phone number of the file.
func (j *job) phoneOwners(ctx context.Context, rows []*candidateRow) (map[string]int, error) {
	var phones []string
	for _, c := range rows {
		if c.phone != "" {
			phones = append(phones, c.phone)
		}
	}
	out := map[string]int{}
	err := chunks(phones, chunk, func(part []string) error {
		found, err := j.c.Candidate.Query().Where(candidate.PhoneIn(part...)).All(ctx)
		for _, f := range found {
			out[*f.Phone] = f.ID
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matching phones: %w", err)
	}
	return out, nil
}

func (j *job) newCandidate(c *candidateRow) *gen.CandidateCreate {
	b := j.c.Candidate.Create().
		SetFullName(c.name).SetGender(c.gender).SetBirthDate(c.birth).SetOccupation(c.occupation).
		SetYouthUnionMember(c.youth).SetOrganizationID(c.org).SetReligion(c.religion)
	if c.ethnicity != "" {
		b.SetEthnicity(c.ethnicity)
	}
	if c.education != "" {
		b.SetGeneralEducation(c.education)
	}
	if c.professional != "" {
		b.SetProfessionalLevel(c.professional)
	}
	if c.theory != "" {
		b.SetPoliticalTheoryLevel(c.theory)
	}
	if c.nationalID != "" {
		b.SetNationalID(c.nationalID)
	}
	if c.phone != "" {
		b.SetPhone(c.phone)
	}
	return b
}

// changedCandidate returns the update that brings cur in line with c, or
// nil when nothing differs. Empty optional cells leave stored values as
// they are.
func (j *job) changedCandidate(cur *gen.Candidate, c *candidateRow) *gen.CandidateUpdateOne {
	u := j.c.Candidate.UpdateOneID(cur.ID)
	changed := false
	set := func(differs bool, apply func()) {
		if differs {
			changed = true
			apply()
		}
	}
	set(cur.FullName != c.name, func() { u.SetFullName(c.name) })
	set(cur.Gender != c.gender, func() { u.SetGender(c.gender) })
	set(!cur.BirthDate.Equal(c.birth), func() { u.SetBirthDate(c.birth) })
	set(cur.Occupation != c.occupation, func() { u.SetOccupation(c.occupation) })
	set(cur.YouthUnionMember != c.youth, func() { u.SetYouthUnionMember(c.youth) })
	set(cur.OrganizationID != c.org, func() { u.SetOrganizationID(c.org) })
	set(c.ethnicity != "" && cur.Ethnicity != c.ethnicity, func() { u.SetEthnicity(c.ethnicity) })
	set(c.religion != "" && cur.Religion != c.religion, func() { u.SetReligion(c.religion) })
	set(c.education != "" && cur.GeneralEducation != c.education, func() { u.SetGeneralEducation(c.education) })
	set(c.professional != "" && cur.ProfessionalLevel != c.professional, func() { u.SetProfessionalLevel(c.professional) })
	set(c.theory != "" && cur.PoliticalTheoryLevel != c.theory, func() { u.SetPoliticalTheoryLevel(c.theory) })
	set(c.nationalID != "" && (cur.NationalID == nil || *cur.NationalID != c.nationalID), func() { u.SetNationalID(c.nationalID) })
	set(c.phone != "" && (cur.Phone == nil || *cur.Phone != c.phone), func() { u.SetPhone(c.phone) })
	if !changed {
		return nil
	}
	return u
}
