package dataio

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/featc/featc/types"
)

// cell renders one value of an array for people and CSV: null as "", floats as their shortest
// form, decimals exactly, dates as YYYY-MM-DD, timestamps as YYYY-MM-DDTHH:MM:SS[.ffffff],
// durations as featc literals (1h30m).
func cell(a arrow.Array, i int) (string, bool) {
	if a.IsNull(i) {
		return "", false
	}
	switch a := a.(type) {
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i)), true
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), true
	case *array.Float64:
		return types.FloatString(a.Value(i)), true
	case *array.Decimal128:
		dt := a.DataType().(*arrow.Decimal128Type)
		return types.FormatDecimal(a.Value(i).BigInt(), int(dt.Scale)), true
	case *array.String:
		return a.Value(i), true
	case *array.Date32:
		return types.FormatDate(int64(a.Value(i))), true
	case *array.Timestamp:
		return types.FormatTimestamp(int64(a.Value(i))), true
	case *array.Duration:
		return types.FormatDuration(int64(a.Value(i))), true
	}
	return a.ValueStr(i), true
}

// tableString writes a string cell of a table so that it cannot be mistaken for a null or for
// another string: the text null, an empty string, one with leading or trailing spaces, one
// starting with a double quote or holding a control character (a newline) are written quoted,
// with Go's escapes ("null", "", " a", "a\nb"); every other string as it is. An unquoted null is
// the only null.
func tableString(s string) string {
	quote := s == "null" || s == "" || strings.HasPrefix(s, `"`) || strings.TrimSpace(s) != s
	for _, r := range s {
		if quote {
			break
		}
		quote = !unicode.IsPrint(r)
	}
	if quote {
		return strconv.Quote(s)
	}
	return s
}

// WriteTable writes a record as an aligned table with a header, for people.
func WriteTable(w io.Writer, rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	cols := int(rec.NumCols())
	cells := make([][]string, cols)
	width := make([]int, cols)
	right := make([]bool, cols)
	for c := 0; c < cols; c++ {
		name := rec.ColumnName(c)
		width[c] = utf8.RuneCountInString(name)
		switch rec.Column(c).DataType().ID() {
		case arrow.INT32, arrow.INT64, arrow.FLOAT64, arrow.DECIMAL128:
			right[c] = true
		}
		for i := 0; i < n; i++ {
			s, ok := cell(rec.Column(c), i)
			if !ok {
				s = "null"
			} else if rec.Column(c).DataType().ID() == arrow.STRING {
				s = tableString(s)
			}
			cells[c] = append(cells[c], s)
			width[c] = max(width[c], utf8.RuneCountInString(s))
		}
	}
	pad := func(s string, c int) string {
		fill := strings.Repeat(" ", width[c]-utf8.RuneCountInString(s))
		if right[c] {
			return fill + s
		}
		return s + fill
	}
	var b strings.Builder
	for c := 0; c < cols; c++ {
		if c > 0 {
			b.WriteString("  ")
		}
		b.WriteString(pad(rec.ColumnName(c), c))
	}
	b.WriteString("\n")
	for c := 0; c < cols; c++ {
		if c > 0 {
			b.WriteString("  ")
		}
		b.WriteString(strings.Repeat("-", width[c]))
	}
	b.WriteString("\n")
	for i := 0; i < n; i++ {
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteString("  ")
			}
			b.WriteString(pad(cells[c][i], c))
		}
		b.WriteString("\n")
	}
	out := strings.ReplaceAll(b.String(), " \n", "\n")
	for strings.Contains(out, " \n") {
		out = strings.ReplaceAll(out, " \n", "\n")
	}
	fmt.Fprintf(&b, "")
	_, err := io.WriteString(w, out+fmt.Sprintf("(%d rows)\n", n))
	return err
}

// WriteCSV writes a record as CSV with a header; null is an empty field and the empty string
// a quoted one (""), so that featc, DuckDB and Postgres read the file back as it was.
func WriteCSV(w io.Writer, rec arrow.RecordBatch) error {
	bw := bufio.NewWriter(w)
	line := make([]string, rec.NumCols())
	for c := range line {
		line[c] = csvField(rec.ColumnName(c), true)
	}
	bw.WriteString(strings.Join(line, ",") + "\n")
	for i := 0; i < int(rec.NumRows()); i++ {
		for c := range line {
			v, ok := cell(rec.Column(c), i)
			line[c] = csvField(v, ok)
		}
		bw.WriteString(strings.Join(line, ",") + "\n")
	}
	return bw.Flush()
}

// csvField writes one field as encoding/csv would, except that a present empty value is
// quoted ("") to tell it from null (an empty field).
func csvField(v string, present bool) string {
	switch {
	case !present:
		return ""
	case v == "" || strings.ContainsAny(v, ",\"\r\n") || v[0] == ' ' || v[0] == '\t' || v == `\.`:
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

// WriteJSON writes a record as a JSON array of objects, one per line. Numbers are JSON numbers
// (NaN and infinities as strings), decimals strings (to stay exact), timestamps ISO 8601 in UTC.
func WriteJSON(w io.Writer, rec arrow.RecordBatch) error {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < int(rec.NumRows()); i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{")
		for c := 0; c < int(rec.NumCols()); c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(rec.ColumnName(c))
			b.Write(k)
			b.WriteString(": ")
			b.WriteString(jsonCell(rec.Column(c), i))
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func jsonCell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "null"
	}
	switch a := a.(type) {
	case *array.Boolean, *array.Int32, *array.Int64:
		s, _ := cell(a, i)
		return s
	case *array.Float64:
		f := a.Value(i)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return strconv.Quote(types.FloatString(f))
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case *array.Timestamp:
		return strconv.Quote(types.FormatTimestamp(int64(a.Value(i))) + "Z")
	}
	s, _ := cell(a, i)
	q, _ := json.Marshal(s)
	return string(q)
}

// WriteParquet writes a record to a Parquet file (zstd-compressed).
func WriteParquet(path string, rec arrow.RecordBatch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd))
	w, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return err
	}
	if err := w.Write(rec); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
