package viewer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/ent/privacy"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestDataLayer checks the policies without the API: a context without a
// viewer gets nothing, the system everything, a scoped analyst its subtree;
// CheckOrg and Root answer what the statistics need; and a person read by a
// signed-in user without an access log recorder is refused.
func TestDataLayer(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			bg := context.Background()
			sys := viewer.SystemContext(bg)
			tx, err := d.Client.Tx(sys)
			if err != nil {
				t.Fatal(err)
			}
			org := func(code string, parent *int) int {
				o, err := tx.Organization.Create().SetCode(code).SetName(code).SetKind(organization.KindGRASSROOTS_BRANCH).
					SetSector(organization.SectorOTHER).SetFoundedOn(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).
					SetNillableParentID(parent).Save(sys)
				if err != nil {
					t.Fatal(err)
				}
				return o.ID
			}
			root := org("ROOT", nil)
			a, b := org("A", &root), org("B", &root)
			for _, o := range []int{a, b} {
				if _, err := tx.Candidate.Create().SetFullName("Người " + string(rune('A'+o%2))).SetGender(candidate.GenderMALE).
					SetBirthDate(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)).SetOccupation(candidate.OccupationWORKER).
					SetOrganizationID(o).Save(sys); err != nil {
					t.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}

			_, err = d.Client.Organization.Query().All(bg)
			if !errors.Is(err, privacy.Deny) || !viewer.IsDenied(err) {
				t.Fatalf("query without a viewer: %v, want a denial", err)
			}
			if _, err := d.Client.Organization.Create().SetCode("X").SetName("X").SetKind(organization.KindBLOC).
				SetSector(organization.SectorOTHER).SetFoundedOn(time.Now()).Save(bg); !viewer.IsDenied(err) {
				t.Fatalf("create without a viewer: %v", err)
			}
			if n, err := d.Client.Candidate.Query().Count(sys); err != nil || n != 2 {
				t.Fatalf("system sees %d candidates (%v), want 2", n, err)
			}

			analyst := viewer.NewContext(bg, &viewer.Viewer{UserID: 1, Role: viewer.RoleAnalyst, OrgID: a})
			if n, err := d.Client.Candidate.Query().Count(analyst); err != nil || n != 1 {
				t.Fatalf("analyst counts %d candidates (%v), want 1", n, err)
			}
			if _, err := d.Client.Candidate.Query().All(analyst); !errors.Is(err, readlog.ErrNoRecorder) {
				t.Fatalf("person read without a recorder: %v, want ErrNoRecorder", err)
			}
			rec := readlog.NewRecorder(1, "")
			if cs, err := d.Client.Candidate.Query().All(readlog.WithRecorder(analyst, rec)); err != nil || len(cs) != 1 || rec.Len() != 1 {
				t.Fatalf("analyst read %d candidates (%v), noted %d", len(cs), err, rec.Len())
			}

			leader := viewer.NewContext(bg, &viewer.Viewer{UserID: 2, Role: viewer.RoleViewer, OrgID: a})
			for name, tc := range map[string]struct {
				ctx  context.Context
				org  int
				code apperr.Code
			}{
				"admin/any":        {viewer.NewContext(bg, &viewer.Viewer{UserID: 3, Role: viewer.RoleAdmin}), b, ""},
				"analyst/own":      {analyst, a, ""},
				"analyst/sibling":  {analyst, b, apperr.CodeForbidden},
				"analyst/above":    {analyst, root, apperr.CodeForbidden},
				"viewer/own":       {leader, a, ""},
				"viewer/sibling":   {leader, b, apperr.CodeForbidden},
				"anonymous/any":    {bg, a, apperr.CodeUnauthorized},
				"system/any":       {sys, b, ""},
				"analyst/no-such":  {analyst, 1, apperr.CodeForbidden},
				"viewer/above-own": {leader, root, apperr.CodeForbidden},
			} {
				err := viewer.CheckOrg(tc.ctx, d.Client, tc.org)
				var got apperr.Code
				if ae, ok := apperr.As(err); ok {
					got = ae.Code
				} else if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got != tc.code {
					t.Errorf("CheckOrg %s: %q, want %q", name, got, tc.code)
				}
			}
			if r, scoped, err := viewer.Root(leader); err != nil || !scoped || r != a {
				t.Errorf("Root(viewer) = %d %v %v", r, scoped, err)
			}
			if _, scoped, err := viewer.Root(sys); err != nil || scoped {
				t.Errorf("Root(system) scoped=%v %v", scoped, err)
			}
			if _, _, err := viewer.Root(bg); !viewer.IsDenied(err) {
				t.Errorf("Root(anonymous) = %v", err)
			}
		})
	}
}
