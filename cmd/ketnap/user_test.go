package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

// TestUserCommands runs ketnap user add, list, passwd and disable.
func TestUserCommands(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbtest.DSN(t, dialect)
			ctx := context.Background()
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			sys := viewer.SystemContext(ctx)
			tx, err := d.Client.Tx(sys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Organization.Create().SetCode("BL-KCQ").SetName("Đảng bộ Khối").SetKind(organization.KindBLOC).
				SetSector(organization.SectorPARTY_AGENCY).SetFoundedOn(day()).Save(sys); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			runCmd := func(stdin string, args ...string) (string, error) {
				var out bytes.Buffer
				e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: io.Discard,
					getenv: func(string) string { return "" }, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
				err := run(ctx, append(args, "--db", dsn), e)
				return out.String(), err
			}
			if _, err := runCmd("mật khẩu quản trị\n", "user", "add", "--username", "Admin", "--role", "admin", "--password-stdin"); err != nil {
				t.Fatal(err)
			}
			if _, err := runCmd("mật khẩu lãnh đạo\n", "user", "add", "--username", "lanhdao", "--role", "VIEWER", "--org", "BL-KCQ", "--password-stdin"); err != nil {
				t.Fatal(err)
			}
			for _, bad := range [][]string{
				{"user", "add", "--username", "x", "--role", "VIEWER", "--password-stdin"},                  // no organization
				{"user", "add", "--username", "y", "--role", "BOSS", "--org", "BL-KCQ", "--password-stdin"}, // no such role
				{"user", "add", "--username", "z", "--role", "VIEWER", "--org", "NOPE", "--password-stdin"}, // no such organization
				{"user", "add", "--username", "admin", "--role", "ADMIN", "--password-stdin"},               // taken
				{"user", "add", "--username", "w", "--role", "ADMIN"},                                       // no terminal
				{"user", "passwd", "--username", "nobody", "--password-stdin"},                              // no such user
			} {
				if _, err := runCmd("mật khẩu đủ dài\n", bad...); err == nil {
					t.Errorf("%v succeeded", bad)
				}
			}
			if _, err := runCmd("ngắn\n", "user", "passwd", "--username", "lanhdao", "--password-stdin"); err == nil {
				t.Error("a short password was accepted")
			}
			if _, err := runCmd("mật khẩu mới của lãnh đạo\n", "user", "passwd", "--username", "lanhdao", "--password-stdin"); err != nil {
				t.Fatal(err)
			}
			if _, err := runCmd("", "user", "disable", "--username", "lanhdao"); err != nil {
				t.Fatal(err)
			}
			out, err := runCmd("", "user", "list")
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, line := range strings.Split(out, "\n") {
				rows = append(rows, strings.Join(strings.Fields(line), " "))
			}
			flat := strings.Join(rows, "\n")
			for _, want := range []string{"admin ADMIN - active", "lanhdao VIEWER BL-KCQ disabled"} {
				if !strings.Contains(flat, want) {
					t.Errorf("user list lacks %q:\n%s", want, out)
				}
			}
			// The new password works, through the same check login uses.
			u, err := d.Client.User.Query().All(sys)
			if err != nil || len(u) != 2 {
				t.Fatalf("users %v %v", u, err)
			}
			for _, x := range u {
				if x.Username == "lanhdao" && !auth.VerifyPassword(x.PasswordHash, "mật khẩu mới của lãnh đạo") {
					t.Error("passwd did not set the password")
				}
			}
		})
	}
}

func day() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }
