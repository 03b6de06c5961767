package classify

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Mapping names the CSV columns ReadCSV uses.
type Mapping struct {
	Label string   // column holding the label
	Text  []string // columns joined (with a newline) into the message text
}

// DefaultMapping matches the appeal exports: label 一级标签, text 留言主题 +
// 留言详情 (many rows carry the title inside 留言详情 and leave 留言主题
// empty; joining both covers either form).
func DefaultMapping() Mapping {
	return Mapping{Label: "一级标签", Text: []string{"留言主题", "留言详情"}}
}

// ReadCSV reads labelled examples from RFC 4180 CSV whose first row is the
// header: UTF-8 with or without a byte-order mark, LF or CRLF line ends,
// quoted fields that may span lines. Extra columns are ignored. Errors name
// the missing column or the line of the bad row.
func ReadCSV(r io.Reader, mapping Mapping) ([]Example, error) {
	if mapping.Label == "" || len(mapping.Text) == 0 {
		return nil, errors.New("classify: csv mapping needs a label column and at least one text column")
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // short rows get our own error naming the column
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("classify: csv is empty (no header row)")
	}
	if err != nil {
		return nil, fmt.Errorf("classify: csv header: %w", err)
	}
	col := func(name string) (int, error) {
		for i, h := range header {
			if strings.TrimSpace(h) == name {
				return i, nil
			}
		}
		return 0, fmt.Errorf("classify: csv header has no column %q (columns: %s)", name, strings.Join(header, ", "))
	}
	labelCol, err := col(mapping.Label)
	if err != nil {
		return nil, err
	}
	textCols := make([]int, len(mapping.Text))
	for i, name := range mapping.Text {
		if textCols[i], err = col(name); err != nil {
			return nil, err
		}
	}

	var out []Example
	var parts []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("classify: csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if err := checkWidth(rec, header, labelCol, textCols); err != nil {
			return nil, fmt.Errorf("classify: csv line %d: %w", line, err)
		}
		label := strings.TrimSpace(rec[labelCol])
		if label == "" {
			return nil, fmt.Errorf("classify: csv line %d: empty label in column %q", line, mapping.Label)
		}
		parts = parts[:0]
		for _, c := range textCols {
			if t := strings.TrimSpace(rec[c]); t != "" {
				parts = append(parts, t)
			}
		}
		out = append(out, Example{Label: label, Text: strings.Join(parts, "\n")})
	}
	return out, nil
}

// checkWidth names the first mapped column a short row lacks.
func checkWidth(rec, header []string, labelCol int, textCols []int) error {
	for _, c := range append([]int{labelCol}, textCols...) {
		if c >= len(rec) {
			return fmt.Errorf("row has %d fields, header has %d: column %q (field %d) is missing",
				len(rec), len(header), header[c], c+1)
		}
	}
	return nil
}
