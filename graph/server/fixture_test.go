package server_test

import (
	"context"
	"testing"
	"time"

	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/organization"
	"ketnap/ent/trainingclass"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/workflow"
)

// fixture is a small tree: ROOT (a bloc) with grassroots A (and its branch
// A1) and grassroots B. Analysts and viewers in the tests are scoped to A;
// everything under B is out of their scope.
type fixture struct {
	root, a, a1, b         int
	ca, cb                 int // candidates followed by A1 and B
	aa, ab                 int // their admissions
	classR, classA, classB int // classes held by ROOT, A and B
	ea, eb                 int // enrollments of ca in classR, cb in classB
	pa, pb                 int // annual plans of A and B
	da, db                 int // disciplinary actions on aa and ab
	leaf                   map[string]int
}

// Personal values of the fixture's candidates, which must never reach a VIEWER.
const (
	nameA   = "Nguyễn Thị Hoa"
	nameB   = "Trần Văn Bình"
	ethnicB = "Khmer"
	faithB  = "Phật giáo Hòa Hảo"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func buildFixture(t *testing.T, c *gqltest.Client) *fixture {
	t.Helper()
	ctx := viewer.SystemContext(workflow.WithoutRules(context.Background()))
	tx, err := c.DB.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	cl := tx.Client()
	must := func(id int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatalf("building fixture: %v", err)
		}
		return id
	}
	org := func(code string, kind organization.Kind, parent *int) int {
		o, err := cl.Organization.Create().SetCode(code).SetName("Tổ chức " + code).SetKind(kind).
			SetSector(organization.SectorSTATE_AGENCY).SetFoundedOn(day(2000, 1, 1)).SetNillableParentID(parent).Save(ctx)
		if err != nil {
			return must(0, err)
		}
		return o.ID
	}
	f := &fixture{leaf: map[string]int{}}
	f.root = org("ROOT", organization.KindBLOC, nil)
	f.a = org("A", organization.KindGRASSROOTS_COMMITTEE, &f.root)
	f.a1 = org("A1", organization.KindBRANCH, &f.a)
	f.b = org("B", organization.KindGRASSROOTS_COMMITTEE, &f.root)
	for _, role := range roles {
		f.leaf[role] = org("LEAF-"+role, organization.KindBRANCH, &f.a1)
	}
	person := func(name string, orgID int, ethnicity, religion string) int {
		p, err := cl.Candidate.Create().SetFullName(name).SetGender(candidate.GenderFEMALE).
			SetBirthDate(day(1995, 5, 1)).SetOccupation(candidate.OccupationCIVIL_SERVANT).
			SetEthnicity(ethnicity).SetReligion(religion).SetOrganizationID(orgID).Save(ctx)
		if err != nil {
			return must(0, err)
		}
		return p.ID
	}
	f.ca = person(nameA, f.a1, "Kinh", "")
	f.cb = person(nameB, f.b, ethnicB, faithB)
	admit := func(cand, orgID int) int {
		a, err := cl.Admission.Create().SetCandidateID(cand).SetOrganizationID(orgID).
			SetResolutionOn(day(2024, 1, 10)).SetDecisionNo("12-QĐ/ĐU").SetDecisionOn(day(2024, 2, 1)).
			SetAdmittedOn(day(2024, 2, 20)).Save(ctx)
		if err != nil {
			return must(0, err)
		}
		return a.ID
	}
	f.aa = admit(f.ca, f.a1)
	f.ab = admit(f.cb, f.b)
	class := func(name string, orgID int) int {
		k, err := cl.TrainingClass.Create().SetName(name).SetKind(trainingclass.KindAWARENESS).
			SetOrganizerID(orgID).SetStartsOn(day(2023, 3, 1)).SetEndsOn(day(2023, 3, 5)).Save(ctx)
		if err != nil {
			return must(0, err)
		}
		return k.ID
	}
	f.classR, f.classA, f.classB = class("Lớp khối", f.root), class("Lớp A", f.a), class("Lớp B", f.b)
	f.ea = check(cl.Enrollment.Create().SetCandidateID(f.ca).SetTrainingClassID(f.classR).SetPassed(true).Save(ctx))(t).ID
	f.eb = check(cl.Enrollment.Create().SetCandidateID(f.cb).SetTrainingClassID(f.classB).SetPassed(true).Save(ctx))(t).ID
	f.pa = check(cl.AnnualPlan.Create().SetOrganizationID(f.a).SetYear(2024).SetAdmissionTarget(10).Save(ctx))(t).ID
	f.pb = check(cl.AnnualPlan.Create().SetOrganizationID(f.b).SetYear(2024).SetAdmissionTarget(10).Save(ctx))(t).ID
	f.da = check(cl.DisciplinaryAction.Create().SetAdmissionID(f.aa).SetLevel(disciplinaryaction.LevelREPRIMAND).SetDecidedOn(day(2025, 1, 1)).Save(ctx))(t).ID
	f.db = check(cl.DisciplinaryAction.Create().SetAdmissionID(f.ab).SetLevel(disciplinaryaction.LevelWARNING).SetDecidedOn(day(2025, 1, 1)).Save(ctx))(t).ID
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return f
}

// check returns v, failing the test on err.
func check[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("building fixture: %v", err)
		}
		return v
	}
}
