package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/field"

	"ketnap/ent/migrate"
	"ketnap/internal/text"
)

// step is Go work that a migration version does besides its SQL, in the
// same transaction; it returns what the operator should read.
type step func(ctx context.Context, tx *sql.Tx, dia string) (notes []string, err error)

// steps are the migrations with Go work, by version.
var steps = map[string]step{
	normalizeTextVersion: normalizeText,
}

// normalizeTextVersion is the migration that normalises the text already
// stored (issue: one person, typed in NFD or NFC, is one value).
const normalizeTextVersion = "20261202235900"

// normalizeText rewrites every text column of every table in NFC with the
// surrounding space trimmed (text.Normalize), as the ent hook stores new
// values. A value of a unique column whose normalised form another row
// already holds is left as it is and reported (by table, column and row
// ids, never the value: it may be a national ID): the operator decides
// which record is the person, nothing is merged silently.
func normalizeText(ctx context.Context, tx *sql.Tx, dia string) ([]string, error) {
	var notes []string
	changed := 0
	for _, t := range migrate.Tables {
		have, err := columnsOf(ctx, tx, dia, t.Name)
		if err != nil {
			return nil, err
		}
		var cols []string
		unique := map[string]bool{}
		for _, c := range t.Columns {
			// Enums are the code's own spellings: only free text.
			if c.Type == field.TypeString && have[c.Name] {
				cols = append(cols, c.Name)
				unique[c.Name] = c.Unique
			}
		}
		for _, idx := range t.Indexes {
			if idx.Unique && len(idx.Columns) == 1 {
				unique[idx.Columns[0].Name] = true
			}
		}
		if len(cols) == 0 || !have["id"] {
			continue
		}
		n, more, err := normalizeTable(ctx, tx, dia, t.Name, cols, unique)
		if err != nil {
			return nil, fmt.Errorf("normalising %s: %w", t.Name, err)
		}
		changed += n
		notes = append(notes, more...)
	}
	return append([]string{fmt.Sprintf("text normalised (NFC, trimmed): %d rows rewritten", changed)}, notes...), nil
}

func normalizeTable(ctx context.Context, tx *sql.Tx, dia, table string, cols []string, unique map[string]bool) (int, []string, error) {
	b := entsql.Dialect(dia)
	sel := b.Select(append([]string{"id"}, cols...)...).From(entsql.Table(table)).OrderBy("id")
	q, args := sel.Query()
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, nil, err
	}
	type change struct {
		id  int64
		set map[string]string
	}
	var changes []change
	// taken: for each unique column, the normalised values and the first
	// row holding each.
	taken := map[string]map[string]int64{}
	for c := range unique {
		taken[c] = map[string]int64{}
	}
	var notes []string
	clash := map[string][]int64{}
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols)+1)
	var id int64
	dest[0] = &id
	for i := range vals {
		dest[i+1] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, nil, err
		}
		set := map[string]string{}
		for i, c := range cols {
			if !vals[i].Valid {
				continue
			}
			n := text.Normalize(vals[i].String)
			if unique[c] {
				if first, ok := taken[c][n]; ok {
					key := c + "\x00" + n
					if len(clash[key]) == 0 {
						clash[key] = []int64{first}
					}
					clash[key] = append(clash[key], id)
					continue // left as it is
				}
				taken[c][n] = id
			}
			if n != vals[i].String {
				set[c] = n
			}
		}
		if len(set) > 0 {
			changes = append(changes, change{id, set})
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	rows.Close()
	// A row that clashes keeps its value; so does the first holder when
	// its own change would be what makes the two equal.
	keep := map[int64]map[string]bool{}
	for key, ids := range clash {
		c, _, _ := strings.Cut(key, "\x00")
		for _, id := range ids {
			if keep[id] == nil {
				keep[id] = map[string]bool{}
			}
			keep[id][c] = true
		}
		notes = append(notes, fmt.Sprintf("%s.%s: rows %s hold the same value once normalised; left unchanged, decide which record to keep", table, c, joinIDs(ids)))
	}
	sort.Strings(notes)
	n := 0
	for _, ch := range changes {
		u := b.Update(table).Where(entsql.EQ("id", ch.id))
		dirty := false
		for c, v := range ch.set {
			if keep[ch.id][c] {
				continue
			}
			u.Set(c, v)
			dirty = true
		}
		if !dirty {
			continue
		}
		q, args := u.Query()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return n, nil, err
		}
		n++
	}
	return n, notes, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

// columnsOf returns the columns a table has in the database now (a step
// runs at its own version, when later migrations have not added theirs).
func columnsOf(ctx context.Context, tx *sql.Tx, dia, table string) (map[string]bool, error) {
	var q string
	var args []any
	if dia == dialect.Postgres {
		q, args = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", []any{table}
	} else {
		q, args = "SELECT name FROM pragma_table_info(?)", []any{table}
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}
