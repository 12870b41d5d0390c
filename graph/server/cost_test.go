package server_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
)

// peakRSS reads the test process's peak resident set (VmHWM) in MiB; the
// server under test runs in this process.
func peakRSS(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatalf("reading /proc/self/status: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb >> 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// maxRSS is the peak the server may reach during an attack (issue 12,
// "Done when").
const maxRSS = 300

// postUpload posts an import of file named name and returns the raw answer.
func postUpload(t *testing.T, c *gqltest.Client, name string, file []byte) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload!) { importRecords(file: $f, entity: CANDIDATES, dryRun: true) { ok } }`,
		"variables": map[string]any{"f": nil},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.f"]}`)
	part, _ := w.CreateFormFile("0", name)
	_, _ = part.Write(file)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.URL+"/query", &body)
	req.Header = c.Header.Clone()
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

// sparseSheet is a tiny .xlsx whose cells sit at the sheet's far column
// and far rows: read naively it is a million rows of sixteen thousand
// columns. Its worksheet is written by hand (excelize itself would pad it).
func sparseSheet(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	_ = f.SetCellStr("Sheet1", "A1", "Họ và tên")
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>`)
	for r := 2; r < 1048576; r += 1000 {
		n := strconv.Itoa(r)
		sheet.WriteString(`<row r="` + n + `"><c r="XFD` + n + `" t="inlineStr"><is><t>x</t></is></c></row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		w, _ := zw.Create(zf.Name)
		if zf.Name == "xl/worksheets/sheet1.xml" {
			_, _ = w.Write([]byte(sheet.String()))
			continue
		}
		rc, _ := zf.Open()
		_, _ = io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zipBomb is a small .xlsx whose worksheet unpacks to 400 MiB of zeros,
// twice the unzip limit.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := z.Create(name)
		_, _ = w.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 400 {
		_, _ = w.Write(zeros)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAttacksStayCheap checks issue 12, items 7–9: the 4-level query, the
// sparse sheet and the zip bomb each get a clear coded error, and the
// process's peak RSS stays under maxRSS MiB.
func TestAttacksStayCheap(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		analyst := c.As(t, viewer.RoleAnalyst, f.a)
		vw := c.As(t, viewer.RoleViewer, f.a)
		check := func(t *testing.T, raw []byte, codes ...string) {
			t.Helper()
			for _, code := range codes {
				if strings.Contains(string(raw), `"code":"`+code+`"`) {
					if rss := peakRSS(t); rss > maxRSS {
						t.Fatalf("peak RSS %d MiB, over %d", rss, maxRSS)
					}
					t.Logf("refused with %s; peak RSS %d MiB", code, peakRSS(t))
					return
				}
			}
			t.Fatalf("want one of %v, got %.400s", codes, raw)
		}
		t.Run("4-level-query", func(t *testing.T) {
			q := `{ annualPlans(first: 1000) { edges { node { organization { annualPlans { organization { annualPlans {
				organization { annualPlans { organization { annualPlans { year admissionTarget } } } } } } } } } } } }`
			_, raw := vw.Post(mustJSON(t, map[string]any{"query": q}))
			check(t, raw, "COMPLEXITY_LIMIT_EXCEEDED")
		})
		t.Run("viewer-upload", func(t *testing.T) {
			status, raw := postUpload(t, vw, "x.xlsx", sparseSheet(t))
			if status != http.StatusForbidden {
				t.Errorf("HTTP %d", status)
			}
			check(t, raw, "FORBIDDEN")
		})
		t.Run("sparse-sheet", func(t *testing.T) {
			_, raw := postUpload(t, analyst, "sparse.xlsx", sparseSheet(t))
			check(t, raw, "TOO_MANY_COLUMNS", "TOO_MANY_ROWS")
		})
		t.Run("zip-bomb", func(t *testing.T) {
			bomb := zipBomb(t)
			if len(bomb) > 2<<20 {
				t.Fatalf("the bomb is %d bytes", len(bomb))
			}
			_, raw := postUpload(t, analyst, "bomb.xlsx", bomb)
			check(t, raw, "FILE_TOO_LARGE")
		})
		t.Run("oversized-body", func(t *testing.T) {
			status, raw := postUpload(t, analyst, "big.csv", bytes.Repeat([]byte("a,b\n"), 6<<20))
			if status == http.StatusOK && !strings.Contains(string(raw), "FILE_TOO_LARGE") {
				t.Fatalf("a 24 MiB upload was read: %.300s", raw)
			}
			check(t, raw, "FILE_TOO_LARGE")
		})
	})
}

// TestResponseCap checks issue 12, item 8's cap: an answer over
// --max-response-mb (here 4 KiB) is refused with RESPONSE_TOO_LARGE and
// none of its data, and a smaller one is answered.
func TestResponseCap(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect, server.Config{MaxResponseBytes: 4 << 10})
		buildFixture(t, c)
		var q strings.Builder
		q.WriteString("{")
		for i := range 40 {
			fmt.Fprintf(&q, " o%d: organizations(first: 100) { edges { node { id code name kind sector foundedOn } } }", i)
		}
		q.WriteString(" }")
		_, raw := c.Post(mustJSON(t, map[string]any{"query": q.String()}))
		if !strings.Contains(string(raw), `"code":"RESPONSE_TOO_LARGE"`) || strings.Contains(string(raw), "Tổ chức") {
			t.Fatalf("a large answer: %.400s", raw)
		}
		if !strings.Contains(string(raw), "4 KiB") {
			t.Errorf("the error does not name the cap: %.400s", raw)
		}
		if err := c.Do(`{ organizations(first: 2) { totalCount } }`, nil, nil); err != nil {
			t.Fatal(err)
		}
	})
}
