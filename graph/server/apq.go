package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"ketnap/internal/access/viewer"
)

// signedInCache is the shared cache of persisted queries, which only
// signed-in callers may fill: an anonymous one could otherwise store
// arbitrary documents for everyone (or fill the cache to evict theirs).
// Anyone may still send a stored query by its hash (login included).
type signedInCache struct{ graphql.Cache[string] }

// Add implements graphql.Cache.
func (c signedInCache) Add(ctx context.Context, key, value string) {
	if viewer.FromContext(ctx) == nil {
		return
	}
	c.Cache.Add(ctx, key, value)
}
