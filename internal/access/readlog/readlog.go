// Package readlog writes the access log: every read of a person's record
// (a Candidate or an Admission) by a signed-in user becomes one AccessLog row
// per person. An ent interceptor notes the persons each query returns into the
// request's Recorder, and the server writes them in one batch when the
// request ends, before the response leaves. Reads by the system viewer (CLI,
// seed, migrations) are not logged.
package readlog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	entgo "entgo.io/ent"

	"ketnap/ent"
	"ketnap/ent/accesslog"
	"ketnap/ent/admission"
	"ketnap/internal/access/viewer"
)

// Entry is one person read within a request.
type Entry struct {
	CandidateID int
	Entity      accesslog.Entity
	// Fields are the columns read; empty means all of them.
	Fields []string
}

type entryKey struct {
	id     int
	entity accesslog.Entity
}

// Recorder collects the persons read during one request. It is safe for
// concurrent use: resolvers run in parallel.
type Recorder struct {
	userID    int
	operation string

	mu      sync.Mutex
	entries []Entry
	index   map[entryKey]int
	all     map[entryKey]bool
}

// NewRecorder returns an empty recorder for the reads of userID in the
// GraphQL operation named operation (may be empty).
func NewRecorder(userID int, operation string) *Recorder {
	return &Recorder{userID: userID, operation: operation, index: map[entryKey]int{}, all: map[entryKey]bool{}}
}

// Add notes reads, merging repeated reads of the same person's record in one
// request into one entry whose fields are the union.
func (r *Recorder) Add(es ...Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range es {
		k := entryKey{e.CandidateID, e.Entity}
		i, ok := r.index[k]
		if !ok {
			r.index[k] = len(r.entries)
			r.all[k] = len(e.Fields) == 0
			r.entries = append(r.entries, Entry{CandidateID: e.CandidateID, Entity: e.Entity, Fields: slices.Clone(e.Fields)})
			continue
		}
		if len(e.Fields) == 0 {
			r.all[k] = true
		}
		for _, f := range e.Fields {
			if !slices.Contains(r.entries[i].Fields, f) {
				r.entries[i].Fields = append(r.entries[i].Fields, f)
			}
		}
	}
}

// Len returns the number of entries not yet written.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// flushChunk bounds the rows of one INSERT (six bind parameters a row).
const flushChunk = 1000

// Flush writes the entries as AccessLog rows, in batches, as the system
// viewer, and forgets them.
func (r *Recorder) Flush(ctx context.Context, client *ent.Client) error {
	r.mu.Lock()
	entries, all := r.entries, r.all
	r.entries, r.index, r.all = nil, map[entryKey]int{}, map[entryKey]bool{}
	r.mu.Unlock()
	if len(entries) == 0 {
		return nil
	}
	ctx = viewer.SystemContext(ctx)
	op := truncate(r.operation, 255)
	for start := 0; start < len(entries); start += flushChunk {
		chunk := entries[start:min(start+flushChunk, len(entries))]
		builders := make([]*ent.AccessLogCreate, len(chunk))
		for i, e := range chunk {
			fields := "*"
			if !all[entryKey{e.CandidateID, e.Entity}] {
				slices.Sort(e.Fields)
				fields = truncate(strings.Join(e.Fields, ","), 2000)
			}
			b := client.AccessLog.Create().
				SetUserID(r.userID).
				SetCandidateID(e.CandidateID).
				SetEntity(e.Entity).
				SetFields(fields)
			if op != "" {
				b.SetOperation(op)
			}
			builders[i] = b
		}
		if err := client.AccessLog.CreateBulk(builders...).Exec(ctx); err != nil {
			return fmt.Errorf("writing access log: %w", err)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}

type ctxKey struct{}

// WithRecorder returns a copy of ctx whose person reads go to r.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the recorder of ctx, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(ctxKey{}).(*Recorder)
	return r
}

// ErrNoRecorder refuses a person read by a signed-in user outside a request
// that keeps an access log: no read of a person's record goes unrecorded.
var ErrNoRecorder = errors.New("audit: a person's record was read with no access log recorder in the context")

// Interceptor notes the persons a Candidate or Admission query returns to a
// signed-in user. It runs after the privacy policy, so only rows the viewer
// may see are noted; counts, existence checks and id lists are not reads of
// a record and are not noted.
func Interceptor() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v := viewer.FromContext(ctx)
			if v == nil || v.IsSystem() {
				return next.Query(ctx, q)
			}
			qc := entgo.QueryFromContext(ctx)
			var fields []string
			if qc != nil {
				fields = slices.Clone(qc.Fields)
			}
			// A query nested in another (an edge count, a group-by) inherits
			// the outer query's context: trust it only when it is this query's.
			own := qc != nil && (qc.Type == ent.TypeAdmission || qc.Type == ent.TypeCandidate)
			if !own {
				fields = nil
			}
			returnsRows := own && (qc.Op == entgo.OpQueryAll || qc.Op == entgo.OpQueryOnly || qc.Op == entgo.OpQueryFirst)
			if aq, ok := q.(*ent.AdmissionQuery); ok && returnsRows && len(fields) > 0 && !slices.Contains(fields, admission.FieldCandidateID) {
				// The person an admission is about must be known to log the read.
				aq.Select(admission.FieldCandidateID)
			}
			val, err := next.Query(ctx, q)
			if err != nil {
				return val, err
			}
			var entries []Entry
			switch rows := val.(type) {
			case []*ent.Candidate:
				for _, c := range rows {
					entries = append(entries, Entry{CandidateID: c.ID, Entity: accesslog.EntityCANDIDATE, Fields: fields})
				}
			case []*ent.Admission:
				for _, a := range rows {
					entries = append(entries, Entry{CandidateID: a.CandidateID, Entity: accesslog.EntityADMISSION, Fields: fields})
				}
			}
			if len(entries) == 0 {
				return val, nil
			}
			rec := FromContext(ctx)
			if rec == nil {
				return nil, ErrNoRecorder
			}
			rec.Add(entries...)
			return val, nil
		})
	})
}
