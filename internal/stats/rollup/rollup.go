// Package rollup keeps the statistics' derived table, stat_rollups, in step
// with the rows it summarizes: for the organizations at the top of the tree
// (depth ≤ MaxDepth, whose subtrees are large; the core dimensions down to
// CoreDepth), the count of admissions of
// their subtree per calendar month and per key of every breakdown, and the
// count of pipeline candidates per month they were recorded, and the
// certified trainees per month (see DimTrained). Hooks apply the
// change of every write in the write's own transaction; Rebuild recomputes
// everything from scratch, for bulk loaders that bypass the hooks.
package rollup

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/candidate"
	"ketnap/ent/organization"
	"ketnap/ent/organizationclosure"
	"ketnap/ent/statrollup"
	"ketnap/internal/stats/dim"
)

// MaxDepth is the depth down to which organizations have the rows of every
// dimension: the national (or bloc) root and its direct children. Deeper
// subtrees are small enough for a join through the closure table, and
// breakdown rows for them would multiply the table without making anything
// faster.
const MaxDepth = 1

// CoreDepth is the depth down to which organizations have the rows of the
// core dimensions (admissions, their outcomes, trainees): the figures a
// drill-down reads for every child. A level of a thousand children (the
// grassroots organizations of a province) is small subtree by subtree but
// large together: their outcomes from raw rows took 34 ms at L, from these
// rows a few.
const CoreDepth = 2

// coreDims are the dimensions kept down to CoreDepth.
var coreDims = map[string]bool{DimAdmitted: true, DimStatus: true, DimTrained: true, DimRepeat: true}

// DepthOf returns the depth down to which organizations have rows of dim.
func DepthOf(dim string) int {
	if coreDims[dim] {
		return CoreDepth
	}
	return MaxDepth
}

// The dimensions of stat_rollups besides the breakdown dimensions.
const (
	// DimAdmitted counts admissions (key "").
	DimAdmitted = "ADMITTED"
	// DimStatus counts admissions by current outcome (Key* below).
	DimStatus = "STATUS"
	// DimPipeline counts candidates in SOURCE, TRAINED or APPLIED by the
	// month they were recorded (key "").
	DimPipeline = "PIPELINE"
)

// Keys of DimStatus; an admission can count under two of them.
const (
	KeyFull              = "FULL"
	KeyNotRecognized     = "NOT_RECOGNIZED"
	KeyLeftOrDisciplined = "LEFT_OR_DISCIPLINED"
	// KeyProbationary counts the admissions still on probation.
	KeyProbationary = "PROBATIONARY"
	// KeyLeftRecognized counts those who left after their recognition.
	KeyLeftRecognized = "LEFT_RECOGNIZED"
)

// PipelineStatuses are the candidate statuses counted as pipeline.
var PipelineStatuses = []string{candidate.StatusSOURCE.String(), candidate.StatusTRAINED.String(), candidate.StatusAPPLIED.String()}

// MonthIndex numbers calendar months continuously: year*12 + month - 1.
func MonthIndex(t time.Time) int { t = t.UTC(); return t.Year()*12 + int(t.Month()) - 1 }

// MonthExpr is MonthIndex of a DATE column.
func MonthExpr(dia, col string) string {
	return "(" + dim.YearSQL(dia, col) + " * 12 + " + dim.MonthSQL(dia, col) + " - 1)"
}

// TimeMonthExpr is MonthIndex of a timestamp column, in UTC.
func TimeMonthExpr(dia, col string) string {
	if dia == dialect.Postgres {
		col = "(" + col + " AT TIME ZONE 'UTC')"
	}
	return MonthExpr(dia, col)
}

// cell is one counter of stat_rollups.
type cell struct {
	org, month int
	dim, key   string
}

// delta is a change to apply to stat_rollups.
type delta map[cell]int

func (d delta) add(o delta, sign int) {
	for c, n := range o {
		d[c] += sign * n
	}
}

// refreshChunk bounds the organizations of one pass of Refresh: each pass
// holds its counters in memory.
const refreshChunk = 2000

// Refresh recomputes the rows of the given organizations (all rolled-up
// organizations when ids is nil) from the raw rows: it deletes them and
// inserts the grouped counts of the subtrees of those now rolled up (every
// dimension down to MaxDepth, the core ones down to CoreDepth). Rebuild
// and organization moves use it.
func Refresh(ctx context.Context, c *ent.Client, ids []int) error {
	ctx = internal(ctx)
	del := c.StatRollup.Delete()
	if ids != nil {
		if len(ids) == 0 {
			return nil
		}
		del.Where(statrollup.OrganizationIDIn(ids...))
	}
	if _, err := del.Exec(ctx); err != nil {
		return fmt.Errorf("clearing rollups: %w", err)
	}
	q := c.Organization.Query().Where(organization.DepthLTE(CoreDepth))
	if ids != nil {
		q.Where(organization.IDIn(ids...))
	}
	orgs, err := q.Select(organization.FieldID, organization.FieldDepth).All(ctx)
	if err != nil {
		return fmt.Errorf("loading rolled-up organizations: %w", err)
	}
	var upper, core []int
	for _, o := range orgs {
		if o.Depth <= MaxDepth {
			upper = append(upper, o.ID)
		} else {
			core = append(core, o.ID)
		}
	}
	for _, pass := range []struct {
		ids  []int
		core bool
	}{{upper, false}, {core, true}} {
		for len(pass.ids) > 0 {
			n := min(len(pass.ids), refreshChunk)
			if err := refresh(ctx, c, pass.ids[:n], pass.core); err != nil {
				return err
			}
			pass.ids = pass.ids[n:]
		}
	}
	return nil
}

// refresh inserts the rows of organizations ids: of the core dimensions
// only when coreOnly (they are deeper than MaxDepth), else of every one.
func refresh(ctx context.Context, c *ent.Client, ids []int, coreOnly bool) error {
	// scope joins the closure table to the organizations ids.
	scope := func(s *sql.Selector, orgCol string) {
		sc := sql.Dialect(s.Dialect()).Table(organizationclosure.Table).As("sc")
		s.Join(sc).On(sc.C(organizationclosure.FieldDescendantID), orgCol)
		s.Where(sql.InInts(sc.C(organizationclosure.FieldOrganizationID), ids...))
		s.AppendSelectAs(sc.C(organizationclosure.FieldOrganizationID), "org")
		s.GroupBy(sc.C(organizationclosure.FieldOrganizationID), "month", "k")
	}
	var rows []struct {
		Org   int    `sql:"org"`
		Month int    `sql:"month"`
		Key   string `sql:"k"`
		N     int    `sql:"n"`
	}
	d := delta{}
	collect := func(dim string) {
		for _, r := range rows {
			d[cell{r.Org, r.Month, dim, r.Key}] += r.N
		}
		rows = rows[:0]
	}
	admissions := func(dim string, key func(s *sql.Selector, ca, o *sql.SelectTable) string, where func(s *sql.Selector) *sql.Predicate) error {
		err := c.Admission.Query().Modify(func(s *sql.Selector) {
			ca := sql.Dialect(s.Dialect()).Table(candidate.Table).As("ca")
			o := sql.Dialect(s.Dialect()).Table(organization.Table).As("o")
			s.Join(ca).On(ca.C(candidate.FieldID), s.C(admission.FieldCandidateID)).
				Join(o).On(o.C(organization.FieldID), s.C(admission.FieldOrganizationID))
			s.Select(sql.As(MonthExpr(s.Dialect(), s.C(admission.FieldAdmittedOn)), "month"), sql.As(sql.Count("*"), "n"))
			s.AppendSelectExprAs(sql.Expr(key(s, ca, o)), "k")
			if where != nil {
				s.Where(where(s))
			}
			scope(s, s.C(admission.FieldOrganizationID))
		}).Scan(ctx, &rows)
		if err != nil {
			return fmt.Errorf("counting admissions by %s: %w", dim, err)
		}
		collect(dim)
		return nil
	}
	empty := func(*sql.Selector, *sql.SelectTable, *sql.SelectTable) string { return "''" }
	// Status keys are this package's constants, written as SQL literals.
	status := func(key string) func(*sql.Selector, *sql.SelectTable, *sql.SelectTable) string {
		return func(*sql.Selector, *sql.SelectTable, *sql.SelectTable) string { return "'" + key + "'" }
	}
	if err := admissions(DimAdmitted, empty, nil); err != nil {
		return err
	}
	for _, st := range []struct {
		key    string
		status admission.Status
	}{{KeyFull, admission.StatusFULL}, {KeyNotRecognized, admission.StatusNOT_RECOGNIZED}, {KeyProbationary, admission.StatusPROBATIONARY}} {
		if err := admissions(DimStatus, status(st.key), func(s *sql.Selector) *sql.Predicate {
			col := s.C(admission.FieldStatus)
			if s.Dialect() == dialect.SQLite {
				// Unary plus: SQLite would otherwise drive the statement
				// from the status index (every FULL admission, then its
				// ancestors): 20 s instead of 0.1 s at M.
				col = "+" + col
			}
			return sql.EQ(col, st.status.String())
		}); err != nil {
			return err
		}
	}
	if err := admissions(DimStatus, status(KeyLeftRecognized), func(s *sql.Selector) *sql.Predicate {
		return sql.And(sql.EQ(s.C(admission.FieldStatus), admission.StatusLEFT.String()), sql.NotNull(s.C(admission.FieldRecognitionDecidedOn)))
	}); err != nil {
		return err
	}
	if err := admissions(DimStatus, status(KeyLeftOrDisciplined), func(s *sql.Selector) *sql.Predicate {
		return sql.Or(sql.EQ(s.C(admission.FieldStatus), admission.StatusLEFT.String()), disciplined(s))
	}); err != nil {
		return err
	}
	for _, repeat := range []bool{false, true} {
		if err := refreshTrainees(ctx, c, repeat, scope, &rows); err != nil {
			return fmt.Errorf("counting trainees: %w", err)
		}
		collect(map[bool]string{false: DimTrained, true: DimRepeat}[repeat])
	}
	if !coreOnly {
		for _, d := range dim.All {
			if err := admissions(string(d.Name), func(s *sql.Selector, ca, o *sql.SelectTable) string {
				return d.SQL(s.Dialect(), dim.Tables{Admission: s.Table(), Candidate: ca, Organization: o})
			}, nil); err != nil {
				return err
			}
		}
		err := c.Candidate.Query().Modify(func(s *sql.Selector) {
			s.Select(sql.As(TimeMonthExpr(s.Dialect(), s.C(candidate.FieldCreatedAt)), "month"), sql.As(sql.Count("*"), "n"))
			s.AppendSelectExprAs(sql.Expr("''"), "k")
			s.Where(sql.In(s.C(candidate.FieldStatus), anys(PipelineStatuses)...))
			scope(s, s.C(candidate.FieldOrganizationID))
		}).Scan(ctx, &rows)
		if err != nil {
			return fmt.Errorf("counting pipeline candidates: %w", err)
		}
		collect(DimPipeline)
	}
	return apply(ctx, c, d)
}

// disciplined is EXISTS (a disciplinary action of the admission row).
func disciplined(s *sql.Selector) *sql.Predicate {
	d := sql.Dialect(s.Dialect()).Table("disciplinary_actions").As("d")
	return sql.Exists(sql.Select(d.C("id")).From(d).Where(sql.ColumnsEQ(d.C("admission_id"), s.C(admission.FieldID))))
}

func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// upsertRows bounds the rows of one upsert (five parameters a row).
const upsertRows = 2000

// yearRow is the span of a year row; its month is the year's first month.
const yearRow = 12

// apply adds d, a change to month counters, to stat_rollups, and the same
// change to the year rows that sum them, creating missing counters.
func apply(ctx context.Context, c *ent.Client, months delta) error {
	ctx = internal(ctx)
	type spanned struct {
		cell
		span int
	}
	d := make(map[spanned]int, len(months)*2)
	for k, n := range months {
		d[spanned{k, 1}] += n
		y := k
		y.month = k.month / 12 * 12
		d[spanned{y, yearRow}] += n
	}
	builders := make([]*ent.StatRollupCreate, 0, min(len(d), upsertRows))
	flush := func() error {
		if len(builders) == 0 {
			return nil
		}
		err := c.StatRollup.CreateBulk(builders...).
			OnConflict(
				sql.ConflictColumns(statrollup.FieldOrganizationID, statrollup.FieldDim, statrollup.FieldSpan, statrollup.FieldMonth, statrollup.FieldKey),
				sql.ResolveWith(func(u *sql.UpdateSet) {
					excluded := sql.Dialect(u.UpdateBuilder.Dialect()).Table("excluded")
					u.Set(statrollup.FieldN, sql.Expr(u.Table().C(statrollup.FieldN)+" + "+excluded.C(statrollup.FieldN)))
				}),
			).Exec(ctx)
		builders = builders[:0]
		if err != nil {
			return fmt.Errorf("updating rollups: %w", err)
		}
		return nil
	}
	// Insert in index order: a subtree's rows of a dimension then sit
	// together in the table, and reading them touches few pages.
	keys := make([]spanned, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b spanned) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.dim, b.dim), cmp.Compare(a.span, b.span),
			cmp.Compare(a.month, b.month), cmp.Compare(a.key, b.key))
	})
	for _, k := range keys {
		n := d[k]
		builders = append(builders, c.StatRollup.Create().
			SetOrganizationID(k.org).SetMonth(k.month).SetSpan(k.span).SetDim(k.dim).SetKey(k.key).SetN(n))
		if len(builders) == upsertRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Rebuild recomputes stat_rollups and plan_totals from scratch, in one
// transaction. Bulk loaders call it after loading, since they bypass the
// hooks.
func Rebuild(ctx context.Context, client *ent.Client) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting rebuild: %w", err)
	}
	if err := Refresh(ctx, tx.Client(), nil); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := RebuildPlans(ctx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing rebuild: %w", err)
	}
	return nil
}
