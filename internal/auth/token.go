package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// tokenPrefix marks ketnap tokens so that secret scanners and people can
// recognize a leaked one.
const tokenPrefix = "ketnap_"

// tokenBytes is the entropy of a token.
const tokenBytes = 32

// newToken returns a fresh bearer token and the hash to store for it.
func newToken() (plain, hash string, err error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("reading random token: %w", err)
	}
	sum := sha256.Sum256(raw)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(raw), hex.EncodeToString(sum[:]), nil
}

// hashToken returns the stored hash of a presented token: the hex SHA-256
// of its 32 random bytes. ok is false for anything that is not a token.
func hashToken(plain string) (hash string, ok bool) {
	enc, found := strings.CutPrefix(plain, tokenPrefix)
	if !found || base64.RawURLEncoding.EncodedLen(tokenBytes) != len(enc) {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || len(raw) != tokenBytes {
		return "", false
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), true
}
