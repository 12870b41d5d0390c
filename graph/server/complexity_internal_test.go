package server

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"ketnap/graph/generated"
)

// TestEveryListIsPriced walks the whole schema and fails on any field that
// returns a list or a connection without a price (issue 12, item 7): an
// unpriced list costs the same whatever its length.
func TestEveryListIsPriced(t *testing.T) {
	var c generated.Config
	setComplexity(&c.Complexity)
	schema := generated.NewExecutableSchema(c).Schema()
	root := reflect.ValueOf(c.Complexity)
	for _, def := range schema.Types {
		if def.Kind != ast.Object || strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || !(f.Type.Elem != nil || strings.HasSuffix(f.Type.Name(), "Connection")) {
				continue
			}
			if strings.HasSuffix(def.Name, "Connection") && f.Name == "edges" {
				continue // priced by the connection field, first × child
			}
			obj := root.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, def.Name) })
			var price reflect.Value
			if obj.IsValid() {
				price = obj.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, f.Name) })
			}
			if !price.IsValid() || price.IsNil() {
				t.Errorf("%s.%s returns %s and has no price", def.Name, f.Name, f.Type)
			}
		}
	}
}
