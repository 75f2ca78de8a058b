package eval_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// compile compiles .feat source for tests.
func compile(t testing.TB, src string, opts ...featc.Option) *featc.Program {
	t.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: src}}, opts...)
	require.NoError(t, err)
	return p
}

// record builds an Arrow record of schema s from rows of Go values (nil is null; dates and
// timestamps as "2024-01-31" and "2024-01-31T08:00:00" strings; durations as time.Duration).
func record(t testing.TB, s ir.Schema, rows ...[]any) arrow.RecordBatch {
	t.Helper()
	mem := memory.DefaultAllocator
	b := array.NewRecordBuilder(mem, eval.ArrowSchema(s))
	defer b.Release()
	for _, row := range rows {
		require.Len(t, row, len(s))
		for c, v := range row {
			fb := b.Field(c)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.Int32Builder:
				fb.Append(int32(v.(int)))
			case *array.Int64Builder:
				fb.Append(int64(v.(int)))
			case *array.Float64Builder:
				switch x := v.(type) {
				case float64:
					fb.Append(x)
				case int:
					fb.Append(float64(x))
				}
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Date32Builder:
				d, err := types.ParseDate(v.(string))
				require.NoError(t, err)
				fb.Append(arrow.Date32(d))
			case *array.TimestampBuilder:
				us, err := types.ParseTimestamp(v.(string))
				require.NoError(t, err)
				fb.Append(arrow.Timestamp(us))
			case *array.DurationBuilder:
				fb.Append(arrow.Duration(v.(time.Duration).Microseconds()))
			case *array.Decimal128Builder:
				val, err := eval.ToValue(v.(string), s[c].Type)
				require.NoError(t, err)
				fb.Append(decFromValue(val))
			default:
				t.Fatalf("unsupported builder %T", fb)
			}
		}
	}
	return b.NewRecordBatch()
}

// schemaOf returns the declared schema of a source of a program.
func schemaOf(p *featc.Program, source string) ir.Schema { return p.IR().Def(source).Schema }

// rows renders an output's rows as "a | b | c" lines, sorted unless ordered.
func rows(t testing.TB, r *eval.Result, name string, ordered bool) []string {
	t.Helper()
	tab := r.Table(name)
	require.NotNil(t, tab, "no output %s", name)
	var out []string
	for i := 0; i < tab.N; i++ {
		var cells []string
		for _, c := range tab.Cols {
			cells = append(cells, c.Value(i).String())
		}
		out = append(out, strings.Join(cells, " | "))
	}
	if !ordered {
		sort.Strings(out)
	}
	return out
}

// run compiles src, binds inputs and runs every output.
func run(t testing.TB, p *featc.Program, inputs eval.Inputs, params eval.Params) *eval.Result {
	t.Helper()
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	res, err := ev.Run(context.Background(), inputs, params)
	require.NoError(t, err)
	return res
}

var _ = fmt.Sprint

func decFromValue(v types.Value) decimal128.Num { return decimal128.FromBigInt(v.Dec) }

type irProgram = ir.Program

func featcMode(m string) featc.Option { return featc.Mode(m) }

// inputSchema returns the schema of an input: a source's, or the spine of entity features.
func inputSchema(p *featc.Program, name string) ir.Schema {
	d := p.IR().Def(name)
	if a, ok := d.Rel.(*ir.EntityApply); ok {
		return a.Spine.Schema()
	}
	return d.Schema
}
