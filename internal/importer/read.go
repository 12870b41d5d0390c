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
// first. The format is taken from name's extension.
func Read(r io.Reader, name string) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return readXLSX(r)
	case ".csv":
		return readCSV(r)
	}
	return nil, errors.New("tệp phải có đuôi .xlsx hoặc .csv / the file must be .xlsx or .csv")
}

func readXLSX(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("không đọc được tệp Excel / cannot read the Excel file: %w", err)
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
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("reading row %d: %w", len(out)+1, err)
		}
		out = append(out, cols)
		if len(out) > MaxRows+1 {
			return nil, fmt.Errorf("tệp quá %d dòng / the file has more than %d rows", MaxRows, MaxRows)
		}
	}
	return out, rows.Error()
}

func readCSV(r io.Reader) ([][]string, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading CSV: %w", err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // Excel's UTF-8 byte order mark
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';' // Excel's CSV in locales with a decimal comma
	}
	out, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("tệp CSV không hợp lệ / invalid CSV file: %w", err)
	}
	if len(out) > MaxRows+1 {
		return nil, fmt.Errorf("tệp quá %d dòng / the file has more than %d rows", MaxRows, MaxRows)
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
