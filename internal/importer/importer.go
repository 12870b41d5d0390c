// Package importer loads records from Excel (.xlsx) and CSV files with
// Vietnamese column headers: organizations, candidates, annual plans,
// enrollments and admissions. Every row is checked first and every bad row
// is reported (row, column, message in Vietnamese and English); nothing is
// written when any row fails. Rows are matched on natural keys (organization
// code; national ID, or name + birth date + organization), so a re-import
// updates instead of duplicating, and an unchanged row writes nothing. All
// writes go through ent, so the workflow rules and the audit trail apply.
package importer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	gen "ketnap/ent"
	"ketnap/internal/apperr"
	"ketnap/internal/audit"
	"ketnap/internal/text"
)

// Entity names what a file holds.
type Entity string

// The entities a file may hold.
const (
	Organizations Entity = "organizations"
	Candidates    Entity = "candidates"
	AnnualPlans   Entity = "annual-plans"
	Enrollments   Entity = "enrollments"
	Admissions    Entity = "admissions"
)

// Entities lists the entities in the order they are best imported.
var Entities = []Entity{Organizations, AnnualPlans, Candidates, Enrollments, Admissions}

func unknownEntity(e Entity) error {
	return fmt.Errorf("loại dữ liệu không hợp lệ %q, cần một trong %v / unknown entity %q, want one of %v", e, Entities, e, Entities)
}

// RowError is one problem of one row.
type RowError struct {
	// Row is the row number in the file, the header being row 1.
	Row int `json:"row"`
	// Column is the header of the column at fault, empty when none is.
	Column string `json:"column,omitempty"`
	Code   string `json:"code"`
	VI     string `json:"vi"`
	EN     string `json:"en"`
}

// Message is the error in both languages, as the API presents errors.
func (e RowError) Message() string {
	if e.Column != "" {
		return fmt.Sprintf("dòng %d, cột %q: %s / row %d, column %q: %s", e.Row, e.Column, e.VI, e.Row, e.Column, e.EN)
	}
	return fmt.Sprintf("dòng %d: %s / row %d: %s", e.Row, e.VI, e.Row, e.EN)
}

// Report is the outcome of an import.
type Report struct {
	Entity    string     `json:"entity"`
	DryRun    bool       `json:"dryRun"`
	Rows      int        `json:"rows"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Errors    []RowError `json:"errors"`
}

// OK reports whether every row was valid (and, unless a dry run, written).
func (r *Report) OK() bool { return len(r.Errors) == 0 }

// row is one data row, its cells by normalized header.
type row struct {
	n     int
	cells map[string]string
}

func (r row) get(header string) string { return text.Normalize(r.cells[norm(header)]) }

func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(text.Normalize(s)), " "))
}

// job is one import under way.
type job struct {
	c    *gen.Client
	spec *spec
	rows []row
	rep  *Report
}

func (j *job) fail(r row, header string, code apperr.Code, vi, en string) {
	j.rep.Errors = append(j.rep.Errors, RowError{Row: r.n, Column: header, Code: string(code), VI: vi, EN: en})
}

// failWith records err against r when it is a user-facing error (a rule of
// the workflow, or a constraint), and returns it otherwise.
func (j *job) failWith(r row, err error) error {
	if ae, ok := apperr.As(err); ok {
		j.fail(r, j.spec.header(ae.Field), ae.Code, ae.VI, ae.EN)
		return nil
	}
	var ve *gen.ValidationError
	if errors.As(err, &ve) {
		j.fail(r, j.spec.header(ve.Name), apperr.CodeInvalid, "giá trị không hợp lệ", "invalid value")
		return nil
	}
	if gen.IsConstraintError(err) {
		j.fail(r, "", apperr.CodeConflict, "giá trị trùng với bản ghi khác hoặc tham chiếu không hợp lệ",
			"a value duplicates another record, or a reference is invalid")
		return nil
	}
	return err
}

// savepoint runs fn for row r inside a savepoint: when fn fails on r's
// data, its changes are undone, the error is recorded and the import goes
// on to find the other bad rows.
func (j *job) savepoint(ctx context.Context, r row, fn func() error) error {
	if err := audit.Flush(ctx, j.c); err != nil {
		return err
	}
	if _, err := j.c.ExecContext(ctx, "SAVEPOINT ketnap_row"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		audit.Discard(ctx)
		if _, rerr := j.c.ExecContext(ctx, "ROLLBACK TO SAVEPOINT ketnap_row"); rerr != nil {
			return fmt.Errorf("rolling back row: %w", rerr)
		}
		if err := j.failWith(r, err); err != nil {
			return err
		}
	}
	if _, err := j.c.ExecContext(ctx, "RELEASE SAVEPOINT ketnap_row"); err != nil {
		return fmt.Errorf("releasing savepoint: %w", err)
	}
	return nil
}

// Run imports rows (the header first) of entity with c, a transaction's
// client. When a row fails, or on a dry run, nothing stays written: the
// changes are rolled back to a savepoint taken at the start, and the report
// says what would have been created and updated.
func Run(ctx context.Context, c *gen.Client, entity Entity, rows [][]string, dryRun bool) (*Report, error) {
	s, ok := specs[entity]
	if !ok {
		return nil, unknownEntity(entity)
	}
	rep := &Report{Entity: string(entity), DryRun: dryRun, Errors: []RowError{}}
	if len(rows) == 0 {
		rep.Errors = append(rep.Errors, RowError{Row: 1, Code: string(apperr.CodeInvalid), VI: "tệp không có dòng tiêu đề", EN: "the file has no header row"})
		return rep, nil
	}
	index := map[string]int{}
	for i, h := range rows[0] {
		index[norm(h)] = i
	}
	for _, col := range s.columns {
		if _, ok := index[norm(col.header)]; !ok && col.required {
			rep.Errors = append(rep.Errors, RowError{Row: 1, Column: col.header, Code: string(apperr.CodeInvalid),
				VI: "thiếu cột bắt buộc", EN: "a required column is missing"})
		}
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	j := &job{c: c, spec: s, rep: rep}
	for i, cells := range rows[1:] {
		r := row{n: i + 2, cells: map[string]string{}}
		empty := true
		for _, col := range s.columns {
			if k, ok := index[norm(col.header)]; ok && k < len(cells) {
				r.cells[norm(col.header)] = cells[k]
				empty = empty && strings.TrimSpace(cells[k]) == ""
			}
		}
		if !empty {
			j.rows = append(j.rows, r)
		}
	}
	rep.Rows = len(j.rows)
	if err := audit.Flush(ctx, c); err != nil {
		return nil, err
	}
	if _, err := c.ExecContext(ctx, "SAVEPOINT ketnap_import"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	err := s.run(ctx, j)
	if err != nil || !rep.OK() || dryRun {
		audit.Discard(ctx)
		if _, rerr := c.ExecContext(ctx, "ROLLBACK TO SAVEPOINT ketnap_import"); rerr != nil {
			return nil, errors.Join(err, fmt.Errorf("rolling back import: %w", rerr))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("importing %s: %w", entity, err)
	}
	if _, err := c.ExecContext(ctx, "RELEASE SAVEPOINT ketnap_import"); err != nil {
		return nil, fmt.Errorf("releasing savepoint: %w", err)
	}
	return rep, nil
}

// cells parses the cells of one row, recording each bad cell.
type cells struct {
	j   *job
	r   row
	bad bool
}

func (j *job) parse(r row) *cells { return &cells{j: j, r: r} }

func (p *cells) failf(header string, vi, en string) {
	p.bad = true
	p.j.fail(p.r, header, apperr.CodeInvalid, vi, en)
}

func (p *cells) str(header string, required bool, maxLen int) string {
	v := p.r.get(header)
	switch {
	case v == "" && required:
		p.failf(header, "không được để trống", "is required")
	case len([]rune(v)) > maxLen:
		p.failf(header, fmt.Sprintf("dài quá %d ký tự", maxLen), fmt.Sprintf("is longer than %d characters", maxLen))
	}
	return v
}

// dateLayouts are the accepted date forms, dd/mm/yyyy first.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2006-01-02"}

func (p *cells) date(header string, required bool) *time.Time {
	v := p.r.get(header)
	if v == "" {
		if required {
			p.failf(header, "không được để trống", "is required")
		}
		return nil
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, v, time.UTC); err == nil {
			return &t
		}
	}
	p.failf(header, "ngày không hợp lệ, cần dạng dd/mm/yyyy", "invalid date, expected dd/mm/yyyy")
	return nil
}

func (p *cells) integer(header string, required bool, lo, hi int) *int {
	v := strings.ReplaceAll(p.r.get(header), ".", "")
	if v == "" {
		if required {
			p.failf(header, "không được để trống", "is required")
		}
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.failf(header, fmt.Sprintf("cần số nguyên từ %d đến %d", lo, hi), fmt.Sprintf("expected a whole number from %d to %d", lo, hi))
		return nil
	}
	return &n
}

// choice reads an enum cell: its code (MALE) or a Vietnamese label (Nam).
func (p *cells) choice(header string, required bool, labels map[string]string) string {
	v := p.r.get(header)
	if v == "" {
		if required {
			p.failf(header, "không được để trống", "is required")
		}
		return ""
	}
	if code, ok := labels[norm(v)]; ok {
		return code
	}
	for _, code := range labels {
		if strings.EqualFold(code, v) {
			return code
		}
	}
	p.failf(header, "giá trị không nằm trong danh mục: "+allowed(labels), "not one of the allowed values: "+allowed(labels))
	return ""
}

func (p *cells) boolean(header string) bool {
	switch norm(p.r.get(header)) {
	case "", "không", "khong", "0", "false", "no":
		return false
	case "có", "co", "x", "1", "true", "yes", "đạt":
		return true
	}
	p.failf(header, "cần Có hoặc Không", "expected Có or Không")
	return false
}
