package main

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"ketnap/internal/db"
)

// dbFlag registers --db with its DATABASE_URL fallback.
func dbFlag(fs *flag.FlagSet, e env) *string {
	def := e.getenv("DATABASE_URL")
	if def == "" {
		def = db.DefaultPath
	}
	return fs.String("db", def, "database: a postgres:// URL or a SQLite file path (env DATABASE_URL)")
}

// boolEnv reads a boolean environment variable, naming it when invalid.
func boolEnv(e env, name string) (bool, error) {
	v := e.getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s: want true or false, got %q", name, v)
	}
	return b, nil
}

// validateAddr checks a listen address of the form host:port.
func validateAddr(name, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: want host:port such as :8080 or 127.0.0.1:8080, got %q", name, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s: invalid port %q", name, port)
	}
	return nil
}

// parseOrigins splits and checks a comma-separated list of CORS origins.
func parseOrigins(name, list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			return nil, fmt.Errorf("%s: a wildcard origin is not allowed; list the dashboard's origins", name)
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("%s: %q is not an origin such as https://example.org", name, o)
		}
		out = append(out, strings.TrimSuffix(o, "/"))
	}
	return out, nil
}

// validateDB checks the form of a database address without echoing secrets.
func validateDB(dsn string) error {
	if db.IsPostgres(dsn) {
		if _, err := url.Parse(dsn); err != nil {
			return fmt.Errorf("--db/DATABASE_URL: not a valid postgres:// URL")
		}
		return nil
	}
	if strings.Contains(dsn, "://") {
		return fmt.Errorf("--db/DATABASE_URL: want a postgres:// URL or a SQLite file path")
	}
	return nil
}

// mbFlag registers an integer MiB flag whose default comes from the
// environment variable env (a bad value is an error naming it); check
// validates the parsed value against [lo, hi].
func mbFlag(fs *flag.FlagSet, e env, name, envName string, def int, usage string) (*int, error) {
	if v := e.getenv(envName); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s: want a whole number of MiB, got %q", envName, v)
		}
		def = n
	}
	return fs.Int(name, def, usage+" (env "+envName+")"), nil
}

// checkMB checks a MiB value parsed by mbFlag.
func checkMB(name, envName string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s/%s: want between %d and %d, got %d", name, envName, lo, hi, v)
	}
	return nil
}
