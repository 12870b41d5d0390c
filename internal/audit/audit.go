// Package audit records every change to ketnap's records as an AuditEvent,
// in the transaction of the change: who, when, which entity, which operation,
// and the changed fields before and after. Sensitive personal data (national
// ID, phone, ethnicity, religion) is never stored in clear: the trail says
// that it changed, not what to. The hook is installed on every audited schema
// by a mixin (ent/schema), so no write path bypasses it.
package audit

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"entgo.io/ent"

	gen "ketnap/ent"
	"ketnap/ent/admission"
	"ketnap/ent/annualplan"
	"ketnap/ent/auditevent"
	"ketnap/ent/candidate"
	"ketnap/ent/disciplinaryaction"
	"ketnap/ent/enrollment"
	"ketnap/ent/organization"
	"ketnap/ent/trainingclass"
	"ketnap/internal/audit/change"
)

// System is the actor of changes made without a known user.
const System = "system"

// flushAt bounds the events buffered in memory before they are written.
const flushAt = 1000

// skipped fields are bookkeeping or derived from other fields, and would only
// add noise to the trail.
var skipped = map[string]bool{"id": true, "created_at": true, "updated_at": true, "edges": true, "depth": true}

// sensitive fields are masked in the trail (Decree 13/2023).
var sensitive = map[string]bool{"national_id": true, "phone": true, "ethnicity": true, "religion": true}

type actorKey struct{}

type bufferKey struct{}

// WithActor returns a context whose changes are attributed to actor (a user
// name, or cli:<login> for the command line).
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns the actor of ctx, or System.
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return System
}

// event is an audit record waiting to be written.
type event struct {
	at      time.Time
	actor   string
	typ     string
	id      int
	op      auditevent.Operation
	changes []change.Field
}

// buffer collects the events of one transaction so they are written in
// batches rather than one statement a change.
type buffer struct {
	mu     sync.Mutex
	events []event
}

func (b *buffer) add(ctx context.Context, c *gen.Client, evs []event) error {
	b.mu.Lock()
	b.events = append(b.events, evs...)
	var out []event
	if len(b.events) >= flushAt {
		out, b.events = b.events, nil
	}
	b.mu.Unlock()
	return write(ctx, c, out)
}

func (b *buffer) flush(ctx context.Context, c *gen.Client) error {
	b.mu.Lock()
	out := b.events
	b.events = nil
	b.mu.Unlock()
	return write(ctx, c, out)
}

// write inserts events in multi-row statements.
func write(ctx context.Context, c *gen.Client, evs []event) error {
	const chunk = 500
	for start := 0; start < len(evs); start += chunk {
		part := evs[start:min(start+chunk, len(evs))]
		builders := make([]*gen.AuditEventCreate, len(part))
		for i, e := range part {
			builders[i] = c.AuditEvent.Create().
				SetAt(e.at).
				SetActor(e.actor).
				SetEntityType(e.typ).
				SetEntityID(e.id).
				SetOperation(e.op).
				SetChanges(e.changes)
		}
		if err := c.AuditEvent.CreateBulk(builders...).Exec(ctx); err != nil {
			return fmt.Errorf("writing audit events: %w", err)
		}
	}
	return nil
}

// Begin prepares tx so that the audit events of its changes are written in
// batches, the last one just before it commits. It returns the context the
// transaction's work must run under.
func Begin(ctx context.Context, tx *gen.Tx) context.Context {
	b := &buffer{}
	tx.OnCommit(func(next gen.Committer) gen.Committer {
		return gen.CommitFunc(func(ctx context.Context, tx *gen.Tx) error {
			if err := b.flush(ctx, tx.Client()); err != nil {
				_ = tx.Rollback()
				return err
			}
			return next.Commit(ctx, tx)
		})
	})
	tx.OnRollback(func(next gen.Rollbacker) gen.Rollbacker {
		return gen.RollbackFunc(func(ctx context.Context, tx *gen.Tx) error {
			b.mu.Lock()
			b.events = nil
			b.mu.Unlock()
			return next.Rollback(ctx, tx)
		})
	})
	ctx = context.WithValue(ctx, bufferKey{}, b)
	ctx = gen.NewTxContext(ctx, tx)
	return gen.NewContext(ctx, tx.Client())
}

// TxOpener opens the transaction of a GraphQL mutation (for
// entgql.Transactioner) with batched audit writing.
type TxOpener struct {
	Client *gen.Client
}

// OpenTx opens a transaction and returns its context.
func (o TxOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	tx, err := o.Client.Tx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("opening transaction: %w", err)
	}
	return Begin(ctx, tx), tx, nil
}

// WithTx runs fn in one transaction on client: it commits when fn succeeds and
// rolls back, writing nothing, when fn fails or panics.
func WithTx(ctx context.Context, client *gen.Client, fn func(ctx context.Context, c *gen.Client) error) (err error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("opening transaction: %w", err)
	}
	ctx = Begin(ctx, tx)
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	if err := fn(ctx, tx.Client()); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rolling back: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// Hook records every create, update and delete of the entity it is
// installed on. Updates that change nothing leave no event.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			cm, ok := m.(interface {
				Client() *gen.Client
				IDs(context.Context) ([]int, error)
			})
			if !ok {
				return nil, fmt.Errorf("audit: unsupported mutation %T", m)
			}
			c := cm.Client()
			var (
				ids    []int
				before map[int]map[string]json.RawMessage
				err    error
			)
			if !m.Op().Is(ent.OpCreate) {
				if ids, err = cm.IDs(ctx); err != nil {
					return nil, fmt.Errorf("audit: loading ids: %w", err)
				}
				if before, err = load(ctx, c, m.Type(), ids); err != nil {
					return nil, err
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			var evs []event
			now := time.Now().UTC()
			actor := Actor(ctx)
			switch {
			case m.Op().Is(ent.OpCreate):
				after, err := fields(v)
				if err != nil {
					return nil, err
				}
				id, err := idOf(after)
				if err != nil {
					return nil, err
				}
				evs = append(evs, event{now, actor, m.Type(), id, auditevent.OperationCREATE, diff(nil, after)})
			case m.Op().Is(ent.OpUpdate | ent.OpUpdateOne):
				after, err := load(ctx, c, m.Type(), ids)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					if ch := diff(before[id], after[id]); len(ch) > 0 {
						evs = append(evs, event{now, actor, m.Type(), id, auditevent.OperationUPDATE, ch})
					}
				}
			default:
				for _, id := range ids {
					if b, ok := before[id]; ok {
						evs = append(evs, event{now, actor, m.Type(), id, auditevent.OperationDELETE, diff(b, nil)})
					}
				}
			}
			if err := record(ctx, c, m, evs); err != nil {
				return nil, err
			}
			return v, nil
		})
	}
}

// record buffers events when the mutation runs in a transaction opened by
// Begin, and writes them at once otherwise.
func record(ctx context.Context, c *gen.Client, m ent.Mutation, evs []event) error {
	if len(evs) == 0 {
		return nil
	}
	if b, ok := ctx.Value(bufferKey{}).(*buffer); ok {
		if txm, ok := m.(interface{ Tx() (*gen.Tx, error) }); ok {
			if _, err := txm.Tx(); err == nil {
				return b.add(ctx, c, evs)
			}
		}
	}
	return write(ctx, c, evs)
}

// load reads the rows ids of entity type typ as field maps.
func load(ctx context.Context, c *gen.Client, typ string, ids []int) (map[int]map[string]json.RawMessage, error) {
	out := make(map[int]map[string]json.RawMessage, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var (
		rows any
		err  error
	)
	switch typ {
	case gen.TypeOrganization:
		rows, err = c.Organization.Query().Where(organization.IDIn(ids...)).All(ctx)
	case gen.TypeCandidate:
		rows, err = c.Candidate.Query().Where(candidate.IDIn(ids...)).All(ctx)
	case gen.TypeTrainingClass:
		rows, err = c.TrainingClass.Query().Where(trainingclass.IDIn(ids...)).All(ctx)
	case gen.TypeEnrollment:
		rows, err = c.Enrollment.Query().Where(enrollment.IDIn(ids...)).All(ctx)
	case gen.TypeAdmission:
		rows, err = c.Admission.Query().Where(admission.IDIn(ids...)).All(ctx)
	case gen.TypeDisciplinaryAction:
		rows, err = c.DisciplinaryAction.Query().Where(disciplinaryaction.IDIn(ids...)).All(ctx)
	case gen.TypeAnnualPlan:
		rows, err = c.AnnualPlan.Query().Where(annualplan.IDIn(ids...)).All(ctx)
	default:
		return nil, fmt.Errorf("audit: unsupported entity type %s", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("audit: loading %s: %w", typ, err)
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("audit: encoding %s: %w", typ, err)
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("audit: decoding %s: %w", typ, err)
	}
	for _, f := range list {
		id, err := idOf(f)
		if err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, nil
}

// fields returns an entity's fields by their JSON (column) names.
func fields(v ent.Value) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: encoding entity: %w", err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("audit: decoding entity: %w", err)
	}
	return f, nil
}

func idOf(f map[string]json.RawMessage) (int, error) {
	var id int
	if err := json.Unmarshal(f["id"], &id); err != nil {
		return 0, fmt.Errorf("audit: entity without id: %w", err)
	}
	return id, nil
}

// diff lists the fields whose values differ, sorted by name, with
// sensitive values masked. A field absent from a map holds its zero value.
func diff(before, after map[string]json.RawMessage) []change.Field {
	names := map[string]bool{}
	for k := range before {
		names[k] = true
	}
	for k := range after {
		names[k] = true
	}
	var out []change.Field
	for k := range names {
		if skipped[k] {
			continue
		}
		b, a := before[k], after[k]
		if bytes.Equal(b, a) {
			continue
		}
		out = append(out, change.Field{Field: k, Before: text(k, b), After: text(k, a)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func text(name string, v json.RawMessage) *string {
	if v == nil || string(v) == "null" {
		return nil
	}
	s := string(v)
	if sensitive[name] {
		s = change.Masked
	}
	return &s
}

// Flush writes the events buffered in ctx's transaction now. Call it before
// rolling back to a savepoint, so that the events of the undone changes are
// undone with them.
func Flush(ctx context.Context, c *gen.Client) error {
	if b, ok := ctx.Value(bufferKey{}).(*buffer); ok {
		return b.flush(ctx, c)
	}
	return nil
}

// Discard drops the events buffered in ctx's transaction, for changes that
// are being rolled back to a savepoint.
func Discard(ctx context.Context) {
	if b, ok := ctx.Value(bufferKey{}).(*buffer); ok {
		b.mu.Lock()
		b.events = nil
		b.mu.Unlock()
	}
}
