package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ketnap/internal/db"
)

// Dialects are the databases every suite runs on.
var Dialects = []string{"sqlite", "postgres"}

var (
	shared     *Cluster
	sharedErr  error
	sharedOnce sync.Once
)

// InCI reports whether the tests run under CI, where nothing may be skipped
// for lack of PostgreSQL or the browser.
func InCI() bool { return os.Getenv("CI") == "true" }

// postgresURL returns a server to create test databases on: KETNAP_TEST_POSTGRES
// when set, else a cluster started once for this test binary.
func postgresURL() (string, error) {
	if u := os.Getenv("KETNAP_TEST_POSTGRES"); u != "" {
		return u, nil
	}
	sharedOnce.Do(func() { shared, sharedErr = StartPostgres() })
	if sharedErr != nil {
		return "", sharedErr
	}
	return shared.URL, nil
}

// Main runs a package's tests and stops the shared cluster afterwards. Call it
// from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// Open returns a fresh, migrated database of the given dialect, closed when
// the test ends. Without PostgreSQL the test is skipped, except under CI,
// where it fails.
func Open(t testing.TB, dialect string) *db.DB {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t, dialect)
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrating %s: %v", dialect, err)
	}
	return d
}

// DSN returns the address of a fresh, empty database of the given dialect.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		base, err := postgresURL()
		if err != nil {
			if InCI() {
				t.Fatalf("PostgreSQL is required under CI=true: %v", err)
			}
			t.Skipf("PostgreSQL unavailable: %v", err)
		}
		c := &Cluster{URL: base}
		if shared != nil && shared.URL == base {
			c = shared
		}
		prefix := strings.ToLower(strings.NewReplacer("/", "_", " ", "_", "-", "_").Replace(t.Name()))
		if len(prefix) > 30 {
			prefix = prefix[:30]
		}
		dsn, err := c.CreateDatabase(context.Background(), "t_"+prefix)
		if err != nil {
			t.Fatalf("creating PostgreSQL database: %v", err)
		}
		return dsn
	}
	panic(fmt.Sprintf("dbtest: unknown dialect %q", dialect))
}
