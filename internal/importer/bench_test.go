package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	gen "ketnap/ent"
	"ketnap/internal/access/viewer"
	"ketnap/internal/audit"
	"ketnap/internal/db/dbtest"
	"ketnap/internal/importer"
)

// candidateRows returns a candidates file of n rows over 100 organizations
// (CB-000 … CB-099), the header first.
func candidateRows(n int) [][]string {
	var b strings.Builder
	b.WriteString(candidatesHeader)
	for i := range n {
		phone := ""
		if i%2 == 0 {
			phone = fmt.Sprintf("09%08d", i)
		}
		fmt.Fprintf(&b, "Người Thứ %d,%s,%02d/%02d/%d,Kinh,,Viên chức,Có,%012d,%s,CB-%03d\n",
			i, []string{"Nam", "Nữ"}[i%2], 1+i%28, 1+i%12, 1970+i%35, i, phone, i%100)
	}
	rows, err := importer.Read(strings.NewReader(b.String()), "bench.csv")
	if err != nil {
		panic(err)
	}
	return rows
}

// BenchmarkImportCandidates imports 100,000 new candidates (with their
// audit events) in one transaction, then the same file again (nothing
// changes).
func BenchmarkImportCandidates(b *testing.B) {
	const n = 100_000
	rows := candidateRows(n)
	var orgs strings.Builder
	orgs.WriteString("Mã tổ chức,Tên tổ chức,Loại tổ chức,Khu vực,Ngày thành lập\n")
	for i := range 100 {
		fmt.Fprintf(&orgs, "CB-%03d,Chi bộ %d,Chi bộ cơ sở,Đơn vị sự nghiệp,01/01/2000\n", i, i)
	}
	orgRows, _ := importer.Read(strings.NewReader(orgs.String()), "orgs.csv")
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				d := dbtest.Open(b, dialect)
				imp := func(entity importer.Entity, rows [][]string) *importer.Report {
					var rep *importer.Report
					err := audit.WithTx(viewer.SystemContext(context.Background()), d.Client, func(ctx context.Context, c *gen.Client) (err error) {
						rep, err = importer.Run(ctx, c, entity, rows, false)
						return err
					})
					if err != nil || !rep.OK() {
						b.Fatalf("import: %v %+v", err, rep)
					}
					return rep
				}
				imp(importer.Organizations, orgRows)
				b.StartTimer()
				if rep := imp(importer.Candidates, rows); rep.Created != n {
					b.Fatalf("created %d", rep.Created)
				}
				b.StopTimer()
				if rep := imp(importer.Candidates, rows); rep.Unchanged != n {
					b.Fatalf("re-import: %+v", rep.Unchanged)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkReimportCandidates re-imports 100,000 unchanged candidates.
func BenchmarkReimportCandidates(b *testing.B) {
	const n = 100_000
	rows := candidateRows(n)
	var orgs strings.Builder
	orgs.WriteString("Mã tổ chức,Tên tổ chức,Loại tổ chức,Khu vực,Ngày thành lập\n")
	for i := range 100 {
		fmt.Fprintf(&orgs, "CB-%03d,Chi bộ %d,Chi bộ cơ sở,Đơn vị sự nghiệp,01/01/2000\n", i, i)
	}
	orgRows, _ := importer.Read(strings.NewReader(orgs.String()), "orgs.csv")
	for _, dialect := range dbtest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			imp := func(entity importer.Entity, rows [][]string) *importer.Report {
				var rep *importer.Report
				err := audit.WithTx(viewer.SystemContext(context.Background()), d.Client, func(ctx context.Context, c *gen.Client) (err error) {
					rep, err = importer.Run(ctx, c, entity, rows, false)
					return err
				})
				if err != nil || !rep.OK() {
					b.Fatalf("import: %v %+v", err, rep)
				}
				return rep
			}
			imp(importer.Organizations, orgRows)
			imp(importer.Candidates, rows)
			for b.Loop() {
				if rep := imp(importer.Candidates, rows); rep.Unchanged != n {
					b.Fatalf("re-import: %+v", rep.Unchanged)
				}
			}
		})
	}
}
