package conformance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// textShapes generates the text the reading of dates and times must decide on
// (docs/semantics.md, "Text as dates and times"): real and impossible calendar days, missing
// zero-padding, other separators, T or a space, times without seconds, fractional seconds up to
// and past microseconds, out-of-range fields, offsets (Z, ±HH:MM, and spellings that are not
// accepted), a date alone read as a timestamp, the range's ends moved across by an offset, and
// padding by spaces and by other white space.
func textShapes() []string {
	dates := []string{"2020-01-02", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "2020-04-31", "2020-13-01", "2020-00-10",
		"2020-01-00", "2020-01-32", "0000-01-01", "0001-01-01", "9999-12-31", "2020-1-1", "2020-01-1", "2020-1-01", "20-01-01",
		"02020-01-01", "2020/01/02", "2020-01-02x", "", "2020-01", "+2020-01-02", "２０２０-01-02", "2020-01-02\n"}
	realDates := []string{"2020-01-02", "2024-02-29", "0001-01-01", "9999-12-31"}
	clocks := []string{"", "T03:04:05", " 03:04:05", "T03:04", " 03:04", "T03", "T03:04:05.5", "T03:04:05.123456", "T03:04:05.1234567",
		"T03:04:05.", "T24:00:00", "T23:59:60", "T23:60:00", "T3:04:05", "t03:04:05", "  03:04:05", "T00:00:00", "T23:59:59.999999"}
	offsets := []string{"", "Z", "+00:00", "+02:00", "-05:30", "+14:00", "+14:59", "+15:00", "-14:00", "+0200", "+02", "z", " +02:00",
		"+02:00:00", "UTC", "-00:00"}
	pads := []string{" ", "   ", "\t", "\n", "\u00a0"}
	var out []string
	out = append(out, dates...)
	for _, d := range dates {
		out = append(out, d+"T03:04:05")
	}
	for _, d := range realDates {
		for _, c := range clocks {
			out = append(out, d+c)
		}
	}
	for _, base := range []string{"2020-01-02T03:04:05", "2020-01-02 03:04:05.25", "0001-01-01T00:30:00", "9999-12-31T23:30:00"} {
		for _, o := range offsets {
			out = append(out, base+o)
		}
	}
	for _, p := range pads {
		for _, base := range []string{"2020-01-02", "2020-01-02 03:04:05", "2020-01-02T03:04:05+02:00"} {
			out = append(out, p+base, base+p, p+base+p)
		}
	}
	// The cases of issue 10, point 5.
	out = append(out, "2020-1-1", " 2020-01-01", "2020-01-02 ", "2020-01-01", "2020-01-02T03:04", "2020-01-02 03:04:05+00:00", "2020-01-02T03:04:05Z")
	seen := map[string]bool{}
	var uniq []string
	for _, s := range out {
		if !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

// textOracle reads text as docs/semantics.md says, written apart from the evaluator: a regular
// expression for the shape, then time.Date for the calendar. ok is false where the text must
// not convert.
var oracleShape = regexp.MustCompile(`^ *([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?(Z|[+-][0-9]{2}:[0-9]{2})?)? *$`)

func textOracle(s string, to types.Kind) (types.Value, bool) {
	m := oracleShape.FindStringSubmatch(s)
	if m == nil || (to == types.Date) != (m[4] == "") {
		return types.Value{}, false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	y, mo, d := n(1), n(2), n(3)
	if y < 1 || mo < 1 || mo > 12 || d < 1 {
		return types.Value{}, false
	}
	day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if day.Day() != d || day.Month() != time.Month(mo) {
		return types.Value{}, false
	}
	if to == types.Date {
		return types.DateValue(day.Unix() / 86400), true
	}
	h, mi, sec := n(4), n(5), n(6)
	if h > 23 || mi > 59 || sec > 59 {
		return types.Value{}, false
	}
	frac := 0
	if m[7] != "" {
		frac, _ = strconv.Atoi((m[7] + "000000")[:6])
	}
	at := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second + time.Duration(frac)*time.Microsecond)
	if o := m[8]; o != "" && o != "Z" {
		oh, _ := strconv.Atoi(o[1:3])
		om, _ := strconv.Atoi(o[4:6])
		if oh > 14 || om > 59 {
			return types.Value{}, false
		}
		shift := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
		if o[0] == '+' {
			shift = -shift
		}
		at = at.Add(shift)
	}
	if at.Year() < 1 || at.Year() > 9999 {
		return types.Value{}, false
	}
	return types.TimestampValue(at.UnixMicro()), true
}

// TestTextAsDatesAndTimes casts every generated text shape to a date and to a timestamp on the
// evaluator and every engine: the evaluator must give the oracle's value or fail where the
// oracle refuses, and each engine must give the evaluator's value, or fail on the same text.
func TestTextAsDatesAndTimes(t *testing.T) {
	shapes := textShapes()
	engs := engines(t)
	schema := ir.Schema{{Name: "featc_row", Type: types.Int64T}, {Name: "s", Type: types.StringT}}
	for _, to := range []types.Kind{types.Date, types.Timestamp} {
		typ := map[types.Kind]string{types.Date: "date", types.Timestamp: "timestamp"}[to]
		t.Run(typ, func(t *testing.T) {
			p, err := featc.CompileSources([]featc.Source{{Name: "cast.feat", Text: "source input { featc_row: int64, s: string }\n" +
				"frame result = input.select(featc_row, result = s.cast(" + typ + "))\n"}})
			if err != nil {
				t.Fatal(err)
			}
			var good, bad [][]types.Value
			want := map[int64]string{}
			accepted := 0
			for i, s := range shapes {
				row := []types.Value{types.Int64Value(int64(i)), types.StringValue(s)}
				got, err := evalResult(p, schema, [][]types.Value{row})
				ov, ok := textOracle(s, to)
				switch {
				case ok && err != nil:
					t.Errorf("%q: the evaluator fails (%v), the rule gives %s", s, err, ov)
				case !ok && err == nil:
					t.Errorf("%q: the evaluator gives %s, the rule refuses it", s, got[int64(i)])
				case ok && got[int64(i)] != ov.String():
					t.Errorf("%q: the evaluator gives %s, the rule %s", s, got[int64(i)], ov)
				}
				if err == nil {
					good = append(good, row)
					want[int64(i)] = got[int64(i)]
					accepted++
				} else {
					bad = append(bad, row)
				}
			}
			// The shapes must exercise both outcomes, or the test proves nothing.
			if accepted < 10 || len(bad) < 20 {
				t.Fatalf("%d shapes accepted, %d refused: the generator lost its spread", accepted, len(bad))
			}
			for _, e := range engs {
				runTextCasts(t, e, p, schema, good, bad, want)
			}
		})
	}
}

// runTextCasts runs the accepted rows at once and each refused row alone on one connection.
func runTextCasts(t *testing.T, e engine, p *featc.Program, schema ir.Schema, good, bad [][]types.Value, want map[int64]string) {
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	st, err := sqlgen.CompileOutput(p.IR(), e.d, "result", sqlgen.Options{})
	if err != nil {
		t.Fatalf("%s: %v", e.name, err)
	}
	if _, err := conn.ExecContext(ctx, e.d.CreateTable("input", schema, false)); err != nil {
		t.Fatal(err)
	}
	run := func(rows [][]types.Value) (map[int64]string, error) {
		if _, err := conn.ExecContext(ctx, "DELETE FROM "+e.d.TableName("input")); err != nil {
			t.Fatal(err)
		}
		stmts, err := e.d.InsertRows("input", schema, rows, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", e.name, err)
			}
		}
		res, err := sqlrun.Query(ctx, conn, st)
		if err != nil {
			return nil, err
		}
		out := map[int64]string{}
		for _, r := range res {
			out[r[0].I] = r[1].String()
		}
		return out, nil
	}
	got, err := run(good)
	if err != nil {
		t.Errorf("%s fails on text the evaluator reads: %v", e.name, err)
	} else {
		for _, r := range good {
			if k := r[0].I; got[k] != want[k] {
				t.Errorf("%s: %q gives %s, the evaluator %s", e.name, r[1].S, got[k], want[k])
			}
		}
	}
	for _, r := range bad {
		if got, err := run([][]types.Value{r}); err == nil {
			t.Errorf("%s: %q gives %s, the evaluator refuses it", e.name, r[1].S, got[r[0].I])
		}
	}
}

// TestCSVDatesAndTimes reads text shapes from CSV files as date and timestamp columns: featc's
// reader (which the evaluator and every engine's loading use) and each engine's own reader where
// it reads files (DuckDB: a CSV bound with --input at compile time) must agree on every file, both in what they read and in
// refusing a file.
func TestCSVDatesAndTimes(t *testing.T) {
	readers := 0
	for _, e := range engines(t) {
		if e.d.ReadFile != nil {
			readers++
			t.Run(e.name, func(t *testing.T) { testCSVReader(t, e) })
		}
	}
	if readers == 0 {
		t.Fatal("no engine here reads files: the embedded engine should")
	}
}

// testCSVReader compares an engine's reading of CSV files with featc's.
func testCSVReader(t *testing.T, eng engine) {
	dir := t.TempDir()
	for _, to := range []types.Kind{types.Date, types.Timestamp} {
		typ := map[types.Kind]string{types.Date: "date", types.Timestamp: "timestamp"}[to]
		p, err := featc.CompileSources([]featc.Source{{Name: "csv.feat", Text: "source input { featc_row: int64, v: " + typ + " }\n" +
			"frame result = input.select(featc_row, v)\n"}})
		if err != nil {
			t.Fatal(err)
		}
		schema := p.IR().Def("input").Schema
		var goodLines []string
		files := map[string]string{} // text → file of that one row
		for i, s := range textShapes() {
			if strings.ContainsAny(s, "\n\"") {
				continue // a line break or quote would need quoting: the cast test has them
			}
			field := `"` + s + `"`
			if _, ok := textOracle(s, to); ok || s == "" {
				goodLines = append(goodLines, fmt.Sprintf("%d,%s", i, field))
			} else {
				path := filepath.Join(dir, fmt.Sprintf("%s_bad_%d.csv", typ, i))
				if err := os.WriteFile(path, []byte("featc_row,v\n"+strconv.Itoa(i)+","+field+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				files[s] = path
			}
		}
		goodPath := filepath.Join(dir, typ+"_good.csv")
		if err := os.WriteFile(goodPath, []byte("featc_row,v\n"+strings.Join(goodLines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		readFeatc := func(path string) (map[int64]string, error) {
			rec, err := dataio.Read(memory.DefaultAllocator, path, schema)
			if err != nil {
				return nil, err
			}
			defer rec.Release()
			rows, err := eval.RecordValues(rec, schema)
			if err != nil {
				return nil, err
			}
			out := map[int64]string{}
			for _, r := range rows {
				out[r[0].I] = r[1].String()
			}
			return out, nil
		}
		conn, done := eng.open(t)
		defer done()
		readEngine := func(path string) (map[int64]string, error) {
			st, err := sqlgen.CompileOutput(p.IR(), eng.d, "result", sqlgen.Options{Sources: map[string]sqlgen.Relation{"input": {File: path}}})
			if err != nil {
				return nil, err
			}
			res, err := sqlrun.Query(context.Background(), conn, st)
			if err != nil {
				return nil, err
			}
			out := map[int64]string{}
			for _, r := range res {
				out[r[0].I] = r[1].String()
			}
			return out, nil
		}
		want, err := readFeatc(goodPath)
		if err != nil {
			t.Fatalf("%s: featc's reader fails: %v", typ, err)
		}
		if len(want) < 10 {
			t.Fatalf("%s: only %d good shapes", typ, len(want))
		}
		for i, s := range textShapes() {
			ov, ok := textOracle(s, to)
			w := ov.String()
			if s == "" {
				// A quoted empty field of a column that is not a string is null (docs/semantics.md,
				// "CSV input").
				ok, w = true, "null"
			}
			if ok && want[int64(i)] != w && !strings.ContainsAny(s, "\n\"") {
				t.Errorf("%s: featc's reader reads %q as %s, the rule as %s", typ, s, want[int64(i)], w)
			}
		}
		got, err := readEngine(goodPath)
		if err != nil {
			t.Fatalf("%s: %s's reader fails: %v", typ, eng.name, err)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: row %d: %s reads %s, featc %s", typ, k, eng.name, got[k], w)
			}
		}
		for s, path := range files {
			if _, err := readFeatc(path); err == nil {
				t.Errorf("%s: featc's reader takes %q", typ, s)
			}
			if got, err := readEngine(path); err == nil {
				t.Errorf("%s: %s's reader takes %q as %v", typ, eng.name, s, got)
			}
		}
	}
}

// TestNULParamRefused gives a string param text with and without a NUL character: the
// evaluator and every dialect's SQL generation refuse the first, naming the param, and take
// the second.
func TestNULParamRefused(t *testing.T) {
	p, err := featc.CompileSources([]featc.Source{{Name: "p.feat", Text: "source input { featc_row: int64, s: string }\nparam p: string\n" +
		"frame result = input.select(featc_row, result = s + p)\n"}})
	if err != nil {
		t.Fatal(err)
	}
	schema := p.IR().Def("input").Schema
	rec := eval.ValuesRecord(memory.DefaultAllocator, schema, [][]types.Value{{types.Int64Value(1), types.StringValue("x")}})
	defer rec.Release()
	ev, err := eval.New(p.IR(), eval.Outputs("result"))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"a\x00b", "\x00", "ab"} {
		bad := strings.Contains(text, "\x00")
		res, err := ev.Run(context.Background(), eval.Inputs{"input": rec}, eval.Params{"p": text})
		if err == nil {
			res.Release()
		}
		if bad != (err != nil) || bad && !strings.Contains(err.Error(), "param p") {
			t.Errorf("evaluator, p = %q: %v", text, err)
		}
		for _, e := range backends.Engines() {
			d := e.Dialect
			_, err := sqlgen.CompileOutput(p.IR(), d, "result", sqlgen.Options{Params: map[string]types.Value{"p": types.StringValue(text)}})
			if bad != (err != nil) || bad && !strings.Contains(err.Error(), "param p") {
				t.Errorf("%s, p = %q: %v", d.Name, text, err)
			}
		}
	}
}
