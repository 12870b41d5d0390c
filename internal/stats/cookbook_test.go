package stats_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"ketnap/ent/organization"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/viewer"
	"ketnap/internal/seed"
)

// cookbookQuery finds the GraphQL blocks of docs/analyst-queries.md.
var cookbookQuery = regexp.MustCompile("(?s)```graphql\n(.*?)```")

// TestCookbook runs every query of docs/analyst-queries.md against the demo
// as an ANALYST of the demo bloc, and fails on any that errors or returns
// nothing (no non-empty list and no non-zero figure).
func TestCookbook(t *testing.T) {
	raw, err := os.ReadFile("../../docs/analyst-queries.md")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, m := range cookbookQuery.FindAllStringSubmatch(string(raw), -1) {
		queries = append(queries, m[1])
	}
	if len(queries) < 12 {
		t.Fatalf("%d queries in the cookbook, want at least 12", len(queries))
	}
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		ctx := fixtureCtx()
		if _, err := seed.Demo(ctx, c.DB, seed.Options{Append: true}); err != nil {
			t.Fatal(err)
		}
		bloc := c.DB.Client.Organization.Query().Where(organization.Code(seed.DemoBlocCode)).OnlyX(ctx)
		analyst := c.As(t, viewer.RoleAnalyst, bloc.ID)
		for i, q := range queries {
			var data any
			if err := analyst.Do(q, nil, &data); err != nil {
				t.Errorf("query %d: %v\n%s", i+1, err, q)
				continue
			}
			if b, _ := json.Marshal(data); os.Getenv("COOKBOOK_DEBUG") != "" {
				t.Logf("query %d: %.400s", i+1, b)
			}
			if !something(data) {
				t.Errorf("query %d returns nothing: %v\n%s", i+1, data, q)
			}
		}
	})
}

// something reports whether v holds a non-empty list or a non-zero number.
func something(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, y := range x {
			if something(y) {
				return true
			}
		}
	case []any:
		return len(x) > 0
	case float64:
		return x != 0
	}
	return false
}
