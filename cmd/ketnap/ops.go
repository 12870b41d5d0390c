package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ketnap/internal/db"
	"ketnap/internal/metrics"
)

// opsConfig is serve's configuration for running as a service: logs,
// metrics and read replicas.
type opsConfig struct {
	LogFormat     string
	LogLevel      string
	Replicas      []string
	ReplicaMaxLag time.Duration
	MetricsAddr   string
}

// replicaList is the repeatable --db-replica flag; the first one given
// replaces the list from the environment.
type replicaList struct {
	urls *[]string
	set  *bool
}

func (l replicaList) String() string {
	if l.urls == nil {
		return ""
	}
	return fmt.Sprintf("%d replica(s)", len(*l.urls))
}

func (l replicaList) Set(v string) error {
	if !*l.set {
		*l.urls, *l.set = nil, true
	}
	*l.urls = append(*l.urls, v)
	return nil
}

// opsFlags registers the flags of opsConfig with their environment fallbacks.
func opsFlags(fs *flag.FlagSet, e env) (*opsConfig, error) {
	c := &opsConfig{LogFormat: "text", LogLevel: "info", ReplicaMaxLag: db.DefaultReplicaMaxLag}
	if v := e.getenv("KETNAP_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	if v := e.getenv("KETNAP_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	if v := e.getenv("KETNAP_REPLICA_MAX_LAG"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return nil, fmt.Errorf("KETNAP_REPLICA_MAX_LAG: want a duration such as 5s, got %q", v)
		}
		c.ReplicaMaxLag = d
	}
	var fromEnv []string
	for _, u := range strings.Split(e.getenv("DATABASE_REPLICA_URLS"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			fromEnv = append(fromEnv, u)
		}
	}
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env KETNAP_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env KETNAP_LOG_LEVEL)")
	c.Replicas = fromEnv
	fs.Var(replicaList{urls: &c.Replicas, set: new(bool)}, "db-replica", "postgres:// URL of a streaming replica for reads; repeatable (env DATABASE_REPLICA_URLS, comma-separated)")
	fs.DurationVar(&c.ReplicaMaxLag, "replica-max-lag", c.ReplicaMaxLag, "skip a replica further behind the primary than this (env KETNAP_REPLICA_MAX_LAG)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", e.getenv("KETNAP_METRICS_ADDR"), "serve /metrics without a token on this address, e.g. 127.0.0.1:9090; off when empty (env KETNAP_METRICS_ADDR)")
	return c, nil
}

// validate checks the parsed configuration; primary is the --db address.
func (c *opsConfig) validate(primary string) error {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format/KETNAP_LOG_FORMAT: want text or json, got %q", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.ReplicaMaxLag < 100*time.Millisecond || c.ReplicaMaxLag > time.Hour {
		return fmt.Errorf("--replica-max-lag/KETNAP_REPLICA_MAX_LAG: want between 100ms and 1h, got %s", c.ReplicaMaxLag)
	}
	if len(c.Replicas) > 0 && !db.IsPostgres(primary) {
		return errors.New("--db-replica/DATABASE_REPLICA_URLS: replicas need a postgres:// primary in --db/DATABASE_URL")
	}
	for i, r := range c.Replicas {
		if u, err := url.Parse(r); err != nil || !db.IsPostgres(r) || u.Host == "" {
			// Not echoed: the address may hold a password.
			return fmt.Errorf("--db-replica/DATABASE_REPLICA_URLS: replica %d is not a postgres:// URL", i+1)
		}
	}
	if c.MetricsAddr != "" {
		if err := validateAddr("--metrics-addr/KETNAP_METRICS_ADDR", c.MetricsAddr); err != nil {
			return err
		}
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level/KETNAP_LOG_LEVEL: want debug, info, warn or error, got %q", s)
	}
	return l, nil
}

// logger returns the logger the configuration asks for, writing to w; the
// default (text, info) is base, the process's own.
func (c *opsConfig) logger(base *slog.Logger, w io.Writer) *slog.Logger {
	if c.LogFormat == "text" && strings.EqualFold(c.LogLevel, "info") {
		return base
	}
	level, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// replicaDSNs gives each replica address the server's statement timeout.
func (c *opsConfig) replicaDSNs(timeout time.Duration) []string {
	out := make([]string, len(c.Replicas))
	for i, r := range c.Replicas {
		out[i] = withStatementTimeout(r, timeout)
	}
	return out
}

// readiness reports the server ready when it can answer: the primary is
// reachable with a current schema, or, with replicas, the primary is away
// but a replica answers reads.
func readiness(d *db.DB) func(context.Context) error {
	return func(ctx context.Context) error {
		r := d.Router
		if r != nil && len(r.Replicas()) > 0 && !r.PrimaryUp() {
			for _, s := range r.States() {
				if s.Role == "replica" && s.State == "up" {
					return nil // read-only for now, but serving
				}
			}
			return errors.New("no database server answers")
		}
		if err := d.SQL.PingContext(ctx); err != nil {
			return err
		}
		return d.CheckCurrent(ctx)
	}
}

// serveMetrics serves /metrics on addr until ctx ends; errors are logged.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("serving metrics", "addr", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serving metrics", "error", err)
	}
}
