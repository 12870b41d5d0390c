package scalar

import (
	"github.com/99designs/gqlgen/graphql"

	"ketnap/internal/apperr"
)

// MarshalID writes an id as a GraphQL ID (a string of digits).
func MarshalID(id int) graphql.Marshaler { return graphql.MarshalIntID(id) }

// UnmarshalID reads a GraphQL ID. A malformed one is an INVALID_ARGUMENT
// error; the error presenter names the argument from the error's path.
func UnmarshalID(v any) (int, error) {
	id, err := graphql.UnmarshalIntID(v)
	if err != nil {
		return 0, apperr.Invalid("", "mã định danh không hợp lệ", "malformed ID")
	}
	return id, nil
}
