package keyset

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"sync"

	"ketnap/internal/apperr"
)

// KeyEnv names the environment variable holding the secret cursors are
// sealed with. Servers that share their clients (behind one load balancer)
// must share it; without it each process draws its own, and cursors issued
// before a restart are refused with INVALID_CURSOR.
const KeyEnv = "KETNAP_CURSOR_KEY"

// The cursor key is process-wide state on purpose: the generated Paginate
// methods seal cursors deep below the server's configuration, and a key that
// differed between two connections of one process would buy nothing.
var (
	aeadOnce sync.Once
	aead     cipher.AEAD
)

// sealer returns the AEAD cursors are sealed with: AES-256-GCM under
// SHA-256 of KETNAP_CURSOR_KEY, or under a random key.
func sealer() cipher.AEAD {
	aeadOnce.Do(func() {
		var key [32]byte
		if s := os.Getenv(KeyEnv); s != "" {
			key = sha256.Sum256([]byte(s))
		} else if _, err := rand.Read(key[:]); err != nil {
			panic("keyset: no randomness for the cursor key: " + err.Error())
		}
		block, err := aes.NewCipher(key[:])
		if err != nil {
			panic(err)
		}
		if aead, err = cipher.NewGCM(block); err != nil {
			panic(err)
		}
	})
	return aead
}

// payload is what a cursor carries, sealed: the order it was issued for and
// the key values of its row.
type payload struct {
	Sig    string            `json:"s"`
	Values []json.RawMessage `json:"v"`
}

// additional binds a sealed cursor to its row id.
func additional(id int) []byte {
	return binary.BigEndian.AppendUint64([]byte("ketnap-cursor:"), uint64(id))
}

// Seal returns the opaque cursor value of the row id whose key values under
// plan are vals (one per key, nil for NULL). Nothing of vals can be read
// from it, and it cannot be altered or moved to another row unnoticed.
func Seal(plan Plan, id int, vals []any) []byte {
	pl := payload{Sig: plan.Signature(), Values: make([]json.RawMessage, len(vals))}
	for i, v := range vals {
		raw, err := json.Marshal(v)
		if err != nil {
			// Order values are strings, numbers, times and enums.
			panic("keyset: cannot encode an order value: " + err.Error())
		}
		pl.Values[i] = raw
	}
	plain, _ := json.Marshal(pl)
	a := sealer()
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plain)+a.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("keyset: no randomness for a cursor: " + err.Error())
	}
	return a.Seal(nonce, nonce, plain, additional(id))
}

// Decoder turns one sealed key value back into the Go value of its column.
type Decoder func(json.RawMessage) (any, error)

// Decode is the Decoder of a column of Go type T; JSON null gives nil.
func Decode[T any](raw json.RawMessage) (any, error) {
	var v *T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	return *v, nil
}

// Open returns the key values sealed in the cursor value of row id, checking
// that it was issued by this server for plan. field names the argument
// (after or before) in the error.
func Open(plan Plan, id int, value any, decoders []Decoder, field string) ([]any, error) {
	blob, ok := value.([]byte)
	a := sealer()
	if !ok || len(blob) < a.NonceSize()+a.Overhead() {
		return nil, InvalidCursor(field, nil)
	}
	plain, err := a.Open(nil, blob[:a.NonceSize()], blob[a.NonceSize():], additional(id))
	if err != nil {
		return nil, InvalidCursor(field, err)
	}
	var pl payload
	if err := json.Unmarshal(plain, &pl); err != nil || len(pl.Values) != len(decoders) {
		return nil, InvalidCursor(field, err)
	}
	if pl.Sig != plan.Signature() {
		return nil, apperr.New(apperr.CodeInvalidCursor, field,
			"con trỏ này thuộc một cách sắp xếp (orderBy) khác",
			"the cursor was issued for a different orderBy")
	}
	vals := make([]any, len(decoders))
	for i, dec := range decoders {
		if vals[i], err = dec(pl.Values[i]); err != nil {
			return nil, InvalidCursor(field, err)
		}
	}
	return vals, nil
}

// InvalidCursor is the error of a cursor this server cannot read.
func InvalidCursor(field string, cause error) error {
	e := apperr.New(apperr.CodeInvalidCursor, field,
		"con trỏ phân trang không hợp lệ hoặc đã hết hạn",
		"the cursor is invalid or has expired")
	if cause == nil {
		cause = errors.New("malformed cursor")
	}
	e.Err = cause
	return e
}

// ValidateFirstLast refuses first and last together and negative page sizes.
func ValidateFirstLast(first, last *int) error {
	switch {
	case first != nil && last != nil:
		return apperr.New(apperr.CodeInvalidPagination, "last",
			"không được dùng first cùng với last",
			"first and last cannot be used together")
	case first != nil && *first < 0:
		return apperr.New(apperr.CodeInvalidPagination, "first",
			"first không được âm", "first cannot be negative")
	case last != nil && *last < 0:
		return apperr.New(apperr.CodeInvalidPagination, "last",
			"last không được âm", "last cannot be negative")
	}
	return nil
}

// DuplicateOrder refuses an orderBy that names field twice.
func DuplicateOrder(field string) error {
	return apperr.New(apperr.CodeInvalidPagination, "orderBy",
		"trường sắp xếp "+field+" bị lặp lại",
		"the order field "+field+" is repeated")
}
