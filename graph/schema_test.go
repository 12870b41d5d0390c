package graph_test

import (
	"slices"
	"testing"

	"ketnap/graph/generated"
	"ketnap/internal/stats/dim"
)

// The GraphQL enum Dimension is the dimension table's, in its order.
func TestDimensionEnumIsTheTable(t *testing.T) {
	enum := generated.NewExecutableSchema(generated.Config{}).Schema().Types["Dimension"]
	if enum == nil {
		t.Fatal("the schema has no Dimension enum")
	}
	var got, want []string
	for _, v := range enum.EnumValues {
		got = append(got, v.Name)
	}
	for _, d := range dim.All {
		want = append(want, string(d.Name))
	}
	if !slices.Equal(got, want) {
		t.Errorf("enum Dimension = %v, the table (internal/stats/dim) = %v", got, want)
	}
}
