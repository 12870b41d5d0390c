package db_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

// TestTextHook checks that every text a write sets is stored in NFC without
// surrounding space, so a name typed in NFD and in NFC is one value, and a
// code that differs only by its form or padding collides with the first.
func TestTextHook(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			d := dbtest.Open(t, dia)
			ctx := viewer.SystemContext(t.Context())
			name := "Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu"
			create := func(code, name string) (*ent.Organization, error) {
				tx, err := d.Client.Tx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				o, err := tx.Organization.Create().SetCode(code).SetName(name).
					SetKind(organization.KindBLOC).SetSector(organization.SectorSTATE_AGENCY).
					SetFoundedOn(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)).Save(ctx)
				if err != nil {
					_ = tx.Rollback()
					return nil, err
				}
				return o, tx.Commit()
			}
			o, err := create(" \u200bBL-KCQ\t", norm.NFD.String(name)+"  ")
			if err != nil {
				t.Fatal(err)
			}
			var code, stored string
			if err := d.SQL.QueryRowContext(ctx, rebind(dia, "SELECT code, name FROM organizations WHERE id = ?"), o.ID).Scan(&code, &stored); err != nil {
				t.Fatal(err)
			}
			if code != "BL-KCQ" || stored != name {
				t.Fatalf("stored %+q / %+q, want %+q / %+q", code, stored, "BL-KCQ", name)
			}
			if n, err := d.Client.Organization.Query().Where(organization.Name(name)).Count(ctx); err != nil || n != 1 {
				t.Fatalf("finding it by its NFC name: %d, %v", n, err)
			}
			if _, err = create("BL-KCQ\u00a0", "Khác"); err == nil {
				t.Fatal("a padded copy of a code was stored: want a uniqueness conflict")
			}
		})
	}
}

// TestNormalizeTextMigration checks the migration that normalises the text
// stored before the hook: rows are rewritten, and values of a unique column
// that become equal are reported by row id (never by value) and left as
// they are.
func TestNormalizeTextMigration(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			d := dbtest.Open(t, dia)
			ctx := context.Background()
			name := "Chi bộ Thạch Thị"
			insert := func(code, name string) int64 {
				t.Helper()
				var id int64
				q := rebind(dia, `INSERT INTO organizations (created_at, updated_at, code, name, kind, sector, depth, founded_on)
					VALUES ('2026-01-01', '2026-01-01', ?, ?, 'BRANCH', 'STATE_AGENCY', 0, '2020-01-01') RETURNING id`)
				if err := d.SQL.QueryRowContext(ctx, q, code, name).Scan(&id); err != nil {
					t.Fatal(err)
				}
				return id
			}
			a := insert("CB-01", norm.NFD.String(name)+" ")
			b := insert(" CB-01", name) // the same code once trimmed
			c := insert("CB-02\u200b", "  Chi bộ khác")
			tx, err := d.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			notes, err := db.NormalizeText(ctx, tx, d.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			get := func(id int64) (string, string) {
				var code, name string
				if err := d.SQL.QueryRowContext(ctx, rebind(dia, "SELECT code, name FROM organizations WHERE id = ?"), id).Scan(&code, &name); err != nil {
					t.Fatal(err)
				}
				return code, name
			}
			if code, n := get(a); code != "CB-01" || n != name {
				t.Errorf("row a: %+q %+q", code, n)
			}
			if code, n := get(b); code != " CB-01" || n != name {
				t.Errorf("row b, a duplicate code once normalised: %+q %+q, want its code left as it was", code, n)
			}
			if code, n := get(c); code != "CB-02" || n != "Chi bộ khác" {
				t.Errorf("row c: %+q %+q", code, n)
			}
			all := strings.Join(notes, "\n")
			if !strings.Contains(all, "organizations.code") || strings.Contains(all, "CB-01") {
				t.Errorf("notes %q: want the duplicate reported by row id, without the value", all)
			}
			// Idempotent: once more changes nothing but reports the duplicate again.
			tx, _ = d.SQL.BeginTx(ctx, nil)
			again, err := db.NormalizeText(ctx, tx, d.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			_ = tx.Commit()
			if !strings.Contains(again[0], ": 0 rows rewritten") {
				t.Errorf("second run: %q", again)
			}
		})
	}
}

// rebind writes q's ? placeholders as $n on PostgreSQL.
func rebind(dia, q string) string {
	if dia != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
