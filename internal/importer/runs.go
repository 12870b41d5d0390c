package importer

import (
	"context"
	"fmt"
	"time"

	gen "ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/annualplan"
	"ketnap/ent/candidate"
	"ketnap/ent/enrollment"
	"ketnap/ent/organization"
	"ketnap/ent/trainingclass"
	"ketnap/internal/apperr"
	"ketnap/internal/workflow"
)

// chunk bounds the values of one IN list and the rows of one INSERT.
const chunk = 1000

// chunks calls fn on successive parts of xs of at most n elements.
func chunks[T any](xs []T, n int, fn func([]T) error) error {
	for start := 0; start < len(xs); start += n {
		if err := fn(xs[start:min(start+n, len(xs))]); err != nil {
			return err
		}
	}
	return nil
}

// orgsByCode loads the organizations with the given codes.
func orgsByCode(ctx context.Context, c *gen.Client, codes []string) (map[string]*gen.Organization, error) {
	out := map[string]*gen.Organization{}
	uniq := dedupe(codes)
	err := chunks(uniq, chunk, func(part []string) error {
		orgs, err := c.Organization.Query().Where(organization.CodeIn(part...)).All(ctx)
		for _, o := range orgs {
			out[o.Code] = o
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("loading organizations: %w", err)
	}
	return out, nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// org resolves an organization code cell.
func (p *cells) org(header string, orgs map[string]*gen.Organization, active bool) *gen.Organization {
	code := p.r.get(header)
	if code == "" {
		return nil
	}
	o, ok := orgs[code]
	switch {
	case !ok:
		p.bad = true
		p.j.fail(p.r, header, apperr.CodeNotFound, "không tìm thấy tổ chức có mã này", "no organization has this code")
		return nil
	case active && o.DissolvedOn != nil:
		p.bad = true
		p.j.fail(p.r, header, apperr.CodeOrganizationDissolved, "tổ chức đã giải thể hoặc hợp nhất", "the organization has been dissolved or merged")
		return nil
	}
	return o
}

// person finds the candidate a row names, by national ID or by name, birth
// date and organization.
func (j *job) person(ctx context.Context, p *cells, orgs map[string]*gen.Organization) (*gen.Candidate, error) {
	q := j.c.Candidate.Query()
	if nid := p.r.get(hNationalID); nid != "" {
		q.Where(candidate.NationalID(nid))
	} else {
		name := p.str(hFullName, true, 255)
		birth := p.date(hBirthDate, true)
		o := p.org(hOrgCode, orgs, false)
		if p.r.get(hOrgCode) == "" {
			p.failf(hOrgCode, "không được để trống khi không có số CCCD", "is required without a national ID")
		}
		if p.bad {
			return nil, nil
		}
		q.Where(candidate.FullName(name), candidate.BirthDate(*birth), candidate.OrganizationID(o.ID))
	}
	if p.bad {
		return nil, nil
	}
	cands, err := q.Limit(2).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("finding candidate: %w", err)
	}
	switch len(cands) {
	case 0:
		p.bad = true
		j.fail(p.r, hNationalID, apperr.CodeNotFound, "không tìm thấy quần chúng này; nhập danh sách quần chúng trước",
			"no such candidate; import the candidates first")
		return nil, nil
	case 2:
		p.bad = true
		j.fail(p.r, hNationalID, apperr.CodeConflict, "có nhiều người trùng họ tên, ngày sinh và tổ chức: cần số CCCD",
			"several people share this name, birth date and organization: give the national ID")
		return nil, nil
	}
	return cands[0], nil
}

func sameDate(a *time.Time, b time.Time) bool { return a != nil && a.Equal(b) }

func runOrganizations(ctx context.Context, j *job) error {
	var codes []string
	for _, r := range j.rows {
		codes = append(codes, r.get(hOrgCode), r.get("Mã tổ chức cấp trên"))
	}
	orgs, err := orgsByCode(ctx, j.c, codes)
	if err != nil {
		return err
	}
	inFile := map[string]int{}
	for _, r := range j.rows {
		if code := r.get(hOrgCode); code != "" {
			if first, dup := inFile[code]; dup {
				j.fail(r, hOrgCode, apperr.CodeConflict, fmt.Sprintf("trùng mã với dòng %d", first), fmt.Sprintf("same code as row %d", first))
				continue
			}
			inFile[code] = r.n
		}
	}
	// Parents first: a row waits until the parent it names exists.
	pending := j.rows
	for len(pending) > 0 {
		var next []row
		for _, r := range pending {
			parent := r.get("Mã tổ chức cấp trên")
			if _, known := orgs[parent]; parent != "" && !known && inFile[parent] != 0 && inFile[parent] != r.n {
				next = append(next, r)
				continue
			}
			if err := j.savepoint(ctx, r, func() error { return j.organization(ctx, r, orgs) }); err != nil {
				return err
			}
		}
		if len(next) == len(pending) {
			for _, r := range next {
				j.fail(r, "Mã tổ chức cấp trên", apperr.CodeCycle, "tổ chức cấp trên tạo thành vòng lặp hoặc bị lỗi",
					"the parent forms a cycle or failed to import")
			}
			break
		}
		pending = next
	}
	return nil
}

func (j *job) organization(ctx context.Context, r row, orgs map[string]*gen.Organization) error {
	p := j.parse(r)
	code := p.str(hOrgCode, true, 64)
	name := p.str("Tên tổ chức", true, 255)
	kind := organization.Kind(p.choice("Loại tổ chức", true, orgKinds))
	sector := organization.Sector(p.choice("Khu vực", true, sectors))
	founded := p.date("Ngày thành lập", true)
	dissolved := p.date("Ngày giải thể", false)
	parent := p.org("Mã tổ chức cấp trên", orgs, false)
	if p.bad {
		return nil
	}
	cur, exists := orgs[code]
	if !exists {
		o, err := j.c.Organization.Create().
			SetCode(code).SetName(name).SetKind(kind).SetSector(sector).SetFoundedOn(*founded).
			SetNillableDissolvedOn(dissolved).
			SetNillableParentID(idOf(parent)).
			Save(ctx)
		if err != nil {
			return err
		}
		orgs[code] = o
		j.rep.Created++
		return nil
	}
	u := j.c.Organization.UpdateOneID(cur.ID)
	changed := false
	set := func(differs bool, apply func()) {
		if differs {
			changed = true
			apply()
		}
	}
	set(cur.Name != name, func() { u.SetName(name) })
	set(cur.Kind != kind, func() { u.SetKind(kind) })
	set(cur.Sector != sector, func() { u.SetSector(sector) })
	set(!cur.FoundedOn.Equal(*founded), func() { u.SetFoundedOn(*founded) })
	set(dissolved != nil && !sameDate(cur.DissolvedOn, *dissolved), func() { u.SetDissolvedOn(*dissolved) })
	set(parent != nil && (cur.ParentID == nil || *cur.ParentID != parent.ID), func() { u.SetParentID(parent.ID) })
	if !changed {
		j.rep.Unchanged++
		return nil
	}
	o, err := u.Save(ctx)
	if err != nil {
		return err
	}
	orgs[code] = o
	j.rep.Updated++
	return nil
}

func idOf(o *gen.Organization) *int {
	if o == nil {
		return nil
	}
	return &o.ID
}

func runAnnualPlans(ctx context.Context, j *job) error {
	var codes []string
	for _, r := range j.rows {
		codes = append(codes, r.get(hOrgCode))
	}
	orgs, err := orgsByCode(ctx, j.c, codes)
	if err != nil {
		return err
	}
	seen := map[string]int{}
	for _, r := range j.rows {
		err := j.savepoint(ctx, r, func() error {
			p := j.parse(r)
			o := p.org(hOrgCode, orgs, false)
			year := p.integer("Năm", true, 1930, 2200)
			target := p.integer("Chỉ tiêu kết nạp", true, 0, 1_000_000)
			members := p.integer("Số đảng viên đầu năm", false, 0, 10_000_000)
			if p.bad {
				return nil
			}
			key := fmt.Sprint(o.ID, "/", *year)
			if first, dup := seen[key]; dup {
				j.fail(r, "Năm", apperr.CodeConflict, fmt.Sprintf("trùng với dòng %d", first), fmt.Sprintf("same as row %d", first))
				return nil
			}
			seen[key] = r.n
			cur, err := j.c.AnnualPlan.Query().Where(annualplan.OrganizationID(o.ID), annualplan.Year(*year)).Only(ctx)
			if gen.IsNotFound(err) {
				j.rep.Created++
				return j.c.AnnualPlan.Create().SetOrganizationID(o.ID).SetYear(*year).SetAdmissionTarget(*target).
					SetNillableMembersAtStart(members).Exec(ctx)
			}
			if err != nil {
				return err
			}
			if cur.AdmissionTarget == *target && (members == nil || (cur.MembersAtStart != nil && *cur.MembersAtStart == *members)) {
				j.rep.Unchanged++
				return nil
			}
			j.rep.Updated++
			return j.c.AnnualPlan.UpdateOneID(cur.ID).SetAdmissionTarget(*target).SetNillableMembersAtStart(members).Exec(ctx)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func runEnrollments(ctx context.Context, j *job) error {
	var codes []string
	for _, r := range j.rows {
		codes = append(codes, r.get(hOrgCode), r.get("Mã đơn vị mở lớp"))
	}
	orgs, err := orgsByCode(ctx, j.c, codes)
	if err != nil {
		return err
	}
	for _, r := range j.rows {
		err := j.savepoint(ctx, r, func() error {
			p := j.parse(r)
			name := p.str("Tên lớp", true, 255)
			kind := trainingclass.Kind(p.choice("Loại lớp", true, classKinds))
			organizer := p.org("Mã đơn vị mở lớp", orgs, false)
			starts := p.date("Ngày khai giảng", true)
			ends := p.date("Ngày bế giảng", true)
			passed := p.choice("Kết quả", false, results) == "PASSED"
			certNo := p.str("Số giấy chứng nhận", false, 64)
			certOn := p.date("Ngày cấp giấy chứng nhận", false)
			cand, err := j.person(ctx, p, orgs)
			if err != nil || p.bad {
				return err
			}
			cls, err := j.c.TrainingClass.Query().
				Where(trainingclass.OrganizerID(organizer.ID), trainingclass.Name(name), trainingclass.StartsOn(*starts)).
				First(ctx)
			if gen.IsNotFound(err) {
				cls, err = j.c.TrainingClass.Create().SetName(name).SetKind(kind).SetOrganizerID(organizer.ID).
					SetStartsOn(*starts).SetEndsOn(*ends).Save(ctx)
			}
			if err != nil {
				return err
			}
			cur, err := j.c.Enrollment.Query().Where(enrollment.CandidateID(cand.ID), enrollment.TrainingClassID(cls.ID)).Only(ctx)
			switch {
			case gen.IsNotFound(err):
				j.rep.Created++
				err = j.c.Enrollment.Create().SetCandidateID(cand.ID).SetTrainingClassID(cls.ID).SetPassed(passed).
					SetCertificateNo(certNo).SetNillableCertificateOn(certOn).Exec(ctx)
			case err != nil:
				return err
			case cur.Passed == passed && cur.CertificateNo == certNo && (certOn == nil || sameDate(cur.CertificateOn, *certOn)):
				j.rep.Unchanged++
				return nil
			default:
				j.rep.Updated++
				err = j.c.Enrollment.UpdateOneID(cur.ID).SetPassed(passed).SetCertificateNo(certNo).
					SetNillableCertificateOn(certOn).Exec(ctx)
			}
			if err != nil || !passed || cls.Kind != trainingclass.KindAWARENESS {
				return err
			}
			return workflow.PromoteTrained(ctx, j.c, []int{cand.ID})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// introducer reads the introducer columns n (1 or 2).
func (j *job) introducer(ctx context.Context, p *cells, n int) (workflow.IntroducerInput, error) {
	var in workflow.IntroducerInput
	idHeader := fmt.Sprintf("CCCD người giới thiệu %d", n)
	if nid := p.r.get(idHeader); nid != "" {
		id, err := j.c.Candidate.Query().Where(candidate.NationalID(nid)).OnlyID(ctx)
		if gen.IsNotFound(err) {
			p.bad = true
			j.fail(p.r, idHeader, apperr.CodeNotFound, "không tìm thấy đảng viên có số CCCD này", "no member has this national ID")
			return in, nil
		}
		if err != nil {
			return in, fmt.Errorf("finding introducer: %w", err)
		}
		in.MemberID = &id
		return in, nil
	}
	in.Name = p.str(fmt.Sprintf("Họ tên người giới thiệu %d", n), false, 255)
	in.CardNo = p.str(fmt.Sprintf("Số thẻ đảng viên người giới thiệu %d", n), false, 32)
	return in, nil
}

func runAdmissions(ctx context.Context, j *job) error {
	var codes []string
	for _, r := range j.rows {
		codes = append(codes, r.get(hOrgCode))
	}
	orgs, err := orgsByCode(ctx, j.c, codes)
	if err != nil {
		return err
	}
	for _, r := range j.rows {
		err := j.savepoint(ctx, r, func() error {
			p := j.parse(r)
			in := workflow.AdmitInput{
				ResolutionOn:        p.date("Ngày nghị quyết chi bộ", true),
				DecisionNo:          p.str("Số quyết định kết nạp", true, 64),
				CeremonyDelayReason: p.str("Lý do chậm tổ chức lễ kết nạp", false, 1000),
				AgeException:        p.boolean("Ngoại lệ về tuổi"),
				ExceptionNote:       p.str("Ghi chú ngoại lệ", false, 1000),
			}
			decision, admitted := p.date("Ngày quyết định", true), p.date("Ngày kết nạp", true)
			recognized := p.date("Ngày quyết định công nhận chính thức", false)
			var err error
			if in.FirstIntroducer, err = j.introducer(ctx, p, 1); err != nil {
				return err
			}
			if in.SecondIntroducer, err = j.introducer(ctx, p, 2); err != nil {
				return err
			}
			cand, err := j.person(ctx, p, orgs)
			if err != nil || p.bad {
				return err
			}
			in.CandidateID, in.DecisionOn, in.AdmittedOn = cand.ID, *decision, *admitted
			cur, err := j.c.Admission.Query().Where(admission.CandidateID(cand.ID)).Only(ctx)
			switch {
			case gen.IsNotFound(err):
				a, err := workflow.Admit(ctx, j.c, in)
				if err != nil {
					return err
				}
				j.rep.Created++
				if recognized != nil {
					_, err = workflow.Recognize(ctx, j.c, a.ID, *recognized)
				}
				return err
			case err != nil:
				return err
			}
			changed, err := j.updateAdmission(ctx, cur, in)
			if err != nil {
				return err
			}
			if recognized != nil && cur.Status == admission.StatusPROBATIONARY {
				if _, err := workflow.Recognize(ctx, j.c, cur.ID, *recognized); err != nil {
					return err
				}
				changed = true
			}
			if changed {
				j.rep.Updated++
			} else {
				j.rep.Unchanged++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// updateAdmission brings an existing admission in line with in, reporting
// whether anything changed.
func (j *job) updateAdmission(ctx context.Context, cur *gen.Admission, in workflow.AdmitInput) (bool, error) {
	same := cur.ResolutionOn.Equal(*in.ResolutionOn) && cur.DecisionNo == in.DecisionNo &&
		cur.DecisionOn.Equal(in.DecisionOn) && cur.AdmittedOn.Equal(in.AdmittedOn) &&
		cur.CeremonyDelayReason == in.CeremonyDelayReason && cur.AgeException == in.AgeException &&
		cur.ExceptionNote == in.ExceptionNote &&
		sameIntroducer(cur.FirstIntroducerID, cur.FirstIntroducerName, cur.FirstIntroducerCardNo, in.FirstIntroducer) &&
		sameIntroducer(cur.SecondIntroducerID, cur.SecondIntroducerName, cur.SecondIntroducerCardNo, in.SecondIntroducer)
	if same {
		return false, nil
	}
	u := j.c.Admission.UpdateOneID(cur.ID).
		SetResolutionOn(*in.ResolutionOn).SetDecisionNo(in.DecisionNo).SetDecisionOn(in.DecisionOn).
		SetAdmittedOn(in.AdmittedOn).SetCeremonyDelayReason(in.CeremonyDelayReason).
		SetAgeException(in.AgeException).SetExceptionNote(in.ExceptionNote).
		SetFirstIntroducerName(in.FirstIntroducer.Name).SetFirstIntroducerCardNo(in.FirstIntroducer.CardNo).
		SetSecondIntroducerName(in.SecondIntroducer.Name).SetSecondIntroducerCardNo(in.SecondIntroducer.CardNo)
	if in.FirstIntroducer.MemberID != nil {
		u.SetFirstIntroducerID(*in.FirstIntroducer.MemberID)
	} else {
		u.ClearFirstIntroducerID()
	}
	if in.SecondIntroducer.MemberID != nil {
		u.SetSecondIntroducerID(*in.SecondIntroducer.MemberID)
	} else {
		u.ClearSecondIntroducerID()
	}
	return true, u.Exec(ctx)
}

func sameIntroducer(id *int, name, card string, in workflow.IntroducerInput) bool {
	if in.MemberID != nil || id != nil {
		return in.MemberID != nil && id != nil && *in.MemberID == *id
	}
	return name == in.Name && card == in.CardNo
}
