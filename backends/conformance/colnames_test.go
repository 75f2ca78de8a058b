package conformance_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// colSource holds two groups (g) whose rows are out of k's order, so that partitioning,
// grouping or sorting by a constant (the whole frame, the input's order) gives other rows than
// by the column.
const colSource = `source t { g: int64, k: int64, x: float64, ts: timestamp, s: string }
source u { g: int64, k: int64, y: float64, ts: timestamp }
`

var colRows = map[string][][]any{
	"t": {
		{1, 3, 1.5, "2024-01-03T00:00:00", "a"}, {2, 1, -2.0, "2024-01-01T00:00:00", "b"},
		{1, 1, 4.0, "2024-01-01T00:00:00", "c"}, {2, 4, 0.25, "2024-01-05T00:00:00", "d"},
		{1, 2, nil, "2024-01-02T00:00:00", "e"}, {2, 2, 8.0, "2024-01-02T00:00:00", "f"},
	},
	"u": {{1, 1, 10.0, "2024-01-01T00:00:00"}, {2, 2, 20.0, "2024-01-01T12:00:00"}, {1, 3, 30.0, "2024-01-02T00:00:00"}},
}

// columnPositionPrograms writes, for an argument that takes columns, a frame "o" reading the
// columns the way col writes them (g, k, ts: bare or quoted). The checker's own methods are
// listed by ir.ColumnPositions, the standard library's by its signatures; a position without a
// program here fails the test.
var columnPositionPrograms = map[ir.ColumnPosition]func(col func(string) string) string{
	{Method: "over", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.with_columns(v = x.sum().over(" + c("g") + "))"
	},
	{Method: "over", Arg: "order_by"}: func(c func(string) string) string {
		// By x: an order by a constant would fall back on the tie-break by every column (g, k,
		// x), which k's order would agree with.
		return "frame o = t.with_columns(v = x.cum_sum().over(g, order_by = " + c("x") + "))"
	},
	{Method: "sort", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.sort(" + c("k") + ", " + c("g") + ")"
	},
	{Method: "group_by", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.group_by(" + c("g") + ").agg(v = x.sum())"
	},
	{Method: "select", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.select(" + c("g") + ", [" + c("k") + ", x])"
	},
	{Method: "with_columns", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.with_columns(" + c("g") + ").select(g, k)"
	},
	{Method: "drop", Arg: ""}: func(c func(string) string) string {
		return "frame o = t.drop(" + c("ts") + ", [" + c("s") + "])"
	},
	{Method: "rename", Arg: "*"}: func(c func(string) string) string {
		return "frame o = t.rename(kk = " + c("k") + ")"
	},
	{Method: "join", Arg: "on"}: func(c func(string) string) string {
		return "frame o = t.join(u, on = [" + c("g") + ", " + c("k") + "]).select(g, k, x, y)"
	},
	{Method: "join", Arg: "left_on"}: func(c func(string) string) string {
		return "frame o = t.join(u, left_on = " + c("k") + ", right_on = k).select(g, k, x, y)"
	},
	{Method: "join", Arg: "right_on"}: func(c func(string) string) string {
		return "frame o = t.join(u, left_on = k, right_on = " + c("k") + ").select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "on"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, on = " + c("ts") + ", by = g).select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "left_on"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, left_on = " + c("ts") + ", right_on = ts, by = g).select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "right_on"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, left_on = ts, right_on = " + c("ts") + ", by = g).select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "by"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, on = ts, by = " + c("g") + ").select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "by_left"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, on = ts, by_left = " + c("g") + ", by_right = g).select(g, k, x, y)"
	},
	{Method: "join_asof", Arg: "by_right"}: func(c func(string) string) string {
		return "frame o = t.join_asof(u, on = ts, by_left = g, by_right = " + c("g") + ").select(g, k, x, y)"
	},
}

// stdlibColumnProgram writes a frame calling f with its column parameter p given as col(c):
// an aggregate per group, a window over g.
func stdlibColumnProgram(f *stdlib.Func, p stdlib.Param, c func(string) string) string {
	col := map[bool]string{true: c("ts"), false: c("k")}[p.Name == "by"]
	args := []string{p.Name + " = " + col}
	for _, q := range f.Params[1:] {
		if q.Name == "period" && p.Name == "by" {
			args = append(args, "period = 2d")
		}
	}
	call := "x." + f.ShortName() + "(" + strings.Join(args, ", ") + ")"
	switch f.Kind {
	case stdlib.Aggregate:
		return "frame o = t.group_by(g).agg(v = " + call + ")"
	case stdlib.Window:
		return "frame o = t.with_columns(v = " + call + ".over(g))"
	}
	return "frame o = t.with_columns(v = " + call + ")"
}

// TestColumnNamesAsStrings: wherever an argument takes columns — every position the checker
// lists, every parameter of the standard library that names columns — "name" means the column
// name, as in Polars: the program written with strings gives the rows of the program written
// with bare names, on the evaluator and on every engine. Before, .over("g") partitioned by the
// constant (the whole frame) and sort("k") kept the input's order, silently.
func TestColumnNamesAsStrings(t *testing.T) {
	defer logCells(t)
	bare := func(n string) string { return n }
	quoted := func(n string) string { return `"` + n + `"` }
	type prog struct{ name, bare, quoted string }
	var progs []prog
	for _, pos := range ir.ColumnPositions() {
		write, ok := columnPositionPrograms[pos]
		if !ok {
			t.Errorf("no program for the column position %s(%s): add one to columnPositionPrograms", pos.Method, pos.Arg)
			continue
		}
		progs = append(progs, prog{fmt.Sprintf("%s(%s)", pos.Method, pos.Arg), write(bare), write(quoted)})
	}
	n := 0
	for _, f := range stdlib.Standard().Funcs() {
		for _, p := range f.Params {
			if ir.TakesColumns(p) {
				progs = append(progs, prog{f.Name + "(" + p.Name + ")", stdlibColumnProgram(f, p, bare), stdlibColumnProgram(f, p, quoted)})
				n++
			}
		}
	}
	if n < 3 {
		t.Fatalf("the standard library has %d parameters naming columns; want first's and last's order_by and rolling's by at least", n)
	}
	engs := engines(t)
	for _, pr := range progs {
		t.Run(pr.name, func(t *testing.T) {
			want, err := colRun(t, nil, colSource+pr.bare+"\n")
			if err != nil {
				t.Fatalf("%s: %v", pr.bare, err)
			}
			got, err := colRun(t, nil, colSource+pr.quoted+"\n")
			if err != nil {
				t.Fatalf("%s: %v", pr.quoted, err)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("evaluator: %s gives\n%s\nbut %s gives\n%s", pr.quoted, strings.Join(got, "\n"), pr.bare, strings.Join(want, "\n"))
			}
			for _, e := range engs {
				got, err := colRun(t, &e, colSource+pr.quoted+"\n")
				if why := declaredRefusal(e.d, err); why != "" {
					cellRefused(t, e.name, why, err) // the engine refuses the construct itself
					continue
				}
				if err != nil {
					t.Fatalf("%s: %s: %v", e.name, pr.quoted, err)
				}
				cellRan(t, e.name)
				if !sameRows(got, want) {
					t.Fatalf("%s: %s gives\n%s\nwant\n%s", e.name, pr.quoted, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

// colRun computes frame o over colRows on an engine (nil: the evaluator), its rows in order
// when it ends in a sort, else sorted.
func colRun(t *testing.T, e *engine, src string) ([]string, error) {
	t.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: src}})
	if err != nil {
		return nil, err
	}
	ordered := ir.Ordered(p.IR().Def("o").Rel)
	data := map[string][][]types.Value{}
	for name, rs := range colRows {
		schema := p.IR().Def(name).Schema
		for _, r := range rs {
			row := make([]types.Value, len(r))
			for i, x := range r {
				if row[i], err = cases.Value(x, schema[i].Type); err != nil {
					t.Fatal(err)
				}
			}
			data[name] = append(data[name], row)
		}
	}
	if e == nil {
		c := cases.Case{Src: src, Output: "o", Ordered: ordered, Inputs: colRows}
		return evalRows(t, c), nil
	}
	prog, diags := ir.Prune(p.IR(), ir.ParseOutputs([]string{"o"}))
	if prog == nil {
		return nil, diags.Err()
	}
	st, err := sqlgen.CompileOutput(prog, e.d, "o", sqlgen.Options{})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	for name, rows := range data {
		load(t, ctx, conn, e.d, name, p.IR().Def(name).Schema, rows)
	}
	res, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		return nil, err
	}
	out := render(res, ordered)
	if !ordered {
		sort.Strings(out)
	}
	return out, nil
}
