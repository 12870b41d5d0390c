// Command ketnap-load sends the dashboard's request mix to one or more
// ketnap API processes, round robin as a load balancer would, and reports
// the throughput and latency. run.sh beside it builds the whole setup (a
// PostgreSQL primary, a streaming replica, N API processes) and runs it;
// BENCHMARKS.md records what it measured.
//
// The mix: the dashboard's own request (read from
// dashboard/src/dashboard.graphql, --query) for views picked at random —
// 10 % the top of the tree, 30 % a child of the top, 60 % a grassroots
// organization below it — over two periods (ten years by YEAR, one year by
// QUARTER), each view as a leader's browser asks it. --views root sends
// only the top of the tree. --writes N adds N createCandidate mutations a
// second at random grassroots organizations (a day's work going on while
// leaders read), and the report then gives the answers computed per write
// (the answer cache's misses, read from /metrics with the ADMIN token).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ketnap-load:", err)
		os.Exit(1)
	}
}

type config struct {
	urls        []string
	username    string
	password    string
	query       string
	concurrency int
	duration    time.Duration
	seed        uint64
	// rootOnly sends only the top of the tree's view.
	rootOnly bool
	// writes is the createCandidate mutations sent a second.
	writes float64
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("ketnap-load", flag.ContinueOnError)
	urls := fs.String("urls", "http://127.0.0.1:8080", "comma-separated base URLs of the API processes, used round robin")
	c := config{}
	fs.StringVar(&c.username, "username", "bench", "an ADMIN's user name")
	fs.StringVar(&c.password, "password", os.Getenv("KETNAP_LOAD_PASSWORD"), "its password (env KETNAP_LOAD_PASSWORD)")
	fs.StringVar(&c.query, "query", "dashboard/src/dashboard.graphql", "file holding the dashboard's request")
	fs.IntVar(&c.concurrency, "concurrency", 8, "requests in flight at once (browsers waiting for a view)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long to send requests")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the views picked")
	mix := fs.String("views", "all", "all (the mix) or root (only the top of the tree)")
	fs.Float64Var(&c.writes, "writes", 0, "createCandidate mutations a second, at random grassroots organizations")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch *mix {
	case "all":
	case "root":
		c.rootOnly = true
	default:
		return fmt.Errorf("--views %q: want all or root", *mix)
	}
	if c.writes < 0 || c.writes > 1000 {
		return errors.New("--writes: want 0 to 1000 a second")
	}
	for _, u := range strings.Split(*urls, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.urls = append(c.urls, u)
		}
	}
	if len(c.urls) == 0 || c.concurrency < 1 || c.duration <= 0 {
		return errors.New("want at least one --urls, --concurrency ≥ 1 and a positive --duration")
	}
	doc, err := os.ReadFile(c.query)
	if err != nil {
		return fmt.Errorf("--query: %w", err)
	}
	cl := &client{http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.concurrency}, Timeout: 30 * time.Second}}
	if cl.token, err = cl.login(ctx, c.urls[0], c.username, c.password); err != nil {
		return err
	}
	v, err := views(ctx, cl, c.urls[0], string(doc))
	if err != nil {
		return err
	}
	misses0, err0 := cl.misses(ctx, c.urls)
	res := load(ctx, cl, c, string(doc), v)
	res.computed = -1
	if misses1, err := cl.misses(ctx, c.urls); err0 == nil && err == nil {
		res.computed = misses1 - misses0
	}
	res.report(out, c)
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed, first: %s", res.errors, res.firstErr)
	}
	if res.writeErrors > 0 {
		return fmt.Errorf("%d writes failed, first: %s", res.writeErrors, res.firstWriteErr)
	}
	return nil
}

var missesLine = regexp.MustCompile(`(?m)^ketnap_answer_cache_misses_total ([0-9.e+]+)$`)

// misses sums the answer cache's misses over the processes (their
// /metrics, which the ADMIN token may read); -1 when one is not served.
func (c *client) misses(ctx context.Context, urls []string) (int64, error) {
	var total int64
	for _, base := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
		if err != nil {
			return -1, err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.http.Do(req)
		if err != nil {
			return -1, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return -1, fmt.Errorf("/metrics: status %d", resp.StatusCode)
		}
		m := missesLine.FindSubmatch(body)
		if m == nil {
			return -1, errors.New("/metrics: no answer cache misses")
		}
		f, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return -1, err
		}
		total += int64(f)
	}
	return total, nil
}

type client struct {
	http  *http.Client
	token string
}

// post sends one GraphQL request and returns its data, or an error for a
// transport failure, a status other than 200 or any GraphQL error.
func (c *client) post(ctx context.Context, base, query string, vars map[string]any) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/query", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, out.Errors[0].Message)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return out.Data, nil
}

func (c *client) login(ctx context.Context, base, username, password string) (string, error) {
	data, err := c.post(ctx, base, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`,
		map[string]any{"u": username, "p": password})
	if err != nil {
		return "", fmt.Errorf("signing in as %s: %w", username, err)
	}
	var out struct{ Login struct{ Token string } }
	if err := json.Unmarshal(data, &out); err != nil || out.Login.Token == "" {
		return "", fmt.Errorf("signing in as %s: no token", username)
	}
	return out.Login.Token, nil
}

var periods = []map[string]any{
	{"from": "2016-01-01", "to": "2025-12-31", "granularity": "YEAR"},
	{"from": "2024-01-01", "to": "2024-12-31", "granularity": "QUARTER"},
}

// views lists the organizations the mix draws from: the top of the tree,
// its children, and the children of the first twenty of those.
func views(ctx context.Context, c *client, base, doc string) ([3][]any, error) {
	var v [3][]any
	children := func(org any) ([]any, error) {
		data, err := c.post(ctx, base, doc, map[string]any{"org": org, "from": "2024-01-01", "to": "2024-12-31", "granularity": "YEAR"})
		if err != nil {
			return nil, fmt.Errorf("listing the tree: %w", err)
		}
		var out struct {
			Stats struct {
				Children []struct{ Organization struct{ ID string } }
			}
		}
		if err := json.Unmarshal(data, &out); err != nil {
			return nil, err
		}
		var ids []any
		for _, ch := range out.Stats.Children {
			ids = append(ids, ch.Organization.ID)
		}
		return ids, nil
	}
	v[0] = []any{nil}
	top, err := children(nil)
	if err != nil {
		return v, err
	}
	if len(top) == 1 {
		// One root (a province's database): its children are the second level.
		v[0] = top
		if top, err = children(top[0]); err != nil {
			return v, err
		}
	}
	v[1] = top
	for _, org := range top[:min(20, len(top))] {
		ids, err := children(org)
		if err != nil {
			return v, err
		}
		v[2] = append(v[2], ids...)
	}
	if len(v[1]) == 0 || len(v[2]) == 0 {
		return v, errors.New("the tree is too shallow for the mix: seed the database first (ketnap seed synthetic --scale M)")
	}
	return v, nil
}

type result struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	firstErr  string
	elapsed   time.Duration
	// writes acknowledged and failed; computed is the answers computed
	// (cache misses), -1 when /metrics could not be read.
	writes, writeErrors int
	firstWriteErr       string
	computed            int64
}

const createCandidate = `mutation($in: CreateCandidateInput!) { createCandidate(input: $in) { id } }`

// write sends createCandidate mutations at cfg.writes a second until ctx
// ends, each at a random grassroots organization of the mix.
func write(ctx context.Context, c *client, cfg config, orgs []any, res *result) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.writes))
	defer tick.Stop()
	rng := rand.New(rand.NewPCG(cfg.seed, 1<<32))
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		in := map[string]any{
			"fullName": fmt.Sprintf("Người thử tải %d", n), "gender": "FEMALE", "birthDate": "1998-05-17",
			"occupation": "CIVIL_SERVANT", "organizationID": orgs[rng.IntN(len(orgs))],
		}
		_, err := c.post(ctx, cfg.urls[0], createCandidate, map[string]any{"in": in})
		if ctx.Err() != nil {
			return
		}
		res.mu.Lock()
		if err != nil {
			if res.writeErrors == 0 {
				res.firstWriteErr = err.Error()
			}
			res.writeErrors++
		} else {
			res.writes++
		}
		res.mu.Unlock()
	}
}

func load(ctx context.Context, c *client, cfg config, doc string, v [3][]any) *result {
	res := &result{}
	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var next atomic.Uint64
	var wg sync.WaitGroup
	start := time.Now()
	if cfg.writes > 0 {
		wg.Add(1)
		go func() { defer wg.Done(); write(ctx, c, cfg, v[2], res) }()
	}
	for w := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(w)))
			for ctx.Err() == nil {
				level := 2
				switch p := rng.IntN(10); {
				case cfg.rootOnly || p == 0:
					level = 0
				case p < 4:
					level = 1
				}
				vars := map[string]any{"org": v[level][rng.IntN(len(v[level]))]}
				for k, x := range periods[rng.IntN(len(periods))] {
					vars[k] = x
				}
				base := cfg.urls[next.Add(1)%uint64(len(cfg.urls))]
				t0 := time.Now()
				_, err := c.post(ctx, base, doc, vars)
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				res.mu.Lock()
				if err != nil {
					if res.errors == 0 {
						res.firstErr = err.Error()
					}
					res.errors++
				} else {
					res.latencies = append(res.latencies, d)
				}
				res.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func (r *result) report(w io.Writer, c config) {
	slices.Sort(r.latencies)
	pct := func(p float64) float64 {
		if len(r.latencies) == 0 {
			return 0
		}
		return float64(r.latencies[int(p*float64(len(r.latencies)-1))].Microseconds()) / 1000
	}
	fmt.Fprintf(w, "processes %d, concurrency %d, %s: %d requests, %d errors, %.1f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
		len(c.urls), c.concurrency, r.elapsed.Round(time.Millisecond), len(r.latencies), r.errors,
		float64(len(r.latencies))/r.elapsed.Seconds(), pct(0.50), pct(0.95), pct(0.99))
	if c.writes > 0 {
		fmt.Fprintf(w, "  writes: %d acknowledged, %d failed", r.writes, r.writeErrors)
		if r.computed >= 0 && r.writes > 0 {
			fmt.Fprintf(w, "; %d answers computed, %.2f per write; p99.5 %.1f ms", r.computed, float64(r.computed)/float64(r.writes), pct(0.995))
		}
		fmt.Fprintln(w)
	}
}
