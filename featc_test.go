package featc_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc"
	"github.com/featc/featc/lang"
)

var project = fstest.MapFS{
	"features/orders.feat": {Data: []byte(`
source orders { order_id: string, customer_id: int64, amount: float64 }
frame big = orders.filter(amount > threshold)
`)},
	"features/params.feat": {Data: []byte(`
mode live { param threshold: float64 }
mode batch { let threshold = orders.amount.mean() }
`)},
	"features/notes.txt": {Data: []byte("not a feat file")},
}

func diagCodes(t *testing.T, err error) []lang.Code {
	t.Helper()
	var de *lang.DiagnosticsError
	require.True(t, errors.As(err, &de), "want diagnostics, got %v", err)
	var codes []lang.Code
	for _, d := range de.Diags {
		codes = append(codes, d.Code)
	}
	return codes
}

func TestCompileFS(t *testing.T) {
	prog, err := featc.Compile(project, featc.Dir("features"), featc.Mode("live"))
	require.NoError(t, err)
	require.Equal(t, []string{"big"}, prog.Outputs())
	require.Equal(t, "live", prog.IR().Mode)
	require.Equal(t, "param", prog.IR().Def("threshold").Kind.String())

	prog, err = featc.Compile(project, featc.Dir("features"), featc.Mode("batch"))
	require.NoError(t, err)
	require.Equal(t, "let", prog.IR().Def("threshold").Kind.String())
}

func TestCompileErrors(t *testing.T) {
	_, err := featc.Compile(project, featc.Dir("features"))
	require.Equal(t, []lang.Code{lang.ENeedsMode}, diagCodes(t, err))

	_, err = featc.Compile(project, featc.Dir("features"), featc.Mode("nightly"))
	require.Equal(t, []lang.Code{lang.EUnknownMode}, diagCodes(t, err))
	require.Contains(t, err.Error(), `no mode "nightly"`)

	_, err = featc.Compile(project, featc.Dir("features"), featc.Mode("live"), featc.Outputs("bigg"))
	require.Equal(t, []lang.Code{lang.EUnknownOutput}, diagCodes(t, err))
	var de *lang.DiagnosticsError
	errors.As(err, &de)
	require.Equal(t, "did you mean big?", de.Diags[0].Hint)

	_, err = featc.Compile(project, featc.Dir("features"), featc.Mode("live"), featc.Outputs("big.nope"))
	require.Equal(t, []lang.Code{lang.EUnknownOutput}, diagCodes(t, err))

	_, err = featc.Compile(project, featc.Dir("nowhere"))
	require.Error(t, err)
}

func TestOutputsPrune(t *testing.T) {
	prog, err := featc.CompileSources([]featc.Source{{Name: "a.feat", Text: `
source orders { order_id: string, customer_id: int64, amount: float64, note: string }
frame per_customer = orders.group_by(customer_id).agg(total = amount.sum(), n = len(), notes = note.n_unique())
frame unrelated = orders.select(note)
`}}, featc.Outputs("per_customer.total"))
	require.NoError(t, err)
	require.Nil(t, prog.IR().Def("unrelated"))
	d := prog.IR().Def("per_customer")
	require.Equal(t, []string{"total"}, d.Schema.Names())
	// Only the columns the output needs are read from the source.
	require.Contains(t, d.String(), "agg total")
	require.NotContains(t, d.String(), "notes")
	require.Contains(t, d.String(), "Scan orders [customer_id, amount]")
}
