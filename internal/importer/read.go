package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxRows bounds the data rows of one file.
const MaxRows = 500000

// Read returns the rows of an .xlsx (first sheet) or .csv file, the header
// first, within DefaultLimits. The format is taken from name's extension.
func Read(r io.Reader, name string) ([][]string, error) {
	return ReadLimited(r, name, DefaultLimits())
}

// ReadLimited is Read within lim: a file over a limit is refused with a
// coded error (see limits.go) as soon as the limit is passed, before its
// rows are kept.
func ReadLimited(r io.Reader, name string, lim Limits) ([][]string, error) {
	lim = lim.withDefaults()
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return readXLSX(r, lim)
	case ".csv":
		return readCSV(r, lim)
	}
	return nil, badFile("tệp phải có đuôi .xlsx hoặc .csv", "the file must be .xlsx or .csv")
}

func readXLSX(r io.Reader, lim Limits) ([][]string, error) {
	// Never more than the file's limit is read, and never more than the
	// unzip limit unpacked: the XML limit equals it, so excelize keeps every
	// part in memory and writes no temporary file.
	raw, err := io.ReadAll(io.LimitReader(r, lim.FileBytes+1))
	if err != nil {
		return nil, badFile("không đọc được tệp Excel", "cannot read the Excel file")
	}
	if int64(len(raw)) > lim.FileBytes {
		return nil, tooBig(lim)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{
		UnzipSizeLimit:    lim.UnzipBytes,
		UnzipXMLSizeLimit: lim.UnzipBytes,
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") || errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) {
			return nil, tooBig(lim)
		}
		return nil, badFile("không đọc được tệp Excel", "cannot read the Excel file")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("tệp Excel không có trang tính / the Excel file has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("reading sheet: %w", err)
	}
	defer rows.Close()
	var out [][]string
	blank := 0
	for n := 1; rows.Next(); n++ {
		if n > lim.Rows+1 {
			// Counted by position: a sparse sheet's empty rows count too.
			return nil, tooManyRows(lim)
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, badFile(fmt.Sprintf("không đọc được dòng %d", n), fmt.Sprintf("cannot read row %d", n))
		}
		if len(cols) > lim.Columns {
			return nil, tooManyColumns(lim, n)
		}
		if len(cols) == 0 {
			blank++ // kept only if a later row has cells
			continue
		}
		for ; blank > 0; blank-- {
			out = append(out, nil)
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, badFile("không đọc được trang tính", "cannot read the sheet")
	}
	return out, nil
}

func readCSV(r io.Reader, lim Limits) ([][]string, error) {
	raw, err := io.ReadAll(io.LimitReader(r, lim.FileBytes+1))
	if err != nil {
		return nil, badFile("không đọc được tệp CSV", "cannot read the CSV file")
	}
	if int64(len(raw)) > lim.FileBytes {
		return nil, tooBig(lim)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // Excel's UTF-8 byte order mark
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';' // Excel's CSV in locales with a decimal comma
	}
	var out [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badFile(fmt.Sprintf("tệp CSV không hợp lệ ở dòng %d", len(out)+1), fmt.Sprintf("invalid CSV file at row %d", len(out)+1))
		}
		if len(out) >= lim.Rows+1 {
			return nil, tooManyRows(lim)
		}
		if len(rec) > lim.Columns {
			return nil, tooManyColumns(lim, len(out)+1)
		}
		out = append(out, rec)
	}
	return out, nil
}

// Template writes an .xlsx template for entity: the column headers, in
// Vietnamese, and one example row. Cells are text so that dates stay
// dd/mm/yyyy as typed.
func Template(w io.Writer, entity Entity) error {
	s, ok := specs[entity]
	if !ok {
		return unknownEntity(entity)
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return err
	}
	for i, col := range s.columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, col.header); err != nil {
			return err
		}
		ex, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(sheet, ex, col.example); err != nil {
			return err
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, float64(max(14, len([]rune(col.header))+2))); err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, name, text); err != nil {
			return err
		}
		if comment := col.note(); comment != "" {
			if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "ketnap", Text: comment}); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(s.columns), 1)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	return f.Write(w)
}
