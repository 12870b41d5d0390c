package importer

import (
	"fmt"

	"ketnap/internal/apperr"
)

// Limits bound what reading one import file may cost (issue 12, item 9).
type Limits struct {
	// FileBytes caps the file itself.
	FileBytes int64
	// UnzipBytes caps the unpacked parts of an .xlsx file (a zip archive).
	UnzipBytes int64
	// Rows caps the data rows, counted by position (empty rows included).
	Rows int
	// Columns caps the cells of a row.
	Columns int
}

// Default limits of an import file.
const (
	DefaultFileBytes  = 20 << 20
	DefaultUnzipBytes = 200 << 20
	DefaultColumns    = 100
)

// DefaultLimits returns the limits used when none are given.
func DefaultLimits() Limits {
	return Limits{FileBytes: DefaultFileBytes, UnzipBytes: DefaultUnzipBytes, Rows: MaxRows, Columns: DefaultColumns}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.FileBytes <= 0 {
		l.FileBytes = d.FileBytes
	}
	if l.UnzipBytes <= 0 {
		l.UnzipBytes = d.UnzipBytes
	}
	if l.Rows <= 0 {
		l.Rows = d.Rows
	}
	if l.Columns <= 0 {
		l.Columns = d.Columns
	}
	return l
}

// Error codes of a refused file.
const (
	CodeFileTooLarge   apperr.Code = "FILE_TOO_LARGE"
	CodeTooManyRows    apperr.Code = "TOO_MANY_ROWS"
	CodeTooManyColumns apperr.Code = "TOO_MANY_COLUMNS"
	CodeInvalidFile    apperr.Code = "INVALID_FILE"
)

func tooBig(l Limits) error {
	return apperr.New(CodeFileTooLarge, "file",
		fmt.Sprintf("tệp quá lớn: tối đa %d MiB, %d MiB khi giải nén", l.FileBytes>>20, l.UnzipBytes>>20),
		fmt.Sprintf("the file is too large: at most %d MiB, %d MiB unpacked", l.FileBytes>>20, l.UnzipBytes>>20))
}

func tooManyRows(l Limits) error {
	return apperr.New(CodeTooManyRows, "file",
		fmt.Sprintf("tệp quá %d dòng (kể cả dòng trống)", l.Rows),
		fmt.Sprintf("the file has more than %d rows (empty rows included)", l.Rows))
}

func tooManyColumns(l Limits, row int) error {
	return apperr.New(CodeTooManyColumns, "file",
		fmt.Sprintf("dòng %d có quá %d cột", row, l.Columns),
		fmt.Sprintf("row %d has more than %d columns", row, l.Columns))
}

func badFile(vi, en string) error {
	return apperr.New(CodeInvalidFile, "file", vi+": cần tệp .xlsx hoặc .csv hợp lệ", en+": a valid .xlsx or .csv file is needed")
}
