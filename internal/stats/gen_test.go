package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/trainingclass"
	"ketnap/internal/access/viewer"
	"ketnap/internal/workflow"
)

// genConfig sizes a random dataset.
type genConfig struct {
	roots, maxDepth, maxChildren int
	candidates, classes, plans   int
}

var smallGen = genConfig{roots: 2, maxDepth: 4, maxChildren: 4, candidates: 160, classes: 20, plans: 60}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// randDate returns a day in [from, to].
func randDate(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from)/(24*time.Hour)) + 1
	return from.AddDate(0, 0, r.IntN(days))
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

var (
	genStart, genEnd = date(2014, 1, 1), date(2022, 12, 31)
	sectors          = []organization.Sector{organization.SectorPARTY_AGENCY, organization.SectorSTATE_AGENCY, organization.SectorPUBLIC_SERVICE, organization.SectorSTATE_ENTERPRISE, organization.SectorNON_STATE_ENTERPRISE, organization.SectorARMED_FORCES, organization.SectorCOMMUNE, organization.SectorOTHER}
	occupations      = []candidate.Occupation{candidate.OccupationCIVIL_SERVANT, candidate.OccupationPUBLIC_EMPLOYEE, candidate.OccupationSOE_EMPLOYEE, candidate.OccupationWORKER, candidate.OccupationFARMER, candidate.OccupationARMED_FORCES, candidate.OccupationSTUDENT, candidate.OccupationBUSINESS_OWNER, candidate.OccupationOTHER}
	levels           = []candidate.ProfessionalLevel{candidate.ProfessionalLevelNONE, candidate.ProfessionalLevelINTERMEDIATE, candidate.ProfessionalLevelCOLLEGE, candidate.ProfessionalLevelUNIVERSITY, candidate.ProfessionalLevelMASTER, candidate.ProfessionalLevelDOCTOR}
	theories         = []candidate.PoliticalTheoryLevel{candidate.PoliticalTheoryLevelNONE, candidate.PoliticalTheoryLevelELEMENTARY, candidate.PoliticalTheoryLevelINTERMEDIATE, candidate.PoliticalTheoryLevelADVANCED}
	educations       = []candidate.GeneralEducation{candidate.GeneralEducationPRIMARY, candidate.GeneralEducationLOWER_SECONDARY, candidate.GeneralEducationUPPER_SECONDARY}
	candStatuses     = []candidate.Status{candidate.StatusSOURCE, candidate.StatusTRAINED, candidate.StatusAPPLIED, candidate.StatusADMITTED, candidate.StatusWITHDRAWN, candidate.StatusREJECTED}
	admStatuses      = []admission.Status{admission.StatusPROBATIONARY, admission.StatusFULL, admission.StatusNOT_RECOGNIZED, admission.StatusLEFT}
)

// generate fills the database with a random tree (depth 1 to cfg.maxDepth)
// and random candidates, admissions, discipline, classes, enrollments and
// plans, through ent's builders in one transaction, so the hooks run.
func generate(t testing.TB, client *ent.Client, seed uint64, cfg genConfig) {
	t.Helper()
	ctx := fixtureCtx()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	tx, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := fill(ctx, tx.Client(), r, cfg); err != nil {
		_ = tx.Rollback()
		t.Fatalf("generating dataset %d: %v", seed, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func fill(ctx context.Context, c *ent.Client, r *rand.Rand, cfg genConfig) error {
	var orgs []*ent.Organization
	n := 0
	var grow func(parent *ent.Organization, depth, maxDepth int) error
	grow = func(parent *ent.Organization, depth, maxDepth int) error {
		n++
		kind := organization.KindBLOC
		switch {
		case depth == 1:
			kind = pick(r, organization.KindGRASSROOTS_COMMITTEE, organization.KindGRASSROOTS_BRANCH)
		case depth >= 2:
			kind = pick(r, organization.KindBRANCH, organization.KindSUB_COMMITTEE, organization.KindGRASSROOTS_BRANCH)
		}
		founded := randDate(r, date(2000, 1, 1), date(2021, 12, 31))
		b := c.Organization.Create().
			SetCode(fmt.Sprintf("O%03d", r.IntN(1000)) + fmt.Sprintf("-%d", n)).
			SetName(fmt.Sprintf("Tổ chức %d", n)).
			SetKind(kind).
			SetSector(pick(r, sectors...)).
			SetFoundedOn(founded)
		if r.IntN(8) == 0 {
			b.SetDissolvedOn(randDate(r, founded, date(2023, 6, 30)))
		}
		if parent != nil {
			b.SetParentID(parent.ID)
		}
		o, err := b.Save(ctx)
		if err != nil {
			return err
		}
		orgs = append(orgs, o)
		if depth+1 >= maxDepth {
			return nil
		}
		for i := r.IntN(cfg.maxChildren + 1); i > 0; i-- {
			if err := grow(o, depth+1, maxDepth); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < cfg.roots; i++ {
		if err := grow(nil, 0, 1+r.IntN(cfg.maxDepth)); err != nil {
			return err
		}
	}
	var cands []*ent.Candidate
	for i := 0; i < cfg.candidates; i++ {
		b := c.Candidate.Create().
			SetFullName(fmt.Sprintf("Người %d", i)).
			SetGender(pick(r, candidate.GenderMALE, candidate.GenderFEMALE)).
			SetBirthDate(randDate(r, date(1950, 1, 1), date(2003, 12, 31))).
			SetEthnicity(pick(r, "Kinh", "Kinh", "Kinh", "Khmer", "Hoa", "Tày")).
			SetGeneralEducation(pick(r, educations...)).
			SetProfessionalLevel(pick(r, levels...)).
			SetPoliticalTheoryLevel(pick(r, theories...)).
			SetOccupation(pick(r, occupations...)).
			SetYouthUnionMember(r.IntN(2) == 0).
			SetOrganizationID(pick(r, orgs...).ID).
			SetStatus(pick(r, candStatuses...)).
			SetCreatedAt(randDate(r, genStart, genEnd).Add(time.Duration(r.IntN(86400)) * time.Second))
		if rel := pick(r, "", "", "-", "Phật giáo", "Công giáo"); rel != "-" {
			b.SetReligion(rel)
		}
		// Feb 29 birthdays exercise the age rule.
		if r.IntN(20) == 0 {
			b.SetBirthDate(date(1980+4*r.IntN(5), 2, 29))
		}
		cd, err := b.Save(ctx)
		if err != nil {
			return err
		}
		cands = append(cands, cd)
	}
	for i, cd := range cands {
		if r.IntN(10) >= 6 {
			continue
		}
		on := randDate(r, genStart, genEnd)
		a, err := c.Admission.Create().
			SetCandidateID(cd.ID).
			SetOrganizationID(pick(r, orgs...).ID).
			SetResolutionOn(on.AddDate(0, 0, -40)).
			SetDecisionNo(fmt.Sprintf("%d-QĐ/ĐU", i)).
			SetDecisionOn(on.AddDate(0, 0, -10)).
			SetAdmittedOn(on).
			SetStatus(pick(r, admStatuses...)).
			Save(ctx)
		if err != nil {
			return err
		}
		for k := r.IntN(12) - 9; k > 0; k-- {
			if err := c.DisciplinaryAction.Create().SetAdmissionID(a.ID).
				SetLevel(pick(r, disciplinaryaction.LevelREPRIMAND, disciplinaryaction.LevelWARNING)).
				SetDecidedOn(on.AddDate(0, 6, 0)).Exec(ctx); err != nil {
				return err
			}
		}
	}
	for i := 0; i < cfg.classes; i++ {
		start := randDate(r, genStart, genEnd)
		cl, err := c.TrainingClass.Create().
			SetName(fmt.Sprintf("Lớp %d", i)).
			SetKind(pick(r, trainingclass.KindAWARENESS, trainingclass.KindAWARENESS, trainingclass.KindNEW_MEMBER)).
			SetOrganizerID(pick(r, orgs...).ID).
			SetStartsOn(start).
			SetEndsOn(start.AddDate(0, 0, 5)).
			Save(ctx)
		if err != nil {
			return err
		}
		for _, cd := range cands {
			if r.IntN(25) != 0 {
				continue
			}
			b := c.Enrollment.Create().SetCandidateID(cd.ID).SetTrainingClassID(cl.ID).SetPassed(r.IntN(4) != 0)
			if r.IntN(5) != 0 {
				b.SetCertificateOn(start.AddDate(0, 0, 5+r.IntN(30)))
			}
			if err := b.Exec(ctx); err != nil {
				return err
			}
		}
	}
	seen := map[[2]int]bool{}
	for i := 0; i < cfg.plans; i++ {
		o, y := pick(r, orgs...), 2014+r.IntN(9)
		if seen[[2]int{o.ID, y}] {
			continue
		}
		seen[[2]int{o.ID, y}] = true
		b := c.AnnualPlan.Create().SetOrganizationID(o.ID).SetYear(y).SetAdmissionTarget(r.IntN(40))
		if r.IntN(3) != 0 {
			b.SetMembersAtStart(r.IntN(500))
		}
		if err := b.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// fixtureCtx is the context test fixtures write and read under: the
// workflow's rules are off, since fixtures write finished histories at once.
func fixtureCtx() context.Context {
	return viewer.SystemContext(workflow.WithoutRules(context.Background()))
}

// restructure applies n random changes of the tree at increasing random
// dates in [genStart, genEnd] through the workflow's operations, each in its
// own transaction: moves, merges, splits, renames and dissolutions. A change
// the rules refuse (a dissolved parent, a date before a founding) is rolled
// back and skipped.
func restructure(t testing.TB, client *ent.Client, r *rand.Rand, n int) {
	t.Helper()
	ctx := fixtureCtx()
	day := genStart
	span := int(genEnd.Sub(genStart)/(24*time.Hour)) / (n + 1)
	applied := 0
	for i := range n {
		day = day.AddDate(0, 0, 1+r.IntN(2*span))
		if day.After(genEnd) {
			break
		}
		tx, err := client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := tx.Client()
		live := c.Organization.Query().Where(organization.DissolvedOnIsNil()).IDsX(ctx)
		if len(live) < 2 {
			_ = tx.Rollback()
			break
		}
		x := pick(r, live...)
		outside := func(id int) []int {
			below := map[int]bool{}
			for _, d := range c.OrganizationClosure.Query().Where(organizationclosure.OrganizationID(id)).
				Select(organizationclosure.FieldDescendantID).IntsX(ctx) {
				below[d] = true
			}
			var out []int
			for _, o := range live {
				if !below[o] {
					out = append(out, o)
				}
			}
			return out
		}
		switch op := r.IntN(5); op {
		case 0, 1: // move
			var parent *int
			if ps := outside(x); len(ps) > 0 && r.IntN(6) > 0 {
				p := pick(r, ps...)
				parent = &p
			}
			_, err = workflow.Move(ctx, c, x, parent, day)
		case 2: // merge
			if ps := outside(x); len(ps) > 0 {
				_, err = workflow.Merge(ctx, c, x, pick(r, ps...), day)
			}
		case 3: // split in two: a new part takes the children, the other is new and empty
			o := c.Organization.GetX(ctx, x)
			var parts []int
			for k := range 2 {
				b := c.Organization.Create().SetCode(fmt.Sprintf("%s-S%d-%d", o.Code, i, k)).SetName(o.Name + " (tách)").
					SetKind(o.Kind).SetSector(o.Sector).SetFoundedOn(day).SetNillableParentID(o.ParentID)
				part, cerr := b.Save(ctx)
				if cerr != nil {
					err = cerr
					break
				}
				parts = append(parts, part.ID)
			}
			if err == nil {
				for _, child := range c.Organization.Query().Where(organization.ParentID(x)).IDsX(ctx) {
					if _, err = workflow.Move(ctx, c, child, &parts[0], day); err != nil {
						break
					}
				}
			}
			if err == nil {
				_, err = workflow.Split(ctx, c, x, parts, day)
			}
		default: // rename, or dissolve a leaf
			if r.IntN(2) == 0 && !c.Organization.Query().Where(organization.ParentID(x), organization.DissolvedOnIsNil()).ExistX(ctx) {
				_, err = workflow.Dissolve(ctx, c, x, day)
			} else {
				_, err = workflow.Rename(ctx, c, x, fmt.Sprintf("Tổ chức đổi tên %d", i), day)
			}
		}
		if err != nil {
			t.Logf("restructuring %d skipped: %v", i, err)
			_ = tx.Rollback()
			continue
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		applied++
	}
	if applied == 0 && client.Organization.Query().CountX(ctx) > 3 {
		t.Fatal("no restructuring applied")
	}
}
