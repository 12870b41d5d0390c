package server_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"ketnap/ent/user"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/auth"
)

// TestNoAdminLockout checks issue 12, item 10: wrong passwords from one
// address neither block the right one from another address nor go
// unrecorded; they are slowed down, more and more.
func TestNoAdminLockout(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		var mu sync.Mutex
		var waits []time.Duration
		svc := auth.NewService(c.DB.Client, slog.New(slog.NewTextHandler(io.Discard, nil)),
			auth.WithSleep(func(_ context.Context, d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }))
		ctx := viewer.SystemContext(context.Background())
		const pw = "mật-khẩu-quản-trị-2026"
		u, err := svc.CreateUser(ctx, c.DB.Client, auth.NewUser{Username: "quantri", Password: pw, Role: user.RoleADMIN})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			_, _, err := svc.Login(ctx, c.DB.Client, "quantri", "đoán-mò", "203.0.113.9")
			ae, _ := apperr.As(err)
			if ae == nil || (ae.Code != apperr.CodeUnauthorized && ae.Code != auth.CodeRateLimited) {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if _, _, err := svc.Login(ctx, c.DB.Client, "quantri", pw, "203.0.113.9"); err == nil {
			t.Error("the attacker's address is not limited")
		}
		if _, _, err := svc.Login(ctx, c.DB.Client, "quantri", pw, "198.51.100.7"); err != nil {
			t.Fatalf("the admin is locked out from another address: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(waits) < 2 || waits[len(waits)-1] <= waits[0] {
			t.Errorf("failed attempts are not slowed down more and more: %v", waits)
		}
		got, err := c.DB.Client.User.Get(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FailedLogins != 0 {
			t.Errorf("failed logins not reset by the successful sign-in: %d", got.FailedLogins)
		}
	})
}

// TestFailedLoginsRecorded checks that an admin sees failed sign-ins.
func TestFailedLoginsRecorded(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		anon := c.Anonymous()
		for range 2 {
			_ = anon.Do(`mutation($u: String!) { login(username: $u, password: "sai-mật-khẩu") { token } }`, map[string]any{"u": c.Username}, nil)
		}
		var out struct {
			Users struct {
				Edges []struct {
					Node struct {
						Username          string  `json:"username"`
						FailedLogins      int     `json:"failedLogins"`
						LastFailedLoginAt *string `json:"lastFailedLoginAt"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"users"`
		}
		c.MustDo(`{ users(first: 10) { edges { node { username failedLogins lastFailedLoginAt } } } }`, nil, &out)
		for _, e := range out.Users.Edges {
			if e.Node.Username == c.Username {
				if e.Node.FailedLogins != 2 || e.Node.LastFailedLoginAt == nil {
					t.Fatalf("recorded %+v, want 2 failed logins", e.Node)
				}
				return
			}
		}
		t.Fatal("admin not listed")
	})
}
