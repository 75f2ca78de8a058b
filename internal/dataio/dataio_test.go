package dataio

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// TestRoundTrips reads a CSV, writes it as Arrow IPC and Parquet, and reads both back.
func TestRoundTrips(t *testing.T) {
	dir := t.TempDir()
	schema := ir.Schema{{Name: "k", Type: types.Int64T}, {Name: "d", Type: types.DateT}, {Name: "x", Type: types.DecimalType(10, 2)},
		{Name: "s", Type: types.StringT}, {Name: "t", Type: types.TimestampT}}
	csvPath := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("k,d,x,s,t,extra\n1,2024-02-29,1.50,héllo,2024-01-01 08:00:00.25,z\n,,,,,\n"), 0o644))
	mem := memory.DefaultAllocator
	rec, err := Read(mem, csvPath, schema)
	require.NoError(t, err)
	defer rec.Release()
	require.EqualValues(t, 2, rec.NumRows())

	ipcPath := filepath.Join(dir, "in.arrow")
	f, err := os.Create(ipcPath)
	require.NoError(t, err)
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	require.NoError(t, err)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	pqPath := filepath.Join(dir, "in.parquet")
	require.NoError(t, WriteParquet(pqPath, rec))

	for _, p := range []string{ipcPath, pqPath} {
		back, err := Read(mem, p, schema)
		require.NoError(t, err, p)
		for c := 0; c < int(rec.NumCols()); c++ {
			for i := 0; i < int(rec.NumRows()); i++ {
				want, _ := cell(rec.Column(c), i)
				got, _ := cell(back.Column(c), i)
				require.Equal(t, want, got, "%s column %d row %d", p, c, i)
				require.Equal(t, rec.Column(c).IsNull(i), back.Column(c).IsNull(i))
			}
		}
		back.Release()
	}
	v, _ := cell(rec.Column(4), 0)
	require.Equal(t, "2024-01-01T08:00:00.25", v)
}

func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(p, []byte("a\n1\n"), 0o644))
	_, err := Read(memory.DefaultAllocator, p, ir.Schema{{Name: "b", Type: types.Int64T}})
	require.EqualError(t, err, p+": column b is missing (the header has a)")
	_, err = Read(memory.DefaultAllocator, filepath.Join(dir, "x.txt"), nil)
	require.ErrorContains(t, err, "unknown file format")
}

// TestCSVEmptyFields reads every way a field can be empty, or nearly, in a string column and in
// a column of another type, with both line endings and with the field first, inside and last
// on its line: an unquoted empty field is null, a quoted one ("") the empty string in a string
// column and null elsewhere, as DuckDB's and Postgres' readers take them.
func TestCSVEmptyFields(t *testing.T) {
	type field struct {
		raw     string
		str     any // the string column's value; nil for null
		numNull bool
	}
	fields := []field{
		{``, nil, true},
		{`""`, "", true},
		{`" "`, " ", false},
		{`"x"`, "x", false},
		{`x`, "x", false},
		{`"a,""b"""`, `a,"b"`, false},
		{"\"two\nlines\"", "two\nlines", false},
	}
	schema := ir.Schema{{Name: "s", Type: types.StringT}, {Name: "n", Type: types.Int64T}, {Name: "k", Type: types.Int64T}}
	for _, eol := range []string{"\n", "\r\n"} {
		for place := 0; place < 3; place++ {
			var b strings.Builder
			cols := []string{"s", "n", "k"}
			order := map[int][]int{0: {0, 1, 2}, 1: {2, 0, 1}, 2: {1, 2, 0}}[place] // where s, n, k sit
			head := make([]string, 3)
			for i, o := range order {
				head[o] = cols[i]
			}
			b.WriteString(strings.Join(head, ",") + eol)
			for k, f := range fields {
				num := "7"
				if f.numNull {
					num = f.raw
				}
				cells := make([]string, 3)
				cells[order[0]], cells[order[1]], cells[order[2]] = f.raw, num, strconv.Itoa(k)
				b.WriteString(strings.Join(cells, ",") + eol)
			}
			p := filepath.Join(t.TempDir(), "in.csv")
			require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o644))
			rec, err := Read(memory.DefaultAllocator, p, schema)
			require.NoError(t, err)
			require.EqualValues(t, len(fields), rec.NumRows())
			for k, f := range fields {
				what := fmt.Sprintf("field %q, eol %q, place %d", f.raw, eol, place)
				s := rec.Column(0).(*array.String)
				if f.str == nil {
					require.True(t, s.IsNull(k), what)
				} else {
					require.False(t, s.IsNull(k), what)
					require.Equal(t, f.str, s.Value(k), what)
				}
				require.Equal(t, f.numNull, rec.Column(1).IsNull(k), what)
				require.EqualValues(t, k, rec.Column(2).(*array.Int64).Value(k), what)
			}
			rec.Release()
		}
	}
}

// TestCSVRefusesNUL checks that a NUL character in a field is refused with the file, the
// column and the row (counted from 1, the header not counted), in a string column or another.
func TestCSVRefusesNUL(t *testing.T) {
	schema := ir.Schema{{Name: "s", Type: types.StringT}, {Name: "n", Type: types.Int64T}}
	for _, c := range []struct{ body, col, row string }{
		{"s,n\nok,1\n\"a\x00b\",2\n", "s", "2"},
		{"s,n\na\x00,1\n", "s", "1"},
		{"n,s\n1,x\n2,y\n3\x00,z\n", "n", "3"},
	} {
		p := filepath.Join(t.TempDir(), "in.csv")
		require.NoError(t, os.WriteFile(p, []byte(c.body), 0o644))
		_, err := Read(memory.DefaultAllocator, p, schema)
		require.Error(t, err)
		require.Contains(t, err.Error(), p+", column "+c.col+", row "+c.row+":")
		require.Contains(t, err.Error(), "NUL")
	}
}

// TestCSVWriteReadBack writes strings that CSV must quote, the empty string and null, and reads
// the file back: every value, and null versus "", comes back as it was.
func TestCSVWriteReadBack(t *testing.T) {
	vals := []any{nil, "", " ", "x", `a"b`, "l\nm", "c,d", "\tt", `\.`, "é"}
	schema := ir.Schema{{Name: "s", Type: types.StringT}}
	b := array.NewStringBuilder(memory.DefaultAllocator)
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(v.(string))
		}
	}
	col := b.NewArray()
	// A second column: a line of one empty field is a blank line, which CSV readers skip.
	kb := array.NewInt64Builder(memory.DefaultAllocator)
	for i := range vals {
		kb.Append(int64(i))
	}
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{col, kb.NewArray()}, int64(len(vals)))
	var out strings.Builder
	require.NoError(t, WriteCSV(&out, rec))
	p := filepath.Join(t.TempDir(), "out.csv")
	require.NoError(t, os.WriteFile(p, []byte(out.String()), 0o644))
	back, err := Read(memory.DefaultAllocator, p, schema)
	require.NoError(t, err, out.String())
	s := back.Column(0).(*array.String)
	for i, v := range vals {
		if v == nil {
			require.True(t, s.IsNull(i), "row %d", i)
			continue
		}
		require.False(t, s.IsNull(i), "row %d", i)
		require.Equal(t, v, s.Value(i), "row %d", i)
	}
}

// TestCSVOneColumnNulls: in a one-column file a null is a blank line (as featc, DuckDB and
// Postgres write it); reading it back keeps every row, nulls included, in order — first, last,
// consecutive, with CRLF line ends, and not inside a quoted field.
func TestCSVOneColumnNulls(t *testing.T) {
	for _, c := range []struct {
		text string
		want []any
	}{
		{"x\n1.5\n\n2.5\n", []any{1.5, nil, 2.5}},
		{"x\n\n\n1\n\n", []any{nil, nil, 1.0, nil}},
		{"x\r\n\r\n2\r\n", []any{nil, 2.0}},
	} {
		p := filepath.Join(t.TempDir(), "one.csv")
		require.NoError(t, os.WriteFile(p, []byte(c.text), 0o644))
		rec, err := Read(memory.DefaultAllocator, p, ir.Schema{{Name: "x", Type: types.Float64T}})
		require.NoError(t, err, "%q", c.text)
		col := rec.Column(0).(*array.Float64)
		require.Equal(t, len(c.want), col.Len(), "%q", c.text)
		for i, w := range c.want {
			if w == nil {
				require.True(t, col.IsNull(i), "%q row %d", c.text, i)
			} else {
				require.Equal(t, w, col.Value(i), "%q row %d", c.text, i)
			}
		}
		rec.Release()
	}
	// A quoted field holding a blank line is one value, not a null row.
	p := filepath.Join(t.TempDir(), "q.csv")
	require.NoError(t, os.WriteFile(p, []byte("s\n\"a\n\nb\"\n\n"), 0o644))
	rec, err := Read(memory.DefaultAllocator, p, ir.Schema{{Name: "s", Type: types.StringT}})
	require.NoError(t, err)
	s := rec.Column(0).(*array.String)
	require.Equal(t, 2, s.Len())
	require.Equal(t, "a\n\nb", s.Value(0))
	require.True(t, s.IsNull(1))
	rec.Release()
}
