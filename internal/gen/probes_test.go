package gen

import (
	"testing"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestEveryOverloadIsProbed: the support table and the conformance probes cover every
// overload of the standard library, and a new scalar function of value parameters is probed
// from its declaration alone (no entry in OverloadProbes' cases).
func TestEveryOverloadIsProbed(t *testing.T) {
	for _, f := range stdlib.Standard().Funcs() {
		if f.Special || f.Internal {
			continue
		}
		for _, o := range f.Overloads {
			if len(OverloadProbes(f, o)) == 0 {
				t.Errorf("%s (%s) has no probe", f.Name, o.ID)
			}
		}
	}
	cbrt := &stdlib.Func{Name: "cbrt", Method: true, Kind: stdlib.Scalar, Params: []stdlib.Param{{Name: "x"}}}
	o := &stdlib.Overload{ID: "cbrt_float64", Args: []types.Kind{types.Float64}, Result: types.Float64T}
	if p := OverloadProbes(cbrt, o); len(p) != 1 || p[0].Expr != "a0.cbrt()" || len(p[0].Types) != 1 || p[0].Types[0] != types.Float64T {
		t.Errorf("a new method: probes %+v", p)
	}
}
