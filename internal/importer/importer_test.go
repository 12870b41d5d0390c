package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	gen "ketnap/ent"
	"ketnap/internal/access/viewer"
	"ketnap/internal/audit"
	"ketnap/internal/db"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/importer"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// run imports a CSV text in its own transaction, as the command does.
func run(t *testing.T, d *db.DB, entity importer.Entity, csv string, dryRun bool) *importer.Report {
	t.Helper()
	rows, err := importer.Read(strings.NewReader(csv), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	var rep *importer.Report
	err = audit.WithTx(viewer.SystemContext(context.Background()), d.Client, func(ctx context.Context, c *gen.Client) error {
		rep, err = importer.Run(ctx, c, entity, rows, dryRun)
		return err
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func counts(t *testing.T, d *db.DB) (candidates, events int) {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	return d.Client.Candidate.Query().CountX(ctx), d.Client.AuditEvent.Query().CountX(ctx)
}

const orgsCSV = `Mã tổ chức,Tên tổ chức,Loại tổ chức,Khu vực,Mã tổ chức cấp trên,Ngày thành lập
CB-01,Chi bộ Sở Tài chính,Chi bộ cơ sở,Cơ quan hành chính nhà nước,DBK,03/02/2010
DBK,Đảng bộ Khối,Đảng bộ khối,"Cơ quan Đảng, đoàn thể",,01/01/1990
CB-02,Chi bộ Bệnh viện,Chi bộ cơ sở,Đơn vị sự nghiệp,DBK,01/06/2012
`

const candidatesHeader = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Tôn giáo,Nghề nghiệp,Đoàn viên,Số CCCD,Số điện thoại,Mã tổ chức\n"

func TestImportCandidates(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			if rep := run(t, d, importer.Organizations, orgsCSV, false); !rep.OK() || rep.Created != 3 {
				t.Fatalf("organizations: %+v", rep)
			}
			good := candidatesHeader +
				"Nguyễn Thị Mai,Nữ,15/08/1995,Kinh,,Viên chức,Có,094190000123,0912345678,CB-01\n" +
				"Trần Văn An,Nam,01/02/1990,Khmer,Phật giáo,Công chức,Không,,,CB-02\n" +
				"Lê Văn Bình,nam,1991-03-04,,,WORKER,,,,CB-01\n"
			bad := good +
				"Phạm Thị Cúc,Nữ,31/02/1990,Kinh,,Viên chức,Có,,,CB-01\n" + // row 5: no such date
				",Khác,01/01/1990,Kinh,,Phi công,Có,,,CB-09\n" + // row 6: name, gender, occupation, organization
				"Trùng CCCD,Nữ,01/01/1990,Kinh,,Viên chức,Có,094190000123,,CB-01\n" // row 7: duplicates row 2
			rep := run(t, d, importer.Candidates, bad, false)
			type loc struct {
				row    int
				column string
			}
			want := []loc{{5, "Ngày sinh"}, {6, "Họ và tên"}, {6, "Giới tính"}, {6, "Nghề nghiệp"}, {6, "Mã tổ chức"}, {7, "Số CCCD"}}
			var got []loc
			for _, e := range rep.Errors {
				got = append(got, loc{e.Row, e.Column})
				if e.VI == "" || e.EN == "" {
					t.Errorf("error without both languages: %+v", e)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("errors %v, want %v", got, want)
			}
			if n, _ := counts(t, d); n != 0 {
				t.Fatalf("a rejected import wrote %d candidates", n)
			}

			if rep := run(t, d, importer.Candidates, good, true); !rep.OK() || rep.Created != 3 {
				t.Fatalf("dry run: %+v", rep)
			}
			if n, _ := counts(t, d); n != 0 {
				t.Fatalf("a dry run wrote %d candidates", n)
			}
			if rep := run(t, d, importer.Candidates, good, false); !rep.OK() || rep.Created != 3 {
				t.Fatalf("import: %+v", rep)
			}
			n, events := counts(t, d)
			if n != 3 {
				t.Fatalf("%d candidates", n)
			}
			rep = run(t, d, importer.Candidates, good, false)
			if n2, events2 := counts(t, d); !rep.OK() || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 || n2 != n || events2 != events {
				t.Fatalf("re-import changed something: %+v; candidates %d→%d, events %d→%d", rep, n, n2, events, events2)
			}
			changed := strings.Replace(good, "Trần Văn An,Nam,01/02/1990,Khmer,Phật giáo,Công chức", "Trần Văn An,Nam,01/02/1990,Khmer,Phật giáo,Viên chức", 1)
			rep = run(t, d, importer.Candidates, changed, false)
			if _, events3 := counts(t, d); rep.Updated != 1 || rep.Unchanged != 2 || events3 != events+1 {
				t.Fatalf("update: %+v, events %d→%d", rep, events, events3)
			}
		})
	}
}

func TestImportAdmissions(t *testing.T) {
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			run(t, d, importer.Organizations, orgsCSV, false)
			people := run(t, d, importer.Candidates, candidatesHeader+
				"Nguyễn Thị Mai,Nữ,15/08/1995,Kinh,,Viên chức,Có,094190000123,,CB-01\n"+
				"Trần Văn An,Nam,01/02/1990,Khmer,,Công chức,Không,,,CB-02\n"+
				"Võ Văn Trẻ,Nam,01/02/2010,Kinh,,\"Học sinh, sinh viên\",Có,094190000999,,CB-02\n", false)
			if !people.OK() {
				t.Fatalf("candidates: %+v", people)
			}
			enr := "Số CCCD,Họ và tên,Ngày sinh,Mã tổ chức,Tên lớp,Loại lớp,Mã đơn vị mở lớp,Ngày khai giảng,Ngày bế giảng,Kết quả,Số giấy chứng nhận,Ngày cấp giấy chứng nhận\n" +
				"094190000123,,,,Lớp NT 1/2024,Nhận thức về Đảng,DBK,04/03/2024,08/03/2024,Đạt,12/GCN,15/03/2024\n" +
				",Trần Văn An,01/02/1990,CB-02,Lớp NT 1/2024,Nhận thức về Đảng,DBK,04/03/2024,08/03/2024,Đạt,13/GCN,15/03/2024\n" +
				"094190000999,,,,Lớp NT 1/2024,Nhận thức về Đảng,DBK,04/03/2024,08/03/2024,Đạt,14/GCN,15/03/2024\n"
			if rep := run(t, d, importer.Enrollments, enr, false); !rep.OK() || rep.Created != 3 {
				t.Fatalf("enrollments: %+v", rep)
			}
			if rep := run(t, d, importer.Enrollments, enr, false); rep.Unchanged != 3 {
				t.Fatalf("enrollments re-import: %+v", rep)
			}
			adm := "Số CCCD,Họ và tên,Ngày sinh,Mã tổ chức,Ngày nghị quyết chi bộ,Số quyết định kết nạp,Ngày quyết định,Ngày kết nạp," +
				"Họ tên người giới thiệu 1,Số thẻ đảng viên người giới thiệu 1,Họ tên người giới thiệu 2,Số thẻ đảng viên người giới thiệu 2\n"
			okRows := "094190000123,,,,02/09/2024,1-QĐ,16/09/2024,23/09/2024,Trần A,1,Lê B,2\n" +
				",Trần Văn An,01/02/1990,CB-02,02/09/2024,2-QĐ,16/09/2024,23/09/2024,Trần A,1,Lê B,2\n"
			badRows := "094190000999,,,,02/09/2024,3-QĐ,16/09/2024,23/09/2024,Trần A,1,Lê B,2\n" + // row 4: aged 14
				"094190000123,,,,02/09/2024,4-QĐ,16/09/2024,23/09/2024,Trần A,1,Trần A,1\n" // row 5: same introducer twice
			rep := run(t, d, importer.Admissions, adm+okRows+badRows, false)
			if len(rep.Errors) != 2 || rep.Errors[0].Row != 4 || rep.Errors[0].Code != "AGE_OUT_OF_RANGE" || rep.Errors[0].Column != "Ngày nghị quyết chi bộ" ||
				rep.Errors[1].Row != 5 || rep.Errors[1].Code != "INTRODUCERS_NOT_DISTINCT" {
				t.Fatalf("errors: %+v", rep.Errors)
			}
			ctx := viewer.SystemContext(context.Background())
			if n := d.Client.Admission.Query().CountX(ctx); n != 0 {
				t.Fatalf("a rejected import wrote %d admissions", n)
			}
			if rep := run(t, d, importer.Admissions, adm+okRows, false); !rep.OK() || rep.Created != 2 {
				t.Fatalf("admissions: %+v", rep)
			}
			events := d.Client.AuditEvent.Query().CountX(ctx)
			if rep := run(t, d, importer.Admissions, adm+okRows, false); rep.Unchanged != 2 || d.Client.AuditEvent.Query().CountX(ctx) != events {
				t.Fatalf("admissions re-import: %+v", rep)
			}
		})
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	d := dbtest.Open(t, "sqlite")
	var buf bytes.Buffer
	if err := importer.Template(&buf, importer.Organizations); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(f.GetSheetName(0), "A1"); v != "Mã tổ chức" {
		t.Fatalf("A1 = %q", v)
	}
	rows, err := importer.Read(bytes.NewReader(buf.Bytes()), "t.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	var rep *importer.Report
	err = audit.WithTx(viewer.SystemContext(context.Background()), d.Client, func(ctx context.Context, c *gen.Client) error {
		rep, err = importer.Run(ctx, c, importer.Organizations, rows, false)
		return err
	})
	// The example row names a parent (DBK) that does not exist.
	if err != nil || rep.OK() || rep.Errors[0].Column != "Mã tổ chức cấp trên" {
		t.Fatalf("template import: %v %+v", err, rep)
	}
	if err := importer.Template(&buf, "people"); err == nil || !errors.Is(err, err) {
		t.Fatal("unknown entity accepted")
	}
}
