package tree

import (
	"context"
	"database/sql"
	"fmt"
)

// Execer runs a statement; *sql.Tx, *sql.Conn and *sql.DB are Execers.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// rebuildSQL derives the closure table and the depths from parent_id alone,
// set-based, in the same SQL on SQLite and PostgreSQL.
var rebuildSQL = []string{
	`DELETE FROM organization_closures`,
	`INSERT INTO organization_closures (organization_id, descendant_id, depth)
	WITH RECURSIVE links (ancestor, descendant, distance) AS (
		SELECT id, id, 0 FROM organizations
		UNION ALL
		SELECT links.ancestor, o.id, links.distance + 1
		FROM links JOIN organizations o ON o.parent_id = links.descendant
	)
	SELECT ancestor, descendant, distance FROM links`,
	`UPDATE organizations SET depth = c.distance
	FROM (
		SELECT descendant_id, MAX(depth) AS distance FROM organization_closures GROUP BY descendant_id
	) AS c
	WHERE c.descendant_id = organizations.id AND organizations.depth <> c.distance`,
	// Organizations loaded without a history get their place in today's
	// tree as their history since always, and their name since founding.
	// The dates are written as ent writes them on SQLite (_time_format=sqlite);
	// PostgreSQL reads them as dates.
	`INSERT INTO organization_links (organization_id, descendant_id, depth, valid_from, valid_to)
	SELECT c.organization_id, c.descendant_id, c.depth, '0001-01-01 00:00:00+00:00', '9999-12-31 00:00:00+00:00'
	FROM organization_closures c
	WHERE NOT EXISTS (SELECT 1 FROM organization_links l WHERE l.descendant_id = c.descendant_id)`,
	`INSERT INTO organization_names (organization_id, name, valid_from)
	SELECT o.id, o.name, o.founded_on FROM organizations o
	WHERE NOT EXISTS (SELECT 1 FROM organization_names n WHERE n.organization_id = o.id)`,
}

// Rebuild recomputes organization_closures and organizations.depth from
// parent_id, and gives the organizations without a history one (today's
// place since always), for data loaded in bulk past the ent hooks that normally
// maintain them. Run it in a transaction: between its statements the
// closure table is incomplete.
func Rebuild(ctx context.Context, ex Execer) error {
	for _, q := range rebuildSQL {
		if _, err := ex.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuilding the organization closure: %w", err)
		}
	}
	return nil
}
