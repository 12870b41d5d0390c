package db

import (
	"context"
	stdsql "database/sql"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// lockWrites is the first statement of every transaction on PostgreSQL: it
// locks the data version's row (see internal/stats/answers), which every
// write to a tracked table locks anyway (the triggers move the version), so
// write transactions run one after another from their start, as SQLite's
// single writer does (transactions begin IMMEDIATE there).
//
// Taking it first makes every check a transaction makes before writing (a
// status, a uniqueness, the old values a rollup delta is computed from) read
// the state that the transactions before it committed, under the lock its
// write holds: of N concurrent identical transitions, exactly one succeeds
// and the others see its result, as a sequential second attempt would. It
// also orders every writer's locks the same way, so writers cannot
// deadlock on each other.
const lockWrites = "SELECT version FROM data_versions WHERE id = 1 FOR UPDATE"

// serialDriver is the ent driver of PostgreSQL: transactions take the
// write lock first. Embedding *entsql.Driver keeps its ExecContext and
// QueryContext, which the ent client's ExecContext/QueryContext use.
type serialDriver struct {
	*entsql.Driver
}

// Tx implements dialect.Driver.
func (d serialDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

// BeginTx starts a transaction with opts and takes the write lock.
func (d serialDriver) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if opts != nil && opts.ReadOnly {
		return tx, nil
	}
	if err := tx.Exec(ctx, lockWrites, []any{}, nil); err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("taking the write lock: %w", err)
	}
	return tx, nil
}
