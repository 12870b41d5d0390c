package server_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"ketnap/graph/gqltest"
	"ketnap/graph/server"
)

// TestHeaders checks the security headers of the dashboard and the API,
// CORS for configured origins only, and the playground only in dev mode.
func TestHeaders(t *testing.T) {
	d := gqltest.New(t, "sqlite").DB
	dash := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>ketnap</title>")}}
	c := gqltest.Serve(t, d, server.Config{Dashboard: dash, CORSOrigins: []string{"https://dash.example.org"}})
	get := func(path, origin string) http.Header {
		req, _ := http.NewRequest(http.MethodGet, c.URL+path, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if path == "/playground" && resp.StatusCode != http.StatusOK {
			t.Errorf("playground: HTTP %d, want 200 (analysts use it with their token)", resp.StatusCode)
		}
		return resp.Header
	}
	h := get("/", "")
	for name, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
	} {
		if !strings.Contains(h.Get(name), want) {
			t.Errorf("dashboard %s = %q, want %q", name, h.Get(name), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP allows foreign scripts: %q", csp)
	}
	q := get("/query?query=%7B__typename%7D", "https://dash.example.org")
	if q.Get("Cache-Control") != "no-store" || q.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("API headers %v", q)
	}
	if q.Get("Access-Control-Allow-Origin") != "https://dash.example.org" {
		t.Errorf("configured origin not allowed: %v", q)
	}
	if o := get("/query?query=%7B__typename%7D", "https://evil.example.com").Get("Access-Control-Allow-Origin"); o != "" {
		t.Errorf("foreign origin allowed: %q", o)
	}
	p := get("/playground", "")
	if csp := p.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("playground CSP %q: want it to talk to this server only and never be framed", csp)
	}
}
