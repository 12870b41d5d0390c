package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"ketnap/internal/apperr"
)

// Params are argon2id's cost parameters. They are stored in each hash, so
// they can be raised later without invalidating existing passwords.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
}

// DefaultParams returns OWASP's recommended argon2id setting (19 MiB, two
// passes, one lane): costly to brute-force, yet cheap enough that a login
// does not starve the two-core server.
func DefaultParams() Params {
	return Params{Time: 2, Memory: 19 * 1024, Threads: 1, KeyLen: 32}
}

const saltLen = 16

// Password length bounds: long enough to resist guessing, short enough that
// hashing cannot be abused.
const (
	minPasswordRunes = 10
	maxPasswordBytes = 1024
)

// ValidatePassword checks a new password's length.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < minPasswordRunes {
		return apperr.Invalid("password", "mật khẩu phải có ít nhất 10 ký tự", "the password must be at least 10 characters long")
	}
	if len(pw) > maxPasswordBytes {
		return apperr.Invalid("password", "mật khẩu quá dài", "the password is too long")
	}
	return nil
}

// HashPassword returns pw's argon2id hash in PHC string format:
// $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// VerifyPassword reports whether pw matches the encoded hash, comparing in
// constant time. A malformed hash never matches.
func VerifyPassword(encoded, pw string) bool {
	p, salt, key, err := decodeHash(encoded)
	if err != nil || len(pw) > maxPasswordBytes {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

// decodeHash parses a PHC string, refusing parameters that would make one
// verification cost more than a few hundred milliseconds.
func decodeHash(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, nil, nil, errBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, errBadHash
	}
	if p.Memory < 8 || p.Memory > 256*1024 || p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 8 {
		return Params{}, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Params{}, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, errBadHash
	}
	p.KeyLen = uint32(len(key))
	return p, salt, key, nil
}
