// Package dbtest gives tests and code generators a real database: a SQLite
// file in a temp dir, or a throwaway PostgreSQL cluster on loopback that
// stops with the process that started it.
package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver
)

// ErrNoPostgres reports that no PostgreSQL server binaries were found.
var ErrNoPostgres = errors.New("PostgreSQL server binaries (initdb, postgres) not found; install them (apt-get install -y postgresql) or set KETNAP_TEST_POSTGRES")

// Cluster is a throwaway PostgreSQL cluster.
type Cluster struct {
	// URL is the base connection URL of the maintenance database.
	URL string
	// Port is the server's loopback port.
	Port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	n    int

	stopOnce sync.Once
}

// findBin returns the directory holding initdb and postgres.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		// initdb may be a symlink into the real directory, which holds
		// pg_basebackup as well.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "postgres")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoPostgres
}

// asPostgres wraps a command so that it runs as the postgres user when we
// are root (PostgreSQL refuses to run as root).
func asPostgres(name string, args ...string) (*exec.Cmd, error) {
	if os.Geteuid() != 0 {
		return exec.Command(name, args...), nil
	}
	if _, err := user.Lookup("postgres"); err != nil {
		return nil, fmt.Errorf("running PostgreSQL as root needs a postgres user: %w", err)
	}
	return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartPostgres initializes a cluster in a temp dir and starts it on a free
// loopback port with fsync off. The server dies with this process.
func StartPostgres() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := serverDir()
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Cluster, error) {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb, err := asPostgres(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	if err != nil {
		return fail(err)
	}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %w: %s", err, out))
	}
	return startServer(bin, dir)
}

// serverDir makes a temp dir for a server's files, owned by the postgres
// user when we are root.
func serverDir() (string, error) {
	dir, err := os.MkdirTemp("", "ketnap-pg-")
	if err != nil {
		return "", err
	}
	if os.Geteuid() == 0 {
		if err := os.Chmod(dir, 0o755); err != nil {
			_ = os.RemoveAll(dir)
			return "", err
		}
		pg, err := user.Lookup("postgres")
		if err != nil {
			_ = os.RemoveAll(dir)
			return "", fmt.Errorf("running PostgreSQL as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			_ = os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// startServer starts the server of dir/data on a free loopback port and
// waits until it accepts connections; it removes dir when it fails.
func startServer(bin, dir string) (*Cluster, error) {
	c := &Cluster{dir: dir, done: make(chan struct{})}
	fail := func(err error) (*Cluster, error) {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	cmd, err := asPostgres(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-p", strconv.Itoa(port), "-k", dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=256MB")
	if err != nil {
		return fail(err)
	}
	// Stop the server when this process dies, however it dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return fail(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fail(fmt.Errorf("starting postgres: %w", err))
	}
	c.cmd = cmd
	go func() { _ = cmd.Wait(); logf.Close(); close(c.done) }()
	c.Port = port
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	db, err := sql.Open("postgres", c.URL)
	if err != nil {
		c.Stop()
		return nil, err
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := db.Ping()
		if err == nil {
			return c, nil
		}
		select {
		case <-c.done:
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres exited: %s", log)
		default:
		}
		if time.Now().After(deadline) {
			c.Stop()
			return nil, fmt.Errorf("postgres did not become ready: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Pair is a primary and a hot standby streaming from it, both throwaway.
type Pair struct {
	Primary, Standby *Cluster
}

// StartPair starts a primary, takes a base backup of it with
// pg_basebackup -R (which configures streaming), and starts the standby on
// another loopback port. Both die with this process.
func StartPair() (*Pair, error) {
	primary, err := StartPostgres()
	if err != nil {
		return nil, err
	}
	hba := filepath.Join(primary.dir, "data", "pg_hba.conf")
	f, err := os.OpenFile(hba, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("host replication postgres 127.0.0.1/32 trust\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		var db *sql.DB
		if db, err = sql.Open("postgres", primary.URL); err == nil {
			_, err = db.Exec("SELECT pg_reload_conf()")
			db.Close()
		}
	}
	if err != nil {
		primary.Stop()
		return nil, fmt.Errorf("allowing replication: %w", err)
	}
	p := &Pair{Primary: primary}
	if p.Standby, err = p.StartStandby(); err != nil {
		primary.Stop()
		return nil, err
	}
	return p, nil
}

// StartStandby starts one more hot standby of the primary.
func (p *Pair) StartStandby() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := serverDir()
	if err != nil {
		return nil, err
	}
	bb, err := asPostgres(filepath.Join(bin, "pg_basebackup"), "-D", filepath.Join(dir, "data"), "-R", "-X", "stream",
		"-h", "127.0.0.1", "-p", strconv.Itoa(p.Primary.Port), "-U", "postgres", "--no-sync")
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if out, err := bb.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_basebackup: %w: %s", err, out)
	}
	standby, err := startServer(bin, dir)
	if err != nil {
		return nil, fmt.Errorf("starting the standby: %w", err)
	}
	return standby, nil
}

// Stop stops the standby and the primary.
func (p *Pair) Stop() {
	p.Standby.Stop()
	p.Primary.Stop()
}

// URLOf returns dsn, a database URL on the primary, pointed at c's port.
func (p *Pair) URLOf(c *Cluster, dsn string) string {
	return strings.Replace(dsn, fmt.Sprintf("127.0.0.1:%d/", p.Primary.Port), fmt.Sprintf("127.0.0.1:%d/", c.Port), 1)
}

// CreateDatabase creates a fresh, empty database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, prefix string) (string, error) {
	c.mu.Lock()
	c.n++
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), c.n)
	c.mu.Unlock()
	db, err := sql.Open("postgres", c.URL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return "", fmt.Errorf("creating database: %w", err)
	}
	return replaceDB(c.URL, name), nil
}

// Stop shuts the server down fast and removes its files; stopping a
// stopped server does nothing.
func (c *Cluster) Stop() {
	c.stopOnce.Do(c.stop)
}

func (c *Cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		// SIGINT is PostgreSQL's fast shutdown; runuser passes it on to the group.
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-c.done
		}
	}
	_ = os.RemoveAll(c.dir)
}

// replaceDB swaps the database name in a postgres URL.
func replaceDB(base, name string) string {
	const maint = "/postgres?"
	for i := len(base) - len(maint); i >= 0; i-- {
		if base[i:i+len(maint)] == maint {
			return base[:i] + "/" + name + "?" + base[i+len(maint):]
		}
	}
	return base
}
