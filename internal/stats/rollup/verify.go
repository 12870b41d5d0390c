package rollup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ketnap/ent"
	"ketnap/ent/plantotal"
	"ketnap/ent/statrollup"
)

// derived are the tables the hooks keep and Rebuild recomputes: the
// columns that identify a row (never its id), the columns of its figures,
// and the condition of the rows that count (a counter at zero is no row).
var derived = []struct {
	table      string
	keys, vals []string
	where      string
}{
	{statrollup.Table, []string{statrollup.FieldOrganizationID, statrollup.FieldDim, statrollup.FieldSpan, statrollup.FieldMonth, statrollup.FieldKey},
		[]string{statrollup.FieldN}, statrollup.FieldN + " <> 0"},
	{plantotal.Table, []string{plantotal.FieldOrganizationID, plantotal.FieldYear},
		[]string{plantotal.FieldTarget, plantotal.FieldMembers}, ""},
}

// Diff is one row on which the derived tables and a rebuild disagree.
type Diff struct {
	// Table is the derived table.
	Table string
	// Row names the row by its key columns, "column=value" joined by spaces.
	Row string
	// Kept and Rebuilt are its figures in the table and in the rebuild,
	// "-" when it has no row there.
	Kept, Rebuilt string
}

// String names the difference in one line.
func (d Diff) String() string {
	return fmt.Sprintf("%s: %s: kept %s, rebuilt %s", d.Table, d.Row, d.Kept, d.Rebuilt)
}

// Verify compares the derived tables with what Rebuild computes from the
// records now, and returns every difference (none when they agree). It
// rebuilds inside a transaction that it rolls back, so it changes nothing;
// the transaction is a write transaction, so it sees one consistent state
// and writers wait for it.
func Verify(ctx context.Context, client *ent.Client) ([]Diff, error) {
	ctx = internal(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting verification: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	c := tx.Client()
	kept, err := snapshot(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := Refresh(ctx, c, nil); err != nil {
		return nil, err
	}
	if err := RebuildPlans(ctx, c); err != nil {
		return nil, err
	}
	rebuilt, err := snapshot(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []Diff
	for key, v := range kept {
		if w, ok := rebuilt[key]; !ok || w != v {
			out = append(out, Diff{Table: key.table, Row: key.row, Kept: v, Rebuilt: cmpOr(w, "-")})
		}
	}
	for key, w := range rebuilt {
		if _, ok := kept[key]; !ok {
			out = append(out, Diff{Table: key.table, Row: key.row, Kept: "-", Rebuilt: w})
		}
	}
	slices.SortFunc(out, func(a, b Diff) int {
		return strings.Compare(a.Table+" "+a.Row, b.Table+" "+b.Row)
	})
	return out, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type rowKey struct{ table, row string }

// snapshot reads the figures of every row of the derived tables by key.
func snapshot(ctx context.Context, c *ent.Client) (map[rowKey]string, error) {
	out := map[rowKey]string{}
	for _, t := range derived {
		columns := append(slices.Clone(t.keys), t.vals...)
		// Column and table names only: the same SQL in both dialects.
		query := "SELECT " + strings.Join(columns, ", ") + " FROM " + t.table
		if t.where != "" {
			query += " WHERE " + t.where
		}
		rows, err := c.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", t.table, err)
		}
		vals := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading %s: %w", t.table, err)
			}
			key := rowKey{t.table, format(t.keys, vals[:len(t.keys)])}
			if _, dup := out[key]; dup {
				rows.Close()
				return nil, fmt.Errorf("reading %s: two rows for %s", t.table, key.row)
			}
			out[key] = format(t.vals, vals[len(t.keys):])
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", t.table, err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", t.table, err)
		}
	}
	return out, nil
}

// format writes columns and their values as "column=value" joined by spaces.
func format(columns []string, vals []any) string {
	var sb strings.Builder
	for i, col := range columns {
		if i > 0 {
			sb.WriteByte(' ')
		}
		v := vals[i]
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		if v == nil {
			v = "NULL"
		}
		fmt.Fprintf(&sb, "%s=%v", col, v)
	}
	return sb.String()
}
