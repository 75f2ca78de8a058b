package eval

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Poison values shown by a table read after its result's Release (builds with the featc_poison
// tag): such a read shows them rather than another request's values.
const (
	PoisonInt    = math.MinInt64 + 0x5eed
	PoisonString = "\x00featc: read after Release\x00"
)

// poison gives every vector of the run's output tables fresh buffers full of poison. Vectors
// that are the caller's own inputs (bound, perhaps over the caller's Arrow buffers) and
// constants (which may be shared by every run) are left alone; buffers are replaced, never
// written, so that no memory another owner holds changes.
func (rs *runState) poison() {
	inputs := map[*Vec]bool{}
	for i := range rs.bound {
		for j := range rs.bound[i].vecs {
			inputs[&rs.bound[i].vecs[j]] = true
		}
	}
	for i, t := range rs.defTabs {
		if t == nil || !rs.defDone[i] {
			continue
		}
		for _, v := range t.Cols {
			if v == nil || v.Const || inputs[v] {
				continue
			}
			v.poison()
		}
	}
}

func (v *Vec) poison() {
	if v.I != nil {
		v.I = fill(len(v.I), int64(PoisonInt))
	}
	if v.F != nil {
		v.F = fill(len(v.F), math.NaN())
	}
	if v.S != nil {
		v.S = fill(len(v.S), PoisonString)
	}
	if v.B != nil {
		v.B = fill(len(v.B), true)
	}
	if v.D != nil {
		v.D = fill(len(v.D), decimal128.FromI64(PoisonInt))
	}
	if v.Null != nil {
		v.Null = make([]bool, len(v.Null))
	}
}

func fill[T any](n int, x T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = x
	}
	return out
}
