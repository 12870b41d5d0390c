// Package metrics holds ketnap's Prometheus metrics: requests by operation
// and outcome, the answer cache, SQL statements per request, the database
// servers and their pools, imports and failed sign-ins. Labels never hold
// variables or personal data: operation names are bounded (see Operation),
// outcomes are error codes, servers are "primary" and "replicaN".
package metrics

import (
	"database/sql"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MaxOperations bounds the distinct operation names used as label values;
// later names are reported as "other".
const MaxOperations = 200

// Metrics is one process's metrics, registered on its own registry (no
// global state, so tests and several servers in a process do not clash).
type Metrics struct {
	// Registry holds every metric below, and the Go and process collectors.
	Registry *prometheus.Registry

	// Requests counts GraphQL requests by operation, type and outcome.
	Requests *prometheus.CounterVec
	// Duration observes their latency by operation and outcome.
	Duration *prometheus.HistogramVec
	// Statements observes the SQL statements of each request.
	Statements prometheus.Histogram
	// SQLTime observes the time each request spent in SQL.
	SQLTime prometheus.Histogram
	// CacheHits and CacheMisses count cacheable answers served from memory
	// or computed; CacheEvictions counts answers dropped for space.
	CacheHits, CacheMisses prometheus.Counter
	// ImportJobs counts imports by outcome.
	ImportJobs *prometheus.CounterVec
	// LoginFailures counts refused sign-ins.
	LoginFailures prometheus.Counter

	mu    sync.Mutex
	names map[string]bool
}

// New returns a fresh set of metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ketnap_graphql_requests_total", Help: "GraphQL requests by operation name, type and outcome (ok or an error code).",
		}, []string{"operation", "type", "outcome"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ketnap_graphql_request_duration_seconds", Help: "GraphQL request latency by operation name and outcome.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation", "outcome"}),
		Statements: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ketnap_sql_statements_per_request", Help: "SQL statements run by one GraphQL request.",
			Buckets: []float64{0, 1, 2, 5, 10, 20, 50, 100, 200, 500},
		}),
		SQLTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ketnap_sql_seconds_per_request", Help: "Time one GraphQL request spent running SQL.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		CacheHits:   prometheus.NewCounter(prometheus.CounterOpts{Name: "ketnap_answer_cache_hits_total", Help: "Statistics answers served from the answer cache."}),
		CacheMisses: prometheus.NewCounter(prometheus.CounterOpts{Name: "ketnap_answer_cache_misses_total", Help: "Cacheable statistics answers computed."}),
		ImportJobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ketnap_import_jobs_total", Help: "Imports by outcome (ok or an error code).",
		}, []string{"outcome"}),
		LoginFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "ketnap_login_failures_total", Help: "Refused sign-in attempts."}),
		names:         map[string]bool{},
	}
	m.Registry.MustRegister(m.Requests, m.Duration, m.Statements, m.SQLTime, m.CacheHits, m.CacheMisses, m.ImportJobs, m.LoginFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Operation returns the label value for a GraphQL operation name: the name
// itself for the first MaxOperations well-formed names, "anonymous" for none
// and "other" beyond the bound, so no client can grow the label set.
func (m *Metrics) Operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !wellFormed(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= MaxOperations {
		return "other"
	}
	m.names[name] = true
	return name
}

// wellFormed tells whether name is a GraphQL name of at most 64 characters.
func wellFormed(name string) bool {
	if len(name) > 64 {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// CacheSizer reports an answer cache's entries, bytes and evictions.
type CacheSizer interface {
	Len() (n, bytes int)
	Evictions() int64
}

// AnswerCache registers the gauges of an answer cache's size and its
// eviction counter, read at each scrape.
func (m *Metrics) AnswerCache(c CacheSizer) {
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ketnap_answer_cache_bytes", Help: "Bytes of answers kept in the answer cache."},
			func() float64 { _, b := c.Len(); return float64(b) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ketnap_answer_cache_entries", Help: "Answers kept in the answer cache."},
			func() float64 { n, _ := c.Len(); return float64(n) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ketnap_answer_cache_evictions_total", Help: "Answers dropped from the answer cache for space."},
			func() float64 { return float64(c.Evictions()) }),
	)
}

// ServerState is a database server's state at a scrape.
type ServerState struct {
	Name       string
	Up         bool
	LagSeconds float64
	Statements int64
}

// Databases registers the database servers: each pool's use (database/sql
// statistics, labelled db_name=server) and, from states, whether each
// server is up, its replication lag and its statements.
func (m *Metrics) Databases(pools map[string]*sql.DB, states func() []ServerState) {
	for name, db := range pools {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	m.Registry.MustRegister(&serverCollector{states: states})
}

var (
	upDesc   = prometheus.NewDesc("ketnap_db_up", "Whether the database server answered its last check.", []string{"server"}, nil)
	lagDesc  = prometheus.NewDesc("ketnap_db_replica_lag_seconds", "How far a replica's replay is behind the primary.", []string{"server"}, nil)
	stmtDesc = prometheus.NewDesc("ketnap_db_statements_total", "SQL statements sent to the database server.", []string{"server"}, nil)
)

type serverCollector struct{ states func() []ServerState }

func (c *serverCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- upDesc
	ch <- lagDesc
	ch <- stmtDesc
}

func (c *serverCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.states() {
		up := 0.0
		if s.Up {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up, s.Name)
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, s.LagSeconds, s.Name)
		ch <- prometheus.MustNewConstMetric(stmtDesc, prometheus.CounterValue, float64(s.Statements), s.Name)
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
