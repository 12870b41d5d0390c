// Package auth signs users in and out: argon2id passwords, random bearer
// tokens stored as SHA-256 hashes, session and API token lifetimes, login
// rate limits, and the HTTP middleware that turns a bearer token into the
// viewer the data layer's privacy policies (internal/access/rule) decide on.
//
// A client (the dashboard, a script) signs in with
//
//	mutation { login(username: "…", password: "…") { token expiresAt user { username role } } }
//
// keeps the token in memory or sessionStorage (never a cookie: the API
// takes no cookies, so it needs no CSRF defence), sends it on every request
// as "Authorization: Bearer <token>", asks { me { username role organization
// { id code name } } } for the scope, and ends the session with
// mutation { logout }. Without a valid token every operation but login
// answers UNAUTHENTICATED; a wrong password or unknown user answers
// UNAUTHENTICATED with one message; too many attempts answer RATE_LIMITED.
// A session lasts SessionTTL; then the client must sign in again.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/ent/token"
	"ketnap/ent/user"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
)

// Lifetimes of tokens.
const (
	// SessionTTL is how long a sign-in lasts: a working day.
	SessionTTL = 12 * time.Hour
	// MaxAPITokenTTL bounds an API token's life; scripts renew yearly.
	MaxAPITokenTTL = 366 * 24 * time.Hour
	// touchEvery throttles last_used_at writes to one a minute a token.
	touchEvery = time.Minute
)

// Login rate limits, a minute: per (username, address) pair and per
// address. A username alone is never blocked, so that nobody can lock an
// account out from elsewhere; its failed attempts are slowed down instead
// (see SlowDown).
const (
	UserAttemptsPerMinute = 5
	AddrAttemptsPerMinute = 20
)

// Delays of a username's failed attempts: from the third failure in a row
// each attempt waits SlowDownBase, doubling, up to SlowDownMax.
const (
	slowDownAfter = 3
	SlowDownBase  = 250 * time.Millisecond
	SlowDownMax   = 4 * time.Second
)

// CodeRateLimited is the error code of a refused login attempt.
const CodeRateLimited apperr.Code = "RATE_LIMITED"

// ErrBadCredentials is the one error of a failed login, whether the user is
// unknown, disabled or the password wrong: it tells an attacker nothing.
var ErrBadCredentials = apperr.New(apperr.CodeUnauthorized, "",
	"tên đăng nhập hoặc mật khẩu không đúng", "wrong username or password")

// ErrRateLimited refuses a login attempt over the limits.
var ErrRateLimited = apperr.New(CodeRateLimited, "",
	"đăng nhập sai quá nhiều lần, vui lòng thử lại sau ít phút", "too many login attempts, please try again in a few minutes")

// Service signs users in and authenticates their requests.
type Service struct {
	client    *ent.Client
	log       *slog.Logger
	params    Params
	dummyOnce sync.Once
	dummyHash string
	pairLimit *Limiter
	addrLimit *Limiter
	now       func() time.Time
	sleep     func(context.Context, time.Duration)

	failMu   sync.Mutex
	failures map[string]int // failed attempts in a row, by username

	// verified keeps recently verified tokens' viewers (VerifiedTTL).
	verified *verifiedTokens
}

// WithSleep replaces the wait of a slowed-down attempt, for tests.
func WithSleep(sleep func(context.Context, time.Duration)) Option {
	return func(s *Service) { s.sleep = sleep }
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// SlowDown returns the wait before an attempt on username after n failed
// attempts in a row.
func SlowDown(n int) time.Duration {
	if n < slowDownAfter {
		return 0
	}
	d := SlowDownBase << min(n-slowDownAfter, 10)
	return min(d, SlowDownMax)
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock, for tests of expiry and rate limits.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithVerifiedTTL sets how long a verified token is trusted from memory;
// 0 asks the database on every request.
func WithVerifiedTTL(d time.Duration) Option {
	return func(s *Service) { s.verified = newVerifiedTokens(d) }
}

// WithParams sets the argon2id parameters of new hashes.
func WithParams(p Params) Option { return func(s *Service) { s.params = p } }

// NewService returns a Service over client.
func NewService(client *ent.Client, log *slog.Logger, opts ...Option) *Service {
	s := &Service{
		client:    client,
		log:       log,
		params:    DefaultParams(),
		pairLimit: NewLimiter(UserAttemptsPerMinute),
		addrLimit: NewLimiter(AddrAttemptsPerMinute),
		now:       time.Now,
		sleep:     sleepCtx,
		failures:  map[string]int{},
		verified:  newVerifiedTokens(VerifiedTTL),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// burnDummy verifies pw against a hash of the service's parameters, so a
// login for an unknown name costs as much as one for a real user.
func (s *Service) burnDummy(pw string) {
	s.dummyOnce.Do(func() {
		h, err := HashPassword("ketnap-dummy-password", s.params)
		if err != nil {
			s.log.Error("hashing the dummy password", "error", err)
		}
		s.dummyHash = h
	})
	VerifyPassword(s.dummyHash, pw)
}

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.now() }

// ErrInvalidToken reports a bearer token that is malformed, unknown, expired,
// revoked, or whose user is disabled.
var ErrInvalidToken = errors.New("invalid token")

// Authenticate returns the viewer of a bearer token.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*viewer.Viewer, error) {
	hash, ok := hashToken(bearer)
	if !ok {
		return nil, ErrInvalidToken
	}
	now := s.now()
	if v, ok := s.verified.get(hash, now); ok {
		return v, nil
	}
	gen := s.verified.gen.Load()
	sys := viewer.SystemContext(ctx)
	t, err := s.client.Token.Query().
		Where(token.TokenHash(hash), token.RevokedAtIsNil(), token.ExpiresAtGT(now),
			token.HasUserWith(user.Disabled(false))).
		WithUser().
		Only(sys)
	if ent.IsNotFound(err) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("looking up token: %w", err)
	}
	u := t.Edges.User
	v := &viewer.Viewer{UserID: u.ID, Username: u.Username, Role: viewer.Role(u.Role), TokenID: t.ID}
	if v.Role != viewer.RoleAdmin {
		if u.OrganizationID == nil {
			return nil, ErrInvalidToken
		}
		v.OrgID = *u.OrganizationID
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := s.client.Token.UpdateOneID(t.ID).SetLastUsedAt(now).Exec(sys); err != nil {
			s.log.WarnContext(ctx, "recording token use", "error", err)
		}
	}
	s.verified.put(hash, v, t.ExpiresAt, now, gen)
	return v, nil
}

// Login checks a username and password and opens a session, within the
// limits on attempts per username and per address. c is the client of the
// caller's transaction.
func (s *Service) Login(ctx context.Context, c *ent.Client, username, password, addr string) (plain string, t *ent.Token, err error) {
	name := NormalizeUsername(username)
	now := s.now()
	// Both limits are spent on every attempt, so neither can be probed
	// without spending the other.
	pairOK := s.pairLimit.Allow(name+"\x00"+addr, now)
	addrOK := s.addrLimit.Allow(addr, now)
	if !pairOK || !addrOK {
		return "", nil, ErrRateLimited
	}
	s.failMu.Lock()
	wait := SlowDown(s.failures[name])
	s.failMu.Unlock()
	if wait > 0 {
		s.sleep(ctx, wait)
	}
	sys := viewer.SystemContext(ctx)
	u, err := c.User.Query().Where(user.Username(name)).Only(sys)
	switch {
	case ent.IsNotFound(err):
		s.burnDummy(password)
		s.failed(ctx, name, 0)
		return "", nil, ErrBadCredentials
	case err != nil:
		return "", nil, fmt.Errorf("looking up user: %w", err)
	}
	if !VerifyPassword(u.PasswordHash, password) || u.Disabled {
		s.failed(ctx, name, u.ID)
		return "", nil, ErrBadCredentials
	}
	s.failMu.Lock()
	delete(s.failures, name)
	s.failMu.Unlock()
	if u.FailedLogins != 0 {
		if err := c.User.UpdateOneID(u.ID).SetFailedLogins(0).Exec(sys); err != nil {
			return "", nil, fmt.Errorf("resetting failed logins: %w", err)
		}
	}
	return s.Issue(sys, c, u.ID, token.KindSESSION, "", now.Add(SessionTTL))
}

// failed counts a failed attempt on name and records it on the user, for
// admins to see (users { failedLogins lastFailedLoginAt }). The login's
// transaction is rolled back on failure, so the record is written after it.
func (s *Service) failed(ctx context.Context, name string, userID int) {
	s.failMu.Lock()
	if len(s.failures) >= maxKeys {
		clear(s.failures)
	}
	s.failures[name]++
	s.failMu.Unlock()
	if userID == 0 {
		return
	}
	now := s.now()
	write := func(ctx context.Context) {
		err := s.client.User.UpdateOneID(userID).AddFailedLogins(1).SetLastFailedLoginAt(now).Exec(viewer.SystemContext(ctx))
		if err != nil {
			s.log.WarnContext(ctx, "recording a failed login", "error", err)
		}
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		write(ctx)
		return
	}
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Rollback(ctx, tx)
			write(context.WithoutCancel(ctx))
			return err
		})
	})
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			write(context.WithoutCancel(ctx))
			return err
		})
	})
}

// Issue creates a token of kind for userID, valid until expires, and returns
// it in plain text: the only time it exists outside its holder's hands.
func (s *Service) Issue(ctx context.Context, c *ent.Client, userID int, kind token.Kind, name string, expires time.Time) (string, *ent.Token, error) {
	plain, hash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	t, err := c.Token.Create().
		SetTokenHash(hash).
		SetUserID(userID).
		SetKind(kind).
		SetName(name).
		SetExpiresAt(expires).
		SetLastUsedAt(now).
		Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("creating token: %w", err)
	}
	return plain, t, nil
}

// CreateAPIToken issues a named API token for the viewer of ctx, expiring at
// expires (in the future, within MaxAPITokenTTL). Only an ADMIN or ANALYST
// may; the token is scoped like its owner.
func (s *Service) CreateAPIToken(ctx context.Context, c *ent.Client, name string, expires time.Time) (string, *ent.Token, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.IsSystem() || v.UserID == 0 {
		return "", nil, viewer.ErrUnauthenticated
	}
	if v.Role != viewer.RoleAdmin && v.Role != viewer.RoleAnalyst {
		return "", nil, viewer.Forbidden("")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", nil, apperr.Invalid("name", "cần đặt tên (tối đa 100 ký tự) cho mã truy cập", "a token needs a name of at most 100 characters")
	}
	now := s.now()
	if !expires.After(now) || expires.Sub(now) > MaxAPITokenTTL {
		return "", nil, apperr.Invalid("expiresAt", "thời hạn phải ở tương lai và không quá một năm", "the expiry must be in the future and within a year")
	}
	return s.Issue(ctx, c, v.UserID, token.KindAPI, name, expires)
}

// Revoke revokes token id of the viewer of ctx (an ADMIN may revoke anyone's).
func (s *Service) Revoke(ctx context.Context, c *ent.Client, id int) (*ent.Token, error) {
	s.verified.forget(ctx)
	t, err := c.Token.UpdateOneID(id).Where(token.RevokedAtIsNil()).SetRevokedAt(s.now()).Save(ctx)
	if ent.IsNotFound(err) {
		// Already revoked, or not the viewer's: say so without telling which.
		t, err = c.Token.Get(ctx, id)
	}
	return t, err
}

// NormalizeUsername returns the stored spelling of a username.
func NormalizeUsername(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// NewUser is what creating a user takes.
type NewUser struct {
	Username       string
	Password       string
	Role           user.Role
	OrganizationID *int
}

// CreateUser validates and creates a user, hashing the password. An ADMIN
// has no organization; an ANALYST or VIEWER needs one.
func (s *Service) CreateUser(ctx context.Context, c *ent.Client, in NewUser) (*ent.User, error) {
	if err := user.RoleValidator(in.Role); err != nil {
		return nil, apperr.Invalid("role", "vai trò không hợp lệ", "invalid role")
	}
	if err := ValidatePassword(in.Password); err != nil {
		return nil, err
	}
	if in.Role == user.RoleADMIN && in.OrganizationID != nil {
		return nil, apperr.Invalid("organizationID", "quản trị viên không gắn với tổ chức", "an ADMIN has no organization")
	}
	if in.Role != user.RoleADMIN {
		if in.OrganizationID == nil {
			return nil, apperr.Invalid("organizationID", "cần chọn tổ chức cho vai trò này", "this role needs an organization")
		}
		ok, err := c.Organization.Query().Where(organization.ID(*in.OrganizationID)).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("checking organization: %w", err)
		}
		if !ok {
			return nil, apperr.New(apperr.CodeNotFound, "organizationID", "không tìm thấy tổ chức", "organization not found")
		}
	}
	hash, err := HashPassword(in.Password, s.params)
	if err != nil {
		return nil, err
	}
	return c.User.Create().
		SetUsername(NormalizeUsername(in.Username)).
		SetPasswordHash(hash).
		SetRole(in.Role).
		SetNillableOrganizationID(in.OrganizationID).
		Save(ctx)
}

// SetPassword replaces a user's password and ends their sessions; their API
// tokens, separate credentials, stay.
func (s *Service) SetPassword(ctx context.Context, c *ent.Client, id int, password string) (*ent.User, error) {
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.params)
	if err != nil {
		return nil, err
	}
	s.verified.forget(ctx)
	u, err := c.User.UpdateOneID(id).SetPasswordHash(hash).Save(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Token.Update().
		Where(token.UserID(id), token.KindEQ(token.KindSESSION), token.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(ctx); err != nil {
		return nil, fmt.Errorf("ending sessions: %w", err)
	}
	return u, nil
}

// DisableUser stops a user from signing in and revokes all their tokens. An
// ADMIN cannot disable themselves, so there is always one to undo mistakes.
func (s *Service) DisableUser(ctx context.Context, c *ent.Client, id int) (*ent.User, error) {
	if v := viewer.FromContext(ctx); v != nil && v.UserID == id {
		return nil, apperr.Invalid("id", "không thể tự khóa tài khoản của mình", "you cannot disable your own account")
	}
	s.verified.forget(ctx)
	u, err := c.User.UpdateOneID(id).SetDisabled(true).Save(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Token.Update().
		Where(token.UserID(id), token.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(ctx); err != nil {
		return nil, fmt.Errorf("revoking tokens: %w", err)
	}
	return u, nil
}
