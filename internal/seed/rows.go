package seed

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// table is one table the seed writes, with its columns in the order the
// generators emit values.
type table struct {
	name string
	cols []string
}

// The tables in load order: every table comes after those it references.
var (
	tOrganizations = &table{"organizations", []string{"id", "created_at", "updated_at", "code", "name", "kind", "sector",
		"depth", "founded_on", "dissolved_on", "parent_id"}}
	tTrainingClasses = &table{"training_classes", []string{"id", "created_at", "updated_at", "name", "kind",
		"starts_on", "ends_on", "location", "organizer_id"}}
	tCandidates = &table{"candidates", []string{"id", "created_at", "updated_at", "full_name", "gender", "birth_date",
		"ethnicity", "religion", "general_education", "professional_level", "political_theory_level", "occupation",
		"youth_union_member", "national_id", "phone", "status", "organization_id"}}
	tEnrollments = &table{"enrollments", []string{"id", "created_at", "updated_at", "passed", "certificate_no",
		"certificate_on", "candidate_id", "training_class_id"}}
	tAdmissions = &table{"admissions", []string{"id", "created_at", "updated_at", "resolution_on", "decision_no",
		"decision_on", "admitted_on", "ceremony_delay_reason", "age_exception", "exception_note",
		"first_introducer_name", "first_introducer_card_no", "second_introducer_name", "second_introducer_card_no",
		"probation_ends_on", "status", "recognized_on", "not_recognized_on", "left_on", "left_reason",
		"first_introducer_id", "second_introducer_id", "candidate_id", "organization_id"}}
	tDisciplinaryActions = &table{"disciplinary_actions", []string{"id", "created_at", "updated_at", "level",
		"decided_on", "reason", "admission_id"}}
	tAnnualPlans = &table{"annual_plans", []string{"id", "created_at", "updated_at", "year", "admission_target",
		"members_at_start", "organization_id"}}
)

// loadTables are the tables a seed fills, in load order; the closure table
// is derived afterwards by tree.Rebuild.
var loadTables = []*table{tOrganizations, tTrainingClasses, tCandidates, tEnrollments, tAdmissions,
	tDisciplinaryActions, tAnnualPlans}

// sink receives the rows of one table at a time.
type sink interface {
	begin(t *table) error
	row(vals []any) error
	end() error
}

// writer feeds a sink, hashes every row in a canonical text form (the
// same whatever the database) and counts rows for progress reports.
type writer struct {
	s        sink
	h        hash.Hash
	buf      []byte
	t        *table
	rows     int64
	perTable map[string]int64
	progress func(rows int64)
}

func newWriter(s sink, progress func(int64)) *writer {
	return &writer{s: s, h: sha256.New(), perTable: map[string]int64{}, progress: progress}
}

// begin starts the rows of t.
func (w *writer) begin(t *table) error {
	w.t = t
	w.buf = append(w.buf[:0], "\x00table "...)
	w.buf = append(w.buf, t.name...)
	w.buf = append(w.buf, '\n')
	w.h.Write(w.buf)
	return w.s.begin(t)
}

// end finishes the rows of the current table.
func (w *writer) end() error {
	w.t = nil
	return w.s.end()
}

// row writes one row; vals must match the table's columns.
func (w *writer) row(vals ...any) error {
	if len(vals) != len(w.t.cols) {
		panic("seed: " + w.t.name + ": wrong number of values")
	}
	w.buf = appendCanonical(w.buf[:0], vals)
	w.h.Write(w.buf)
	w.rows++
	w.perTable[w.t.name]++
	if w.progress != nil && w.rows%4096 == 0 {
		w.progress(w.rows)
	}
	return w.s.row(vals)
}

// checksum returns the hex SHA-256 of all rows written so far.
func (w *writer) checksum() string {
	return hex.EncodeToString(w.h.Sum(nil))
}

// appendCanonical appends vals as one line of PostgreSQL COPY text format,
// which is unambiguous: tab-separated, backslash escapes, \N for NULL.
// Dates at midnight UTC are written as YYYY-MM-DD.
func appendCanonical(b []byte, vals []any) []byte {
	for i, v := range vals {
		if i > 0 {
			b = append(b, '\t')
		}
		switch v := v.(type) {
		case nil:
			b = append(b, '\\', 'N')
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool:
			if v {
				b = append(b, 't')
			} else {
				b = append(b, 'f')
			}
		case string:
			for j := 0; j < len(v); j++ {
				switch c := v[j]; c {
				case '\\':
					b = append(b, '\\', '\\')
				case '\t':
					b = append(b, '\\', 't')
				case '\n':
					b = append(b, '\\', 'n')
				case '\r':
					b = append(b, '\\', 'r')
				default:
					b = append(b, c)
				}
			}
		case time.Time:
			v = v.UTC()
			if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
				b = v.AppendFormat(b, time.DateOnly)
			} else {
				b = v.AppendFormat(b, time.RFC3339Nano)
			}
		default:
			panic("seed: unsupported value type")
		}
	}
	return append(b, '\n')
}
