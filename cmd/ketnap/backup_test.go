package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/ent/organization"
	"ketnap/internal/access/viewer"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
)

// TestBackupDuringWritesAndRestore backs the embedded database up while a
// writer keeps adding organizations, restores the copy, and checks that
// every write acknowledged before the backup started is in it, that the
// restore checked the rollups, and that it refuses to overwrite a database
// without --yes.
func TestBackupDuringWritesAndRestore(t *testing.T) {
	ctx := viewer.SystemContext(context.Background())
	path := filepath.Join(t.TempDir(), "live.db")
	live, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if _, err := live.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Tree changes run in a transaction, as the API's do.
	create := func(code string, kind organization.Kind, parent *int) (int, error) {
		tx, err := live.Client.Tx(ctx)
		if err != nil {
			return 0, err
		}
		o, err := tx.Organization.Create().SetCode(code).SetName("Tổ chức " + code).SetKind(kind).
			SetSector(organization.SectorSTATE_AGENCY).SetFoundedOn(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).
			SetNillableParentID(parent).Save(ctx)
		if err != nil {
			_ = tx.Rollback()
			return 0, err
		}
		return o.ID, tx.Commit()
	}
	root, err := create("ROOT", organization.KindBLOC, nil)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		acked []string
		stop  = make(chan struct{})
		wrote = make(chan error, 1)
	)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				wrote <- nil
				return
			default:
			}
			code := fmt.Sprintf("W%05d", i)
			if _, err := create(code, organization.KindBRANCH, &root); err != nil {
				wrote <- err
				return
			}
			mu.Lock()
			acked = append(acked, code)
			mu.Unlock()
		}
	}()
	waitAcked := func(n int) {
		for {
			mu.Lock()
			k := len(acked)
			mu.Unlock()
			if k >= n {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitAcked(20)
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	out := filepath.Join(t.TempDir(), "backup.db")
	e := testEnv(nil, io.Discard)
	if err := run(ctx, []string{"backup", "--db", path, "--out", out}, e); err != nil {
		t.Fatalf("backup: %v", err)
	}
	waitAcked(len(before) + 5) // writes went on during and after the copy
	close(stop)
	if err := <-wrote; err != nil {
		t.Fatalf("writer: %v", err)
	}

	if err := run(ctx, []string{"restore", "--db", path, out}, e); err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("restore over an existing database without --yes: %v", err)
	}
	target := filepath.Join(t.TempDir(), "restored.db")
	stdout := &syncBuffer{}
	e.stdout = stdout
	if err := run(ctx, []string{"restore", "--db", target, out}, e); err != nil {
		t.Fatalf("restore: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout.String(), "rollups match a rebuild") {
		t.Errorf("restore did not report the rollup check: %s", stdout)
	}
	restored, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.CheckCurrent(ctx); err != nil {
		t.Fatalf("restored schema: %v", err)
	}
	codes, err := restored.Client.Organization.Query().Select(organization.FieldCode).Strings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range codes {
		have[c] = true
	}
	for _, c := range before {
		if !have[c] {
			t.Errorf("write %s, acknowledged before the backup, is missing from it", c)
		}
	}
	t.Logf("%d writes acknowledged before the backup, %d organizations in it", len(before), len(codes))
}

func TestRestoreRefusesBadInput(t *testing.T) {
	e := testEnv(nil, io.Discard)
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := copyFile("backup.go", junk); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"restore", "--db", filepath.Join(t.TempDir(), "x.db"), junk}, e); err == nil || !strings.Contains(err.Error(), "not a SQLite database") {
		t.Errorf("restore of a non-database: %v", err)
	}
	if err := run(context.Background(), []string{"backup", "--db", dbtest.DSN(t, "sqlite")}, e); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("backup without --out: %v", err)
	}
}
