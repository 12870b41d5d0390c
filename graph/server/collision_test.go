package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"ketnap/ent/accesslog"
	"ketnap/graph/gqltest"
	"ketnap/internal/access/readlog"
	"ketnap/internal/access/viewer"
)

// importCSV posts a dry-run import of candidates from a CSV file and returns
// the raw answer.
func importCSV(t *testing.T, c *gqltest.Client, csv string) []byte {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query": `mutation($f: Upload!) { importRecords(file: $f, entity: CANDIDATES, dryRun: true) {
			created errors { row column code vi en } } }`,
		"variables": map[string]any{"f": nil},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.f"]}`)
	part, _ := w.CreateFormFile("0", "people.csv")
	_, _ = part.Write([]byte(csv))
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
	return buf.Bytes()
}

// TestExistenceOracle checks issue 12, item 4: an ANALYST whose write
// collides with the national ID or phone number of a person outside their
// scope gets the same CONFLICT as for a person inside it, naming nothing of
// the other record; each such collision is in the access log; past the limit
// the analyst's writes of such values are refused.
func TestExistenceOracle(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect)
		f := buildFixture(t, c)
		sys := viewer.SystemContext(context.Background())
		const outID, outPhone, inID = "094190000777", "0912000777", "094190000111"
		c.DB.Client.Candidate.UpdateOneID(f.cb).SetNationalID(outID).SetPhone(outPhone).ExecX(sys)
		// A second person of A1, in the analyst's scope.
		c.DB.Client.Candidate.Create().SetFullName("Lê Văn Cường").SetGender("MALE").SetBirthDate(day(1996, 1, 2)).
			SetOccupation("CIVIL_SERVANT").SetOrganizationID(f.a1).SetNationalID(inID).ExecX(sys)
		an := c.As(t, viewer.RoleAnalyst, f.a)
		const update = `mutation($id: ID!, $input: UpdateCandidateInput!) { updateCandidate(id: $id, input: $input) { id } }`
		conflicts := func() []int {
			rows, err := c.DB.Client.AccessLog.Query().
				Where(accesslog.UserID(an.UserID), accesslog.EntityEQ(accesslog.EntityCONFLICT)).All(sys)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, r := range rows {
				ids = append(ids, r.CandidateID)
			}
			return ids
		}
		answer := func(input map[string]any) (string, string) {
			t.Helper()
			_, raw := an.Post(mustJSON(t, map[string]any{"query": update, "variables": map[string]any{"id": f.ca, "input": input}}))
			for _, leak := range []string{nameB, "Tổ chức B", `"B"`, ethnicB, outPhone, outID} {
				if strings.Contains(string(raw), leak) {
					t.Fatalf("the answer names %q: %s", leak, raw)
				}
			}
			var r struct {
				Errors gqltest.Errors `json:"errors"`
			}
			_ = json.Unmarshal(raw, &r)
			if len(r.Errors) == 0 {
				return "", ""
			}
			return r.Errors.Code(), r.Errors[0].Message
		}

		inCode, inMsg := answer(map[string]any{"nationalID": inID})
		outCode, outMsg := answer(map[string]any{"nationalID": outID})
		if inCode != "CONFLICT" || outCode != inCode || outMsg != inMsg {
			t.Fatalf("in scope %s %q, out of scope %s %q: want the same CONFLICT", inCode, inMsg, outCode, outMsg)
		}
		if got := conflicts(); len(got) != 1 || got[0] != f.cb {
			t.Fatalf("access log of collisions %v, want [%d] (the in-scope one is not logged)", got, f.cb)
		}
		if code, _ := answer(map[string]any{"phone": outPhone}); code != "CONFLICT" {
			t.Fatalf("phone collision: %s", code)
		}
		if code, _ := answer(map[string]any{"nationalID": "094190000999", "phone": "0912999999"}); code != "" {
			t.Fatalf("a free national ID and phone: %s", code)
		}

		// A dry-run import: the row fails with the same CONFLICT, logged.
		raw := importCSV(t, an, "Họ và tên,Giới tính,Ngày sinh,Nghề nghiệp,Số CCCD,Mã tổ chức\n"+
			"Phạm Thị Dung,Nữ,01/02/1997,Viên chức,"+outID+",A1\n")
		if !strings.Contains(string(raw), `"code":"CONFLICT"`) || !strings.Contains(string(raw), `"column":"Số CCCD"`) {
			t.Fatalf("import of an out-of-scope national ID: %s", raw)
		}
		for _, leak := range []string{nameB, "Tổ chức B", outPhone} {
			if strings.Contains(string(raw), leak) {
				t.Fatalf("the import report names %q: %s", leak, raw)
			}
		}
		if got := conflicts(); len(got) != 3 {
			t.Fatalf("%d collisions logged, want 3", len(got))
		}
		// An ADMIN's collision is the plain uniqueness rule, not counted.
		if err := c.Do(update, map[string]any{"id": f.ca, "input": map[string]any{"nationalID": outID}}, nil); code(t, err) != "CONFLICT" {
			t.Fatalf("admin: %v", err)
		}

		// Past the limit, every write of a unique value is refused, even a
		// free one, so the oracle stops answering.
		for range readlog.CollisionLimit - 3 {
			if code, _ := answer(map[string]any{"nationalID": outID}); code != "CONFLICT" {
				t.Fatalf("under the limit: %s", code)
			}
		}
		for _, in := range []map[string]any{{"nationalID": outID}, {"nationalID": "094190000888"}} {
			if code, _ := answer(in); code != "RATE_LIMITED" {
				t.Fatalf("over the limit, %v: %s", in, code)
			}
		}
		if got := conflicts(); len(got) != readlog.CollisionLimit {
			t.Fatalf("%d collisions logged, want %d", len(got), readlog.CollisionLimit)
		}
		// Other writes go on.
		if code, _ := answer(map[string]any{"fullName": nameA}); code != "" {
			t.Fatalf("a write without unique values: %s", code)
		}
	})
}
