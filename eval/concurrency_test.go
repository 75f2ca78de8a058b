package eval_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
)

// TestConcurrentRuns shares one evaluator among goroutines that each run it many times on their
// own data; every result must be its own data's (go test -race checks the sharing).
func TestConcurrentRuns(t *testing.T) {
	p := compile(t, `source s { k: int64, x: float64, name: string }
frame f = s.with_columns(r = x.rank().over(k), up = name.str.upper())
    .group_by(k).agg(total = x.sum(), top = up.first(order_by = r), n = len())`)
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var data [][]any
			for i := 0; i <= g; i++ {
				data = append(data, []any{g, float64(i), fmt.Sprintf("n%d", i)})
			}
			rec := record(t, schemaOf(p, "s"), data...)
			want := fmt.Sprintf(`%d | %d.0 | "N0" | %d`, g, g*(g+1)/2, g+1)
			for i := 0; i < 50; i++ {
				res, err := ev.Run(context.Background(), eval.Inputs{"s": rec}, nil)
				if err != nil {
					errs <- err
					return
				}
				got := rows(t, res, "f", false)
				res.Release()
				if len(got) != 1 || got[0] != want {
					errs <- fmt.Errorf("goroutine %d: got %v, want %s", g, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCancellation(t *testing.T) {
	p := compile(t, `source s { x: int64 }
frame f = s.select(y = x + 1)`)
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = ev.Run(ctx, eval.Inputs{"s": record(t, schemaOf(p, "s"), []any{1})}, nil)
	require.ErrorIs(t, err, context.Canceled)
}
