package server_test

import (
	"net/http"
	"strings"
	"testing"

	"ketnap/graph/gqltest"
)

// TestNoCORSByDefault checks that a server started without --cors-origin
// answers no cross-origin request, preflight or simple (issue 12, item 5).
func TestNoCORSByDefault(t *testing.T) {
	c := gqltest.New(t, "sqlite")
	for _, method := range []string{http.MethodOptions, http.MethodGet} {
		req, _ := http.NewRequest(method, c.URL+"/query?query=%7B__typename%7D", nil)
		req.Header.Set("Origin", "https://evil.example.com")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if o := resp.Header.Get("Access-Control-Allow-Origin"); o != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q without any configured origin", method, o)
		}
	}
}

// TestErrorsQuoteNothing checks that refused requests tell an anonymous
// caller nothing about the schema and never echo the request (item 6).
func TestErrorsQuoteNothing(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		anon := c.Anonymous()
		const secret = "s3cret-passw0rd"
		cases := map[string]string{
			"suggestion": `{"query":"{ candidates(first: 1) { edges { node { nationalId } } } }"}`,
			"malformed":  `{"query":"mutation { login(username: \"admin\", password: \"` + secret + `\") { token } }"`,
			"batch":      `[{"query":"mutation { login(username: \"admin\", password: \"` + secret + `\") { token } }"}]`,
		}
		for name, body := range cases {
			for who, cl := range map[string]*gqltest.Client{"anon": anon, "admin": c} {
				t.Run(name+"/"+who, func(t *testing.T) {
					_, raw := cl.Post([]byte(body))
					s := string(raw)
					if strings.Contains(s, "Did you mean") || strings.Contains(s, secret) || strings.Contains(s, "login(") {
						t.Fatalf("the answer suggests fields or echoes the request: %s", s)
					}
					if !strings.Contains(s, `"code"`) {
						t.Fatalf("no coded error: %s", s)
					}
				})
			}
		}
		t.Run("token-limit", func(t *testing.T) {
			q := "{ " + strings.Repeat("__typename ", 20000) + "}"
			_, raw := c.Post(mustJSON(t, map[string]any{"query": q}))
			if !strings.Contains(string(raw), "token limit") && !strings.Contains(string(raw), "TOKEN") {
				t.Fatalf("a 20.000-token query was not refused by the parser: %.300s", raw)
			}
		})
	})
}
