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
	"strconv"
	"strings"
	"sync"

	entgo "entgo.io/ent"

	"ketnap/ent"
	"ketnap/ent/accesslog"
	"ketnap/ent/admission"
	"ketnap/ent/auditevent"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
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
	client    *ent.Client

	collisions *Collisions

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

// SetClient gives the recorder the client it resolves persons with (the
// person of an admission, of an audit event) when the query's own client is
// not in the context.
func (r *Recorder) SetClient(c *ent.Client) { r.client = c }

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

type filterKey struct{}

// Filter is what a query's filter tests of a personal record: a count or a
// list narrowed by it reads those fields of every person it matches.
type Filter struct {
	// Type is the ent type the filter applies to (ent.TypeCandidate, …).
	Type string
	// Fields are the fields it tests, in ent's spelling.
	Fields []string
}

// WithFilter returns a copy of ctx whose queries of f.Type are narrowed by
// f: the persons they match are logged as reads of f.Fields, also when the
// query only counts them.
func WithFilter(ctx context.Context, f Filter) context.Context {
	return context.WithValue(ctx, filterKey{}, f)
}

func filterFrom(ctx context.Context, typ string) []string {
	f, ok := ctx.Value(filterKey{}).(Filter)
	if !ok || f.Type != typ {
		return nil
	}
	return f.Fields
}

// Personal reports whether records of the ent type typ are about a person:
// their reads are logged.
func Personal(typ string) bool {
	switch typ {
	case ent.TypeCandidate, ent.TypeAdmission, ent.TypeEnrollment, ent.TypeDisciplinaryAction:
		return true
	}
	return false
}

// Interceptor notes the persons a query of a personal record (a Candidate,
// an Admission, an Enrollment, a DisciplinaryAction) or of an audit event
// about one returns to a signed-in user. It runs after the privacy policy,
// so only rows the viewer may see are noted. Counts and existence checks are
// reads too when the query is narrowed by a filter on personal fields (see
// WithFilter); unfiltered counts and id lists are not.
func Interceptor() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v := viewer.FromContext(ctx)
			if v == nil || v.IsSystem() {
				return next.Query(ctx, q)
			}
			qc := entgo.QueryFromContext(ctx)
			typ := typeOf(q)
			var fields []string
			// A query nested in another (an edge count, a group-by) inherits
			// the outer query's context: trust it only when it is this query's.
			own := qc != nil && qc.Type == typ
			if own {
				fields = slices.Clone(qc.Fields)
			}
			filtered := filterFrom(ctx, typ)
			returnsRows := own && (qc.Op == entgo.OpQueryAll || qc.Op == entgo.OpQueryOnly || qc.Op == entgo.OpQueryFirst)
			counts := own && (qc.Op == entgo.OpQueryCount || qc.Op == entgo.OpQueryExist)
			if returnsRows && len(fields) > 0 {
				// The person a row is about must be known to log the read.
				switch tq := q.(type) {
				case *ent.AdmissionQuery:
					if !slices.Contains(fields, admission.FieldCandidateID) {
						tq.Select(admission.FieldCandidateID)
					}
				case *ent.EnrollmentQuery:
					if !slices.Contains(fields, enrollment.FieldCandidateID) {
						tq.Select(enrollment.FieldCandidateID)
					}
				case *ent.DisciplinaryActionQuery:
					if !slices.Contains(fields, disciplinaryaction.FieldAdmissionID) {
						tq.Select(disciplinaryaction.FieldAdmissionID)
					}
				case *ent.AuditEventQuery:
					tq.Select(auditevent.FieldEntityType, auditevent.FieldEntityID, auditevent.FieldChanges)
				}
			}
			var matched []Entry
			if counts && len(filtered) > 0 {
				// Resolve whom the count is about before it runs.
				var err error
				if matched, err = countedPersons(ctx, q, filtered); err != nil {
					return nil, err
				}
			}
			val, err := next.Query(ctx, q)
			if err != nil {
				return val, err
			}
			if len(filtered) > 0 && len(fields) > 0 {
				fields = append(fields, filtered...)
			}
			entries, err := personsOf(ctx, val, fields)
			if err != nil {
				return nil, err
			}
			entries = append(entries, matched...)
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

func typeOf(q ent.Query) string {
	switch q.(type) {
	case *ent.CandidateQuery:
		return ent.TypeCandidate
	case *ent.AdmissionQuery:
		return ent.TypeAdmission
	case *ent.EnrollmentQuery:
		return ent.TypeEnrollment
	case *ent.DisciplinaryActionQuery:
		return ent.TypeDisciplinaryAction
	case *ent.AuditEventQuery:
		return ent.TypeAuditEvent
	}
	return ""
}

// countedPersons returns the persons a counting query narrowed by a
// personal filter matches, as reads of the fields it tests.
func countedPersons(ctx context.Context, q ent.Query, fields []string) ([]Entry, error) {
	var (
		ids    []int
		err    error
		entity accesslog.Entity
	)
	// The inner query must not inherit the count's query context: ent keeps
	// an outer one, and this interceptor would count again.
	ctx = entgo.NewQueryContext(ctx, &entgo.QueryContext{Type: typeOf(q), Op: entgo.OpQueryIDs})
	switch tq := q.(type) {
	case *ent.CandidateQuery:
		entity = accesslog.EntityCANDIDATE
		ids, err = tq.Clone().IDs(ctx)
	case *ent.AdmissionQuery:
		entity = accesslog.EntityADMISSION
		ids, err = tq.Clone().Select(admission.FieldCandidateID).Ints(ctx)
	case *ent.EnrollmentQuery:
		entity = accesslog.EntityENROLLMENT
		ids, err = tq.Clone().Select(enrollment.FieldCandidateID).Ints(ctx)
	case *ent.DisciplinaryActionQuery:
		entity = accesslog.EntityDISCIPLINARY_ACTION
		var adm []int
		if adm, err = tq.Clone().Select(disciplinaryaction.FieldAdmissionID).Ints(ctx); err == nil {
			ids, err = candidatesOfAdmissions(ctx, tq, adm)
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("access log: resolving the persons counted: %w", err)
	}
	out := make([]Entry, len(ids))
	for i, id := range ids {
		out[i] = Entry{CandidateID: id, Entity: entity, Fields: fields}
	}
	return out, nil
}

type clientOf interface{ Client() *ent.Client }

// candidatesOfAdmissions maps admissions to their persons, as the system:
// the viewer may read the rows that named them.
func candidatesOfAdmissions(ctx context.Context, q any, ids []int) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	c := clientFrom(ctx, q)
	if c == nil {
		return nil, errors.New("access log: no client to resolve admissions")
	}
	return c.Admission.Query().Where(admission.IDIn(ids...)).Select(admission.FieldCandidateID).Ints(viewer.SystemContext(ctx))
}

func clientFrom(ctx context.Context, q any) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	if cq, ok := q.(clientOf); ok {
		return cq.Client()
	}
	if r := FromContext(ctx); r != nil {
		return r.client
	}
	return nil
}

// personsOf returns the persons the rows of a query are about.
func personsOf(ctx context.Context, val ent.Value, fields []string) ([]Entry, error) {
	if err := loadRefs(ctx, val); err != nil {
		return nil, fmt.Errorf("access log: %w", err)
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
	case []*ent.Enrollment:
		for _, e := range rows {
			entries = append(entries, Entry{CandidateID: e.CandidateID, Entity: accesslog.EntityENROLLMENT, Fields: fields})
		}
	case []*ent.DisciplinaryAction:
		if len(rows) == 0 {
			return nil, nil
		}
		adm := make([]int, len(rows))
		for i, d := range rows {
			adm[i] = d.AdmissionID
		}
		ids, err := candidatesOfAdmissions(ctx, nil, adm)
		if err != nil {
			return nil, fmt.Errorf("access log: %w", err)
		}
		for _, id := range ids {
			entries = append(entries, Entry{CandidateID: id, Entity: accesslog.EntityDISCIPLINARY_ACTION, Fields: fields})
		}
	case []*ent.AuditEvent:
		ids, err := personsOfEvents(ctx, rows)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			entries = append(entries, Entry{CandidateID: id, Entity: accesslog.EntityAUDIT_EVENT, Fields: []string{"audit_event"}})
		}
	}
	return entries, nil
}

// loadRefs fills in, as the system, the reference to the person of rows
// loaded without it (a nested edge selecting only some fields).
func loadRefs(ctx context.Context, val ent.Value) error {
	sys := viewer.SystemContext(ctx)
	c := clientFrom(ctx, nil)
	var missing []int
	switch rows := val.(type) {
	case []*ent.Admission:
		for _, r := range rows {
			if r.CandidateID == 0 {
				missing = append(missing, r.ID)
			}
		}
		if len(missing) == 0 || c == nil {
			return nil
		}
		got, err := c.Admission.Query().Where(admission.IDIn(missing...)).Select(admission.FieldID, admission.FieldCandidateID).All(sys)
		if err != nil {
			return err
		}
		by := map[int]int{}
		for _, g := range got {
			by[g.ID] = g.CandidateID
		}
		for _, r := range rows {
			if r.CandidateID == 0 {
				r.CandidateID = by[r.ID]
			}
		}
	case []*ent.Enrollment:
		for _, r := range rows {
			if r.CandidateID == 0 {
				missing = append(missing, r.ID)
			}
		}
		if len(missing) == 0 || c == nil {
			return nil
		}
		got, err := c.Enrollment.Query().Where(enrollment.IDIn(missing...)).Select(enrollment.FieldID, enrollment.FieldCandidateID).All(sys)
		if err != nil {
			return err
		}
		by := map[int]int{}
		for _, g := range got {
			by[g.ID] = g.CandidateID
		}
		for _, r := range rows {
			if r.CandidateID == 0 {
				r.CandidateID = by[r.ID]
			}
		}
	case []*ent.DisciplinaryAction:
		for _, r := range rows {
			if r.AdmissionID == 0 {
				missing = append(missing, r.ID)
			}
		}
		if len(missing) == 0 || c == nil {
			return nil
		}
		got, err := c.DisciplinaryAction.Query().Where(disciplinaryaction.IDIn(missing...)).Select(disciplinaryaction.FieldID, disciplinaryaction.FieldAdmissionID).All(sys)
		if err != nil {
			return err
		}
		by := map[int]int{}
		for _, g := range got {
			by[g.ID] = g.AdmissionID
		}
		for _, r := range rows {
			if r.AdmissionID == 0 {
				r.AdmissionID = by[r.ID]
			}
		}
	case []*ent.AuditEvent:
		for _, r := range rows {
			if r.EntityType == "" {
				missing = append(missing, r.ID)
			}
		}
		if len(missing) == 0 || c == nil {
			return nil
		}
		got, err := c.AuditEvent.Query().Where(auditevent.IDIn(missing...)).Select(auditevent.FieldID, auditevent.FieldEntityType, auditevent.FieldEntityID, auditevent.FieldChanges).All(sys)
		if err != nil {
			return err
		}
		by := map[int]*ent.AuditEvent{}
		for _, g := range got {
			by[g.ID] = g
		}
		for _, r := range rows {
			if g := by[r.ID]; r.EntityType == "" && g != nil {
				r.EntityType, r.EntityID, r.Changes = g.EntityType, g.EntityID, g.Changes
			}
		}
	}
	return nil
}

// personsOfEvents returns the persons audit events are about: a candidate's
// own events, and those of their admissions, enrollments and disciplinary
// actions (from the record, or from the event when it was deleted).
func personsOfEvents(ctx context.Context, events []*ent.AuditEvent) ([]int, error) {
	var persons []int
	byType := map[string][]*ent.AuditEvent{}
	for _, e := range events {
		switch e.EntityType {
		case ent.TypeCandidate:
			persons = append(persons, e.EntityID)
		case ent.TypeAdmission, ent.TypeEnrollment, ent.TypeDisciplinaryAction:
			byType[e.EntityType] = append(byType[e.EntityType], e)
		}
	}
	if len(byType) == 0 {
		return persons, nil
	}
	c := clientFrom(ctx, nil)
	if c == nil {
		return nil, errors.New("access log: no client to resolve audit events")
	}
	sys := viewer.SystemContext(ctx)
	for typ, evs := range byType {
		ref := "candidate_id"
		if typ == ent.TypeDisciplinaryAction {
			ref = "admission_id"
		}
		found := map[int]int{} // record id → referenced id
		ids := make([]int, len(evs))
		for i, e := range evs {
			ids[i] = e.EntityID
		}
		var err error
		switch typ {
		case ent.TypeAdmission:
			var rows []*ent.Admission
			if rows, err = c.Admission.Query().Where(admission.IDIn(ids...)).Select(admission.FieldID, admission.FieldCandidateID).All(sys); err == nil {
				for _, r := range rows {
					found[r.ID] = r.CandidateID
				}
			}
		case ent.TypeEnrollment:
			var rows []*ent.Enrollment
			if rows, err = c.Enrollment.Query().Where(enrollment.IDIn(ids...)).Select(enrollment.FieldID, enrollment.FieldCandidateID).All(sys); err == nil {
				for _, r := range rows {
					found[r.ID] = r.CandidateID
				}
			}
		case ent.TypeDisciplinaryAction:
			var rows []*ent.DisciplinaryAction
			if rows, err = c.DisciplinaryAction.Query().Where(disciplinaryaction.IDIn(ids...)).Select(disciplinaryaction.FieldID, disciplinaryaction.FieldAdmissionID).All(sys); err == nil {
				for _, r := range rows {
					found[r.ID] = r.AdmissionID
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("access log: resolving audit events: %w", err)
		}
		var refs []int
		for _, e := range evs {
			id, ok := found[e.EntityID]
			if !ok {
				id, ok = refFromChanges(e, ref)
			}
			if ok {
				refs = append(refs, id)
			}
		}
		if typ == ent.TypeDisciplinaryAction {
			if refs, err = candidatesOfAdmissions(ctx, nil, refs); err != nil {
				return nil, fmt.Errorf("access log: %w", err)
			}
		}
		persons = append(persons, refs...)
	}
	return persons, nil
}

// refFromChanges reads a reference (candidate_id, admission_id) from the
// values an audit event recorded.
func refFromChanges(e *ent.AuditEvent, field string) (int, bool) {
	for _, ch := range e.Changes {
		if ch.Field != field {
			continue
		}
		for _, v := range []*string{ch.Before, ch.After} {
			if v == nil {
				continue
			}
			if n, err := strconv.Atoi(*v); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}
