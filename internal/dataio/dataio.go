// Package dataio reads input files (Parquet, CSV, Arrow IPC) into Arrow records shaped by a
// source's declared schema, and writes outputs as aligned tables, CSV, JSON or Parquet. It is
// the file layer of the command line; the evaluator itself only sees Arrow.
package dataio

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// Format is a file format, by extension.
type Format string

// Formats.
const (
	Parquet Format = "parquet"
	CSV     Format = "csv"
	IPC     Format = "arrow"
)

// FormatOf returns the format of a path by its extension.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return Parquet, nil
	case ".csv":
		return CSV, nil
	case ".arrow", ".ipc", ".feather", ".arrows":
		return IPC, nil
	}
	return "", fmt.Errorf("%s: unknown file format: use .parquet, .csv or .arrow (Arrow IPC)", path)
}

// Read reads a file as one record holding (at least) the declared columns. CSV is parsed by the
// declared types with featc's cast rules; Parquet and Arrow files keep their own types, which
// the evaluator checks against the declaration when it binds them.
func Read(mem memory.Allocator, path string, schema ir.Schema) (arrow.RecordBatch, error) {
	f, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	var rec arrow.RecordBatch
	switch f {
	case CSV:
		return readCSV(mem, path, schema)
	case Parquet:
		rec, err = readParquet(mem, path)
	default:
		rec, err = readIPC(mem, path)
	}
	if err != nil {
		return nil, err
	}
	if err := checkColumns(path, rec.Schema(), schema); err != nil {
		rec.Release()
		return nil, err
	}
	return rec, nil
}

// CheckFile checks that a file has the declared columns, with types that bind to them, reading
// only its schema (Parquet, Arrow) or its header (CSV): for engines that read the file
// themselves (DuckDB), so that a file that does not match its declaration is refused with the
// same message on every engine.
func CheckFile(path string, schema ir.Schema) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	var s *arrow.Schema
	switch f {
	case CSV:
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		defer fh.Close()
		_, err = csvHeader(csv.NewReader(fh), path, schema)
		return err
	case Parquet:
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		defer fh.Close()
		rdr, err := file.NewParquetReader(fh)
		if err != nil {
			return fmt.Errorf("%s: not a Parquet file: %w", path, err)
		}
		defer rdr.Close()
		fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if s, err = fr.Schema(); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	default:
		rec, err := readIPC(memory.DefaultAllocator, path)
		if err != nil {
			return err
		}
		s = rec.Schema()
		rec.Release()
	}
	return checkColumns(path, s, schema)
}

// checkColumns checks a file's Arrow schema against the declaration by the evaluator's
// binding rules, naming the file.
func checkColumns(path string, s *arrow.Schema, schema ir.Schema) error {
	err := eval.CheckSchema(s, schema, path)
	var be *eval.BindError
	if errors.As(err, &be) {
		return fmt.Errorf("%s, column %s: %s", path, be.Column, be.Msg)
	}
	return err
}

// csvHeader reads a CSV header and returns the position of each declared column; a column
// named twice is an error, as no reader could tell which one is meant.
func csvHeader(r *csv.Reader, path string, schema ir.Schema) ([]int, error) {
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", path, err)
	}
	pos := map[string]int{}
	for i, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[name]; dup {
			return nil, fmt.Errorf("%s: the header names column %s twice", path, name)
		}
		pos[name] = i
	}
	idx := make([]int, len(schema))
	for i, f := range schema {
		j, ok := pos[f.Name]
		if !ok {
			return nil, fmt.Errorf("%s: column %s is missing (the header has %s)", path, f.Name, strings.Join(header, ", "))
		}
		idx[i] = j
	}
	return idx, nil
}

func readParquet(mem memory.Allocator, path string) (arrow.RecordBatch, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	rdr, err := file.NewParquetReader(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{Parallel: false, BatchSize: 1 << 16}, mem)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer tbl.Release()
	return tableToRecord(mem, tbl)
}

func readIPC(mem memory.Allocator, path string) (arrow.RecordBatch, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var recs []arrow.RecordBatch
	var schema *arrow.Schema
	if fr, ferr := ipc.NewFileReader(fh, ipc.WithAllocator(mem)); ferr == nil {
		defer fr.Close()
		schema = fr.Schema()
		for i := 0; i < fr.NumRecords(); i++ {
			r, err := fr.RecordBatch(i)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			r.Retain()
			recs = append(recs, r)
		}
	} else {
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		sr, err := ipc.NewReader(fh, ipc.WithAllocator(mem))
		if err != nil {
			return nil, fmt.Errorf("%s: not an Arrow IPC file or stream: %w", path, err)
		}
		defer sr.Release()
		schema = sr.Schema()
		for sr.Next() {
			r := sr.RecordBatch()
			r.Retain()
			recs = append(recs, r)
		}
		if err := sr.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	tbl := array.NewTableFromRecords(schema, recs)
	for _, r := range recs {
		r.Release()
	}
	defer tbl.Release()
	return tableToRecord(mem, tbl)
}

// tableToRecord concatenates a table's chunks into one record.
func tableToRecord(mem memory.Allocator, tbl arrow.Table) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, tbl.NumCols())
	for i := range cols {
		chunks := tbl.Column(i).Data().Chunks()
		if len(chunks) == 0 {
			cols[i] = array.MakeArrayOfNull(mem, tbl.Schema().Field(i).Type, 0)
			continue
		}
		a, err := array.Concatenate(chunks, mem)
		if err != nil {
			return nil, err
		}
		cols[i] = a
	}
	rec := array.NewRecordBatch(tbl.Schema(), cols, tbl.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return rec, nil
}

// blankLine stands for a blank line of a one-column CSV file (markBlankLines): a null.
const blankLine = "\x00featc:blank-line\x00"

// markBlankLines writes blankLine on every blank line after the header outside quoted fields,
// so that encoding/csv reads it as a row. It reports whether there was any.
func markBlankLines(data []byte) ([]byte, bool) {
	var out bytes.Buffer
	inQuote, lineStart, header, found := false, true, true, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if lineStart && !inQuote && !header {
			if c == '\n' || (c == '\r' && i+1 < len(data) && data[i+1] == '\n') {
				out.WriteString(blankLine)
				found = true
			}
		}
		lineStart = false
		switch c {
		case '"':
			inQuote = !inQuote
		case '\n':
			if !inQuote {
				lineStart, header = true, false
			}
		}
		out.WriteByte(c)
	}
	return out.Bytes(), found
}

// readCSV reads a CSV file with a header row; each declared column is parsed from its text by
// featc's cast rules. As DuckDB's and Postgres' CSV readers take them, an unquoted empty field
// is null and a quoted one ("") is the empty string; in a column of another type than string,
// where no empty text converts, both are null (writers that quote every field, such as
// Python's csv.QUOTE_ALL, write a missing value as ""). A NUL character is refused: no SQL
// engine stores it in text.
func readCSV(mem memory.Allocator, path string, schema ir.Schema) (arrow.RecordBatch, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if hdr, err := csv.NewReader(bytes.NewReader(data)).Read(); err == nil && len(hdr) == 1 {
		// In a one-column file a null is a blank line, which encoding/csv skips but DuckDB's
		// and Postgres' readers (and featc's writer) take as a row: mark each one as a field.
		if marked, ok := markBlankLines(data); ok {
			data = marked
		}
	}
	// lineStarts[n] is the offset of line n+1, to find whether a field starts with a quote
	// (encoding/csv reports where each field starts, but not whether it was quoted).
	lineStarts := []int{0}
	for i, c := range data {
		if c == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	idx, err := csvHeader(r, path, schema)
	if err != nil {
		return nil, err
	}
	texts := make([][]string, len(schema))
	nulls := make([][]bool, len(schema))
	row := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row++
		for i, j := range idx {
			v := rec[j]
			null := v == ""
			if v == blankLine {
				v, null = "", true
			} else if null && schema[i].Type.Kind == types.String {
				line, col := r.FieldPos(j)
				null = data[lineStarts[line-1]+col-1] != '"'
			}
			if strings.IndexByte(v, 0) >= 0 {
				return nil, fmt.Errorf("%s, column %s, row %d: the text holds a NUL character (U+0000), which no SQL engine stores in a string", path, schema[i].Name, row)
			}
			texts[i] = append(texts[i], v)
			nulls[i] = append(nulls[i], null)
		}
	}
	cols := make([]arrow.Array, len(schema))
	for i, f := range schema {
		a, err := eval.ParseColumn(mem, texts[i], nulls[i], f.Type)
		if err != nil {
			return nil, fmt.Errorf("%s, column %s: %w", path, f.Name, err)
		}
		cols[i] = a
	}
	rec := array.NewRecordBatch(eval.ArrowSchema(schema), cols, int64(len(texts[0])))
	for _, c := range cols {
		c.Release()
	}
	return rec, nil
}
