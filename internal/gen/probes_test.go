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
	cbrt := &stdlib.Func{Name: "cube_root", Method: true, Kind: stdlib.Scalar, Params: []stdlib.Param{{Name: "x"}}}
	cbrt.Overloads = []*stdlib.Overload{{ID: "cube_root_float64", Args: []types.Kind{types.Float64}, Result: types.Float64T}}
	p := OverloadProbes(cbrt, cbrt.Overloads[0])
	if len(p) != 2 || p[0].Expr != "a0.cube_root()" || len(p[0].Types) != 1 || p[0].Types[0] != types.Float64T {
		t.Errorf("a new method: probes %+v", p)
	}
	// The same call with its argument grouped, under an operator binding tighter.
	if len(p) == 2 && (p[1].Expr != "((a0 - 0.0).cube_root()) * 2.0" || p[1].Key != "0g") {
		t.Errorf("a new method's grouped probe: %+v", p[1])
	}
}
