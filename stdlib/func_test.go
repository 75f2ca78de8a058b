package stdlib

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/types"
)

func TestStandardBuilds(t *testing.T) {
	lib := Standard()
	require.NotNil(t, lib.Lookup("add"))
	require.NotNil(t, lib.Lookup("lag"), "alias")
	require.Equal(t, lib.Lookup("shift"), lib.Lookup("lag"))
	require.Equal(t, "add", lib.Operator("+", false).Name)
	require.Equal(t, "neg", lib.Operator("-", true).Name)
	for _, f := range lib.Funcs() {
		require.NotEmpty(t, f.Doc, f.Name)
		if !f.Internal {
			require.NotEmpty(t, f.Examples, "%s needs a runnable example", f.Name)
		}
		if !f.Special {
			require.NotEmpty(t, f.Overloads, f.Name)
		}
	}
}

func TestResolvePromotion(t *testing.T) {
	lib := Standard()
	add := lib.Lookup("add")
	cases := []struct {
		args   []types.Type
		id     string
		result string
	}{
		{[]types.Type{types.Int64T, types.Int64T}, "add_int64", "int64"},
		{[]types.Type{types.Int32T, types.Int32T}, "add_int64", "int64"},
		{[]types.Type{types.Int64T, types.Float64T}, "add_float64", "float64"},
		{[]types.Type{types.NullT, types.Int64T}, "add_int64", "int64"},
		{[]types.Type{types.DecimalType(15, 2), types.Int64T}, "add_decimal", "decimal(22,2)"},
		{[]types.Type{types.DecimalType(15, 2), types.DecimalType(10, 4)}, "add_decimal", "decimal(18,4)"},
		{[]types.Type{types.DecimalType(15, 2), types.Float64T}, "add_float64", "float64"},
		{[]types.Type{types.DateT, types.IntervalT}, "add_date_interval", "date"},
		{[]types.Type{types.DateT, types.DurationT}, "add_date_duration", "timestamp"},
		{[]types.Type{types.StringT, types.StringT}, "add_string", "string"},
	}
	for _, c := range cases {
		r, ok := add.Resolve(c.args)
		require.True(t, ok, "%v", c.args)
		require.Equal(t, c.id, r.Overload.ID, "%v", c.args)
		require.Equal(t, c.result, r.Result.String(), "%v", c.args)
	}
	_, ok := add.Resolve([]types.Type{types.StringT, types.Int64T})
	require.False(t, ok)

	mul := lib.Lookup("mul")
	r, ok := mul.Resolve([]types.Type{types.DecimalType(15, 2), types.DecimalType(15, 2)})
	require.True(t, ok)
	require.Equal(t, "decimal(30,4)", r.Result.String())

	eq := lib.Lookup("eq")
	r, ok = eq.Resolve([]types.Type{types.DateT, types.TimestampT})
	require.True(t, ok)
	require.Equal(t, "eq_timestamp", r.Overload.ID)
	r, ok = eq.Resolve([]types.Type{types.DecimalType(15, 2), types.DecimalType(10, 4)})
	require.True(t, ok)
	require.Equal(t, []types.Type{types.DecimalType(17, 4), types.DecimalType(17, 4)}, r.Targets)
}
