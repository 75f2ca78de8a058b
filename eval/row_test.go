package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/types"
)

// TestRowKernelsAgreeWithVectorKernels runs every row kernel against the vector kernel of the
// same overload on every combination of edge values (nulls, zero, extremes, NaN, infinities,
// empty and unicode strings): the row kernel's answer must be the vector kernel's, and it must
// decline exactly where the vector kernel fails (an overflow), which the vector path reports.
func TestRowKernelsAgreeWithVectorKernels(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	pool := map[types.Kind][]types.Value{
		types.Bool:      {types.BoolValue(true), types.BoolValue(false), types.NullValue(types.BoolT)},
		types.Int64:     ints(types.Int64T, 0, 1, -1, 7, math.MaxInt64, math.MinInt64),
		types.Date:      ints(types.DateT, 0, 19753, -1),
		types.Timestamp: ints(types.TimestampT, 0, 1706659200000000, -1, math.MaxInt64),
		types.Duration:  ints(types.DurationT, 0, 3600000000, -5400000000, -7, math.MinInt64, math.MaxInt64),
		types.Float64: {types.Float64Value(0), types.Float64Value(math.Copysign(0, -1)), types.Float64Value(1.5),
			types.Float64Value(-2.5), types.Float64Value(nan), types.Float64Value(inf), types.Float64Value(-inf),
			types.Float64Value(math.MaxFloat64), types.NullValue(types.Float64T)},
		types.String: {types.StringValue(""), types.StringValue("vip"), types.StringValue("vip-1"),
			types.StringValue("é🙂"), types.StringValue("🙂"), types.NullValue(types.StringT)},
	}
	kernels := scalarKernels()
	for id, mk := range rowKernels() {
		vk := kernels[id]
		require.NotNil(t, vk, "row kernel %s has no vector kernel", id)
		argKinds, result := rowSignature(t, id)
		n := 0
		forEachCombination(argKinds, pool, func(args []types.Value) {
			n++
			vecs := make([]*Vec, len(args))
			slots := make([]slot, len(args)+1)
			regs := make([]int, len(args))
			for i, a := range args {
				vecs[i] = constVec(a)
				vecs[i].Const = false
				loadSlot(&slots[i], vecs[i])
				regs[i] = i
			}
			out := len(args)
			p := &exprProg{}
			p.row = []rowInstr{mk(p, regs, out)}
			answered := p.execRow(slots, nil, nil)
			vo := Vec{T: result}
			k := &kctx{n: 1, arena: &arena{}}
			err := vk(k, &vo, vecs)
			require.Equal(t, err != nil, !answered, "%s%v: the row kernel declines exactly where the vector kernel fails (%v)", id, args, err)
			if !answered {
				return
			}
			ro := Vec{T: result}
			storeSlot(&ro, &slots[out])
			require.Equal(t, vo.IsNull(0), ro.IsNull(0), "%s%v", id, args)
			require.Equal(t, vo.Value(0).String(), ro.Value(0).String(), "%s%v", id, args)
		})
		require.Positive(t, n, id)
	}
}

func ints(t types.Type, xs ...int64) []types.Value {
	var out []types.Value
	for _, x := range xs {
		out = append(out, types.Value{Type: t, I: x})
	}
	return append(out, types.NullValue(t))
}

// rowSignature gives the argument kinds and result type of a row kernel's overload, from its
// ID's type suffix.
func rowSignature(t *testing.T, id string) ([]types.Kind, types.Type) {
	kinds := map[string]types.Type{"bool": types.BoolT, "int64": types.Int64T, "float64": types.Float64T,
		"string": types.StringT, "date": types.DateT, "timestamp": types.TimestampT, "duration": types.DurationT}
	if strings.HasPrefix(id, "dt_") {
		return []types.Kind{types.Duration}, types.Int64T
	}
	at := strings.LastIndexByte(id, '_')
	name, suffix := id[:at], id[at+1:]
	if id == "str_contains" { // its literal flag: the row kernel serves literal patterns
		return []types.Kind{types.String, types.String, types.Bool}, types.BoolT
	}
	if strings.HasPrefix(id, "str_") && !strings.HasSuffix(id, "_string") {
		return []types.Kind{types.String, types.String}, types.BoolT
	}
	typ, ok := kinds[suffix]
	if name == "is_null" || name == "is_not_null" {
		return []types.Kind{types.Float64}, types.BoolT
	}
	require.True(t, ok, "unknown row kernel suffix in %s", id)
	k := typ.Kind
	switch name {
	case "add", "sub", "mul", "div":
		if name == "sub" && k == types.Timestamp {
			return []types.Kind{k, k}, types.DurationT
		}
		return []types.Kind{k, k}, typ
	case "eq", "ne", "lt", "le", "gt", "ge", "and", "or":
		return []types.Kind{k, k}, types.BoolT
	case "not":
		return []types.Kind{k}, types.BoolT
	case "abs", "neg":
		return []types.Kind{k}, typ
	case "between":
		return []types.Kind{k, k, k, types.Kind(255)}, types.BoolT
	case "case":
		return []types.Kind{types.Bool, k, types.Bool, k, k}, typ
	case "coalesce":
		return []types.Kind{k, k, k}, typ
	case "fill_null":
		return []types.Kind{k, k}, typ
	}
	t.Fatalf("no signature for row kernel %s", id)
	return nil, types.Type{}
}

// forEachCombination calls f with every combination of pool values for kinds (kind 255: the
// closed option of between).
func forEachCombination(kinds []types.Kind, pool map[types.Kind][]types.Value, f func([]types.Value)) {
	args := make([]types.Value, len(kinds))
	var rec func(i int)
	rec = func(i int) {
		if i == len(kinds) {
			f(args)
			return
		}
		vals := pool[kinds[i]]
		if kinds[i] == 255 {
			for _, m := range []string{"both", "left", "right", "none"} {
				vals = append(vals, types.StringValue(m))
			}
		}
		for _, v := range vals {
			args[i] = v
			rec(i + 1)
		}
	}
	rec(0)
}
