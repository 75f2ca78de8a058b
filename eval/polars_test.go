package eval_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWhenThenNames: an unnamed when/then is named after its first then value, "literal" when
// that reads no column, as Polars names them (docs/polars.md).
func TestWhenThenNames(t *testing.T) {
	p := compile(t, `
source s { a: int64, b: int64, c: float64 }
frame f = s.select(when(a > 0).then(b).otherwise(a), when(c > 0).then(1).otherwise(a), when(a > 0).then(c.abs() + b).when(b > 0).then(a))
`)
	require.Equal(t, []string{"b", "literal", "c"}, p.IR().Def("f").Schema.Names())
}
