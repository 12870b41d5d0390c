package db

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
