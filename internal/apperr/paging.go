package apperr

// Error codes of connection paging (ketnap/internal/keyset).
const (
	// CodeInvalidPagination refuses first/last/after/before that cannot be
	// combined or are out of range.
	CodeInvalidPagination Code = "INVALID_PAGINATION"
	// CodeInvalidCursor refuses a cursor that this server did not issue,
	// that was issued for another order, or that has expired (the server's
	// cursor key changed).
	CodeInvalidCursor Code = "INVALID_CURSOR"
)
