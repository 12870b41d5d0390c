package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"ketnap/ent"
	"ketnap/ent/token"
	"ketnap/ent/user"
	"ketnap/internal/access/viewer"
	"ketnap/internal/auth"
	"ketnap/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestVerifiedTokens checks the memory of verified tokens: a second request
// costs no statement; a revocation, a disabled user or a new password made
// through the service ends the token at once, also when a lookup raced the
// change's transaction; a change made elsewhere (another process, SQL)
// within VerifiedTTL; an expired token never passes.
func TestVerifiedTokens(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			d := dbtest.Open(t, dia)
			var n atomic.Int64
			counted := ent.NewClient(ent.Driver(dialect.DebugWithContext(d.Driver, func(context.Context, ...any) { n.Add(1) })))
			now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
			p := auth.DefaultParams()
			p.Memory, p.Time = 1024, 1
			svc := auth.NewService(counted, slog.New(slog.NewTextHandler(io.Discard, nil)),
				auth.WithParams(p), auth.WithClock(func() time.Time { return now }))
			sys := viewer.SystemContext(t.Context())
			u, err := svc.CreateUser(sys, d.Client, auth.NewUser{Username: "quan.tri", Password: "mật-khẩu-đủ-dài-2026", Role: user.RoleADMIN})
			if err != nil {
				t.Fatal(err)
			}
			issue := func(ttl time.Duration) string {
				t.Helper()
				plain, _, err := svc.Issue(sys, d.Client, u.ID, token.KindSESSION, "", now.Add(ttl))
				if err != nil {
					t.Fatal(err)
				}
				return plain
			}
			cost := func(bearer string) (int64, error) {
				before := n.Load()
				_, err := svc.Authenticate(t.Context(), bearer)
				return n.Load() - before, err
			}

			a := issue(time.Hour)
			if k, err := cost(a); err != nil || k == 0 {
				t.Fatalf("first request: %d statements, %v; want a lookup", k, err)
			}
			if k, err := cost(a); err != nil || k != 0 {
				t.Fatalf("second request: %d statements, %v; want none", k, err)
			}

			// Revoked through the service, in a transaction, while another
			// request looks the token up before the commit.
			tx, err := d.Client.Tx(sys)
			if err != nil {
				t.Fatal(err)
			}
			txCtx := ent.NewTxContext(sys, tx)
			v, err := svc.Authenticate(t.Context(), a)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Revoke(txCtx, tx.Client(), v.TokenID); err != nil {
				t.Fatal(err)
			}
			if dia == "postgres" {
				// PostgreSQL lets the racing lookup read the row as it was.
				if _, err := svc.Authenticate(t.Context(), a); err != nil {
					t.Fatalf("a lookup before the commit: %v, want the token as it was", err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if _, err := cost(a); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("after the revocation committed: %v, want ErrInvalidToken", err)
			}

			// Revoked elsewhere: trusted from memory until VerifiedTTL.
			b := issue(time.Hour)
			if _, err := cost(b); err != nil {
				t.Fatal(err)
			}
			if _, err := d.SQL.ExecContext(t.Context(), `UPDATE tokens SET revoked_at = created_at`); err != nil {
				t.Fatal(err)
			}
			if _, err := cost(b); err != nil {
				t.Fatalf("within VerifiedTTL of a change made elsewhere: %v, want the kept viewer", err)
			}
			now = now.Add(auth.VerifiedTTL)
			if _, err := cost(b); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("VerifiedTTL after a change made elsewhere: %v, want ErrInvalidToken", err)
			}

			// Expiry is the token's own, whatever is kept.
			c := issue(2 * time.Second)
			if _, err := cost(c); err != nil {
				t.Fatal(err)
			}
			now = now.Add(2 * time.Second)
			if _, err := cost(c); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("an expired token: %v, want ErrInvalidToken", err)
			}

			// A disabled user and a new password end the tokens at once.
			for _, change := range []func(ctx context.Context) error{
				func(ctx context.Context) error {
					_, err := svc.SetPassword(ctx, d.Client, u.ID, "mật-khẩu-mới-đủ-dài-2026")
					return err
				},
				func(ctx context.Context) error { _, err := svc.DisableUser(ctx, d.Client, u.ID); return err },
			} {
				e := issue(time.Hour)
				if _, err := cost(e); err != nil {
					t.Fatal(err)
				}
				if err := change(sys); err != nil {
					t.Fatal(err)
				}
				if _, err := cost(e); !errors.Is(err, auth.ErrInvalidToken) {
					t.Fatalf("after the change: %v, want ErrInvalidToken", err)
				}
			}
		})
	}
}
