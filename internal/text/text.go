// Package text normalises the text ketnap stores: Unicode NFC with the
// surrounding space trimmed, so that a name typed in decomposed form (NFD,
// as some Vietnamese keyboards and macOS file names send it) and in
// composed form is one value, in comparisons, uniqueness checks and
// statistics alike.
package text

import (
	"context"
	"strings"
	"unicode"

	"entgo.io/ent"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFC without leading or trailing space: Unicode
// white space and the invisible zero-width space, joiner, non-joiner, word
// joiner and byte-order mark that pasted text often carries.
func Normalize(s string) string {
	s = strings.TrimFunc(s, trimmed)
	if !norm.NFC.IsNormalString(s) {
		s = strings.TrimFunc(norm.NFC.String(s), trimmed)
	}
	return s
}

func trimmed(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}

// Hook normalises every text field a mutation sets, before any other hook
// (the workflow rules, uniqueness checks, the audit trail) sees it. It costs
// no statement.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			for _, name := range m.Fields() {
				v, ok := m.Field(name)
				if !ok {
					continue
				}
				if s, ok := v.(string); ok {
					if n := Normalize(s); n != s {
						if err := m.SetField(name, n); err != nil {
							return nil, err
						}
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}
