package eval_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
)

// TestRelCases runs the shared relational cases (internal/cases), whose expected rows were
// computed by hand from docs/semantics.md; the SQL engines run the same cases.
func TestRelCases(t *testing.T) {
	for _, c := range cases.Rel() {
		t.Run(c.Group+"/"+c.Name, func(t *testing.T) {
			var opts []featc.Option
			if c.Mode != "" {
				opts = append(opts, featc.Mode(c.Mode))
			}
			p := compile(t, c.Src, opts...)
			inputs := eval.Inputs{}
			for src, data := range c.Inputs {
				inputs[src] = record(t, inputSchema(p, src), data...)
			}
			ev, err := eval.New(p.IR(), eval.Outputs(c.Output))
			require.NoError(t, err)
			res, err := ev.Run(context.Background(), inputs, eval.Params(c.Params))
			if c.WantErr != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), c.WantErr)
				return
			}
			require.NoError(t, err)
			defer res.Release()
			require.Equal(t, c.Want, rows(t, res, c.Output, c.Ordered))
		})
	}
}

func TestFeatureBlocksParamsModes(t *testing.T) {
	src := `source s { id: int64, age: float64, gender: string }
param execution_time: timestamp
mode backfill { let age_mean = s.age.mean() }
mode realtime { param age_mean: float64 }
features f from s {
    older = age_delta > 0
    age_delta = age - age_mean
    is_male = gender == "male"
    expect age_delta.is_not_null() else warn
}
`
	data := map[string][][]any{"s": {{1, 30.0, "male"}, {2, 50.0, "female"}}}
	for _, mode := range []string{"backfill", "realtime"} {
		p := compile(t, src, featcMode(mode))
		ev, err := eval.New(p.IR())
		require.NoError(t, err)
		res, err := ev.Run(context.Background(), eval.Inputs{"s": record(t, schemaOf(p, "s"), data["s"]...)},
			eval.Params{"execution_time": time.Now(), "age_mean": 40.0})
		require.NoError(t, err)
		require.Equal(t, []string{`1 | 30.0 | "male" | false | -10.0 | true`, `2 | 50.0 | "female" | true | 10.0 | false`}, rows(t, res, "f", false), mode)
		res.Release()
	}
}

func TestBindErrors(t *testing.T) {
	p := compile(t, `source s { id: int64, name: string }
param k: int64
frame f = s.filter(id > k)`)
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	ctx := context.Background()
	good := record(t, schemaOf(p, "s"), []any{1, "a"})
	_, err = ev.Run(ctx, eval.Inputs{}, eval.Params{"k": 1})
	require.EqualError(t, err, "input s: no data bound: pass it in eval.Inputs")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "param k (int64) has no value: pass it in eval.Params")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, eval.Params{"k": "one"})
	require.EqualError(t, err, "param k: a string cannot be a int64")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, eval.Params{"k": 1, "kk": 2})
	require.EqualError(t, err, "unknown param kk: the program declares params k")
	q := compile(t, `source s { id: int64, name: float64 }
frame f = s.select(id)`)
	_, err = mustEval(t, q).Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "input s, column name: is utf8 in the input, but declared float64")
	r := compile(t, `source s { id: int64, other: string }
frame f = s.select(id)`)
	_, err = mustEval(t, r).Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "input s, column other: missing from the input, which has id, name")
}

func mustEval(t *testing.T, p interface{ IR() *irProgram }) *eval.Evaluator {
	t.Helper()
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	return ev
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if strings.Compare(s[j], s[i]) < 0 {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}
