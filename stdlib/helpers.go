package stdlib

import (
	"github.com/featc/featc/types"
)

// Helpers that keep the family tables short.

func param(name, doc string) Param { return Param{Name: name, Doc: doc} }

func constParam(name, doc string) Param { return Param{Name: name, Kind: Const, Doc: doc} }

func optConst(name, def, doc string) Param {
	return Param{Name: name, Kind: Const, Optional: true, Default: def, Doc: doc}
}

func ov(id string, result types.Type, args ...types.Kind) *Overload {
	return &Overload{ID: id, Args: args, Result: result}
}

func ovFn(id string, fn func([]types.Type) types.Type, args ...types.Kind) *Overload {
	return &Overload{ID: id, Args: args, ResultFn: fn}
}

// sameAs returns a result rule: the type of argument i (after conversion).
func sameAs(i int) func([]types.Type) types.Type {
	return func(args []types.Type) types.Type {
		if i < len(args) {
			return args[i]
		}
		return types.Invalid
	}
}

// commonOf returns the common type of all arguments from index from on (the values of
// coalesce, the branches of a conditional).
func commonOf(from int) func([]types.Type) types.Type {
	return func(args []types.Type) types.Type {
		t := types.NullT
		for _, a := range args[from:] {
			c, ok := types.Common(t, a)
			if !ok {
				return types.Invalid
			}
			t = c
		}
		return t
	}
}

// decimalAdd is the result of decimal + and -: one more integer digit than the wider operand.
func decimalAdd(args []types.Type) types.Type {
	c := types.CommonDecimal(args[0], args[1])
	return types.DecimalType(min(int(c.Precision)+1, types.MaxDecimalPrecision), int(c.Scale))
}

// decimalMul is the result of decimal *: precisions and scales add.
func decimalMul(args []types.Type) types.Type {
	s := min(int(args[0].Scale)+int(args[1].Scale), types.MaxDecimalPrecision)
	p := min(int(args[0].Precision)+int(args[1].Precision), types.MaxDecimalPrecision)
	return types.DecimalType(max(p, s), s)
}

// decimalSum is the result of sum over decimals: the widest precision, the same scale.
func decimalSum(args []types.Type) types.Type {
	return types.DecimalType(types.MaxDecimalPrecision, int(args[0].Scale))
}

// decimalRound is the result of round(decimal, n): scale min(s, n), same integer digits plus
// one for a carry.
func decimalInt(args []types.Type) types.Type {
	p := min(int(args[0].Precision)-int(args[0].Scale)+1, types.MaxDecimalPrecision)
	return types.DecimalType(max(p, 1), 0)
}

// Kind lists used to generate per-type overloads.
var (
	numericKinds = []types.Kind{types.Int64, types.Float64, types.Decimal}
	orderedKinds = []types.Kind{types.Bool, types.Int64, types.Float64, types.Decimal, types.String, types.Date, types.Timestamp, types.Duration}
)

// perKind builds one overload per kind, all of whose arguments are that kind (n arguments),
// with the result of fn (or the argument type when fn is nil).
func perKind(name string, kinds []types.Kind, n int, result func(types.Kind) *types.Type) []*Overload {
	var out []*Overload
	for _, k := range kinds {
		args := make([]types.Kind, n)
		for i := range args {
			args[i] = k
		}
		id := name + "_" + kindName(k)
		var r *types.Type
		if result != nil {
			r = result(k)
		}
		switch {
		case r != nil:
			out = append(out, ov(id, *r, args...))
		case k == types.Decimal && n > 1:
			out = append(out, ovFn(id, commonOf(0), args...))
		default:
			out = append(out, ovFn(id, sameAs(0), args...))
		}
	}
	return out
}

func fixed(t types.Type) func(types.Kind) *types.Type {
	return func(types.Kind) *types.Type { return &t }
}

// kindName names a kind in overload IDs ("any" for Any).
func kindName(k types.Kind) string {
	if k == Any {
		return "any"
	}
	return k.String()
}
