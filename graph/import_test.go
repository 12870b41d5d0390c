package graph_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"ketnap/graph/gqltest"
)

// upload posts importRecords as a multipart request (GraphQL multipart
// request spec), as a browser would.
func upload(t *testing.T, c *gqltest.Client, entity, name, content string, dryRun bool) (report struct {
	OK                          bool
	Created, Updated, Unchanged int
	Errors                      []struct {
		Row     int
		Column  string
		Code    string
		Message string
	}
}) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query": `mutation($f: Upload!, $e: ImportEntity!, $d: Boolean) { importRecords(file: $f, entity: $e, dryRun: $d) {
		  ok created updated unchanged errors { row column code message } } }`,
		"variables": map[string]any{"f": nil, "e": entity, "d": dryRun},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.f"]}`)
	part, _ := w.CreateFormFile("0", name)
	_, _ = part.Write([]byte(content))
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, c.URL+"/query", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.Header.Clone()
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			ImportRecords json.RawMessage
		}
		Errors gqltest.Errors
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("importRecords: %v", out.Errors)
	}
	if err := json.Unmarshal(out.Data.ImportRecords, &report); err != nil {
		t.Fatal(err)
	}
	return report
}

func TestImportUpload(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		const orgs = "Mã tổ chức,Tên tổ chức,Loại tổ chức,Khu vực,Mã tổ chức cấp trên,Ngày thành lập\n" +
			"CB-01,Chi bộ 1,Chi bộ trực thuộc,Đơn vị sự nghiệp,DBK,01/01/2010\n" +
			"DBK,Đảng bộ Khối,Đảng bộ khối,Khác,,01/01/1990\n"
		bad := orgs + "CB-02,Chi bộ 2,Chi bộ lạ,Khác,,32/01/2010\n"
		rep := upload(t, c, "ORGANIZATIONS", "orgs.csv", bad, false)
		if rep.OK || len(rep.Errors) != 2 || rep.Errors[0].Row != 4 || rep.Errors[0].Column != "Loại tổ chức" || rep.Errors[1].Column != "Ngày thành lập" {
			t.Fatalf("bad file: %+v", rep)
		}
		var count struct{ Organizations struct{ TotalCount int } }
		c.MustDo(`{ organizations { totalCount } }`, nil, &count)
		if count.Organizations.TotalCount != 0 {
			t.Fatalf("a rejected import wrote %d organizations", count.Organizations.TotalCount)
		}
		if rep := upload(t, c, "ORGANIZATIONS", "orgs.csv", orgs, true); !rep.OK || rep.Created != 2 {
			t.Fatalf("dry run: %+v", rep)
		}
		c.MustDo(`{ organizations { totalCount } }`, nil, &count)
		if count.Organizations.TotalCount != 0 {
			t.Fatalf("a dry run wrote %d organizations", count.Organizations.TotalCount)
		}
		if rep := upload(t, c, "ORGANIZATIONS", "orgs.csv", orgs, false); !rep.OK || rep.Created != 2 {
			t.Fatalf("import: %+v", rep)
		}
		if rep := upload(t, c, "ORGANIZATIONS", "orgs.csv", orgs, false); !rep.OK || rep.Unchanged != 2 {
			t.Fatalf("re-import: %+v", rep)
		}
		var tree struct {
			Organizations struct {
				Edges []struct {
					Node struct{ Code, Parent struct{ Code string } }
				}
			}
		}
		_ = tree
		var events struct{ AuditEvents struct{ TotalCount int } }
		c.MustDo(`{ auditEvents(where: {entityType: "Organization"}) { totalCount } }`, nil, &events)
		if events.AuditEvents.TotalCount != 2 {
			t.Fatalf("%d audit events for 2 organizations imported twice", events.AuditEvents.TotalCount)
		}
	})
}
