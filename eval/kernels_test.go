package eval

import (
	"strings"
	"testing"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestEveryOverloadHasAKernel keeps the kernel table in step with the stdlib: every scalar
// overload has a kernel, every aggregate an accumulator, every window function an
// implementation; and no kernel is left without an overload.
func TestEveryOverloadHasAKernel(t *testing.T) {
	lib := stdlib.Standard()
	kernels := scalarKernels()
	used := map[string]bool{}
	windows := []string{"shift", "lead", "pct_change", "row_number", "rank", "dense_rank", "is_unique", "is_duplicated", "forward_fill", "backward_fill"}
	for _, f := range lib.Funcs() {
		switch f.Kind {
		case stdlib.Scalar:
			for _, o := range f.Overloads {
				if kernels[o.ID] == nil {
					t.Errorf("no kernel for %s", o.ID)
				}
				used[o.ID] = true
			}
		case stdlib.Aggregate:
			for _, o := range f.Overloads {
				if _, err := newAccumulator(f.Name, o.ID, types.Float64T, nil); err != nil {
					t.Errorf("no accumulator for %s: %v", o.ID, err)
				}
			}
		case stdlib.Window:
			if f.Special {
				continue // the checker writes it out as other functions (diff)
			}
			ok := strings.HasPrefix(f.Name, "cum_") || strings.HasPrefix(f.Name, "rolling_")
			for _, w := range windows {
				ok = ok || w == f.Name
			}
			if !ok {
				t.Errorf("no window implementation for %s", f.Name)
			}
		}
	}
	for id := range kernels {
		if !used[id] {
			t.Errorf("kernel %s has no overload in the stdlib", id)
		}
	}
}
