package eval_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// apiDriver drives the Go API as a service would, from the bytes of a fuzz input: a generated
// program (or an example project's), a random selection of outputs (some of them wrong), inputs
// of the right schema, of a wrong one, empty, null-only or missing, random params, and results
// read, released, and read again after Release. Every call must return an error or a result;
// none may panic, and a result used after Release must say so rather than read another run's
// values.
type apiDriver struct {
	data []byte
	pos  int
}

func (d *apiDriver) next(n int) int {
	if n <= 1 || d.pos >= len(d.data) {
		return 0
	}
	b := int(d.data[d.pos])
	d.pos++
	return b % n
}

var examplePrograms = func() []*featc.Program {
	dirs, _ := filepath.Glob("../testdata/examples/*")
	var out []*featc.Program
	for _, dir := range dirs {
		for _, mode := range []string{"", "backfill", "realtime"} {
			var opts []featc.Option
			if mode != "" {
				opts = append(opts, featc.Mode(mode))
			}
			if p, err := featc.Compile(os.DirFS(dir), opts...); err == nil {
				out = append(out, p)
			}
		}
	}
	return out
}()

func (d *apiDriver) program() (*featc.Program, string) {
	if d.next(4) == 0 && len(examplePrograms) > 0 {
		return examplePrograms[d.next(len(examplePrograms))], "(an example project)"
	}
	g := gen.NewPipeline(d.data[d.pos:])
	src := g.Program()
	// A few programs more: an entity block over the same source, a let.
	src += `entity key { k: int64 }
features hist for key at at_t {
    past = t.filter(ts < at_t)
    n    = past.len()
    top  = past.f.max()
}
let total = t.i.sum()
`
	p, err := featc.CompileSources([]featc.Source{{Name: "api.feat", Text: src}})
	if err != nil {
		return nil, src
	}
	return p, src
}

// outputs picks what to ask for: whole outputs, columns, lets, and now and then a name the
// program does not have.
func (d *apiDriver) outputs(p *ir.Program) []string {
	var names []string
	for _, def := range p.Defs {
		switch def.Kind {
		case ir.FrameDef, ir.FeaturesDef, ir.EntityFeaturesDef:
			names = append(names, def.Name)
			for _, c := range def.Schema.Names() {
				names = append(names, def.Name+"."+c)
			}
		case ir.LetDef:
			names = append(names, def.Name)
		}
	}
	names = append(names, "nope", "nope.x", "t", "total.x")
	var out []string
	for n := d.next(4); n > 0; n-- {
		out = append(out, names[d.next(len(names))])
	}
	return out
}

// record builds an input for a schema in one of several shapes, some of them wrong.
func (d *apiDriver) record(s ir.Schema) (arrow.RecordBatch, bool) {
	mem := memory.DefaultAllocator
	switch d.next(8) {
	case 0:
		return nil, false // missing
	case 1:
		return eval.ValuesRecord(mem, s, nil), true // empty
	case 2: // null-only
		rows := make([][]types.Value, 3)
		for i := range rows {
			rows[i] = make([]types.Value, len(s))
			for j, f := range s {
				rows[i][j] = types.Value{Type: f.Type, Null: true}
			}
		}
		return eval.ValuesRecord(mem, s, rows), true
	case 3: // a column missing
		if len(s) > 1 {
			i := d.next(len(s))
			s2 := append(append(ir.Schema{}, s[:i]...), s[i+1:]...)
			return eval.ValuesRecord(mem, s2, cases.EdgeRows(s2, 5)), true
		}
	case 4: // a column of another type
		s2 := append(ir.Schema{}, s...)
		i := d.next(len(s2))
		if s2[i].Type.Kind == types.String {
			s2[i].Type = types.Int64T
		} else {
			s2[i].Type = types.StringT
		}
		return eval.ValuesRecord(mem, s2, cases.EdgeRows(s2, 5)), true
	case 5: // an extra column, and a duplicate of the first
		s2 := append(append(ir.Schema{}, s...), ir.Field{Name: "extra", Type: types.BoolT})
		if d.next(2) == 0 && len(s) > 0 {
			s2 = append(s2, s[0])
		}
		return eval.ValuesRecord(mem, s2, cases.EdgeRows(s2, 5)), true
	}
	return eval.ValuesRecord(mem, s, cases.EdgeRows(s, 3+d.next(40))), true
}

func (d *apiDriver) params(p *ir.Program) eval.Params {
	out := eval.Params{}
	for _, def := range p.Defs {
		if def.Kind != ir.ParamDef {
			continue
		}
		switch d.next(5) {
		case 0: // missing
		case 1:
			out[def.Name] = "not a value"
		case 2:
			out[def.Name] = math.NaN()
		default:
			out[def.Name] = types.Value{Type: def.Type, Null: true}
		}
	}
	if d.next(4) == 0 {
		out["unknown_param"] = 1
	}
	return out
}

// drive runs one fuzz input through the Go API. It returns an error describing a broken
// promise (a panic is caught by the caller's recover).
func (d *apiDriver) drive() error {
	p, src := d.program()
	if p == nil {
		return nil // not well typed: the generator's choice
	}
	prog := p.IR()
	outs := d.outputs(prog)
	ev, err := eval.New(p.IR(), eval.Outputs(outs...))
	if err != nil {
		return nil // an unknown output, said so
	}
	inputs := eval.Inputs{}
	defer func() {
		for _, r := range inputs {
			r.Release()
		}
	}()
	for _, def := range ev.Program().Defs {
		schema := def.Schema
		switch def.Kind {
		case ir.SourceDef:
		case ir.EntityFeaturesDef:
			schema = ir.ApplyOf(def.Rel).Spine.Schema()
			if d.next(2) == 0 {
				schema = append(ir.Schema{{Name: "label", Type: types.StringT}}, schema...)
			}
		default:
			continue
		}
		if rec, ok := d.record(schema); ok {
			inputs[def.Name] = rec
		}
	}
	ctx := context.Background()
	if d.next(8) == 0 {
		c, cancel := context.WithCancel(ctx)
		cancel()
		ctx = c
	}
	res, err := ev.Run(ctx, inputs, d.params(prog))
	if err != nil {
		return nil
	}
	read := func() error {
		for _, name := range ev.OutputNames() {
			if def := ev.Program().Def(name); def != nil && def.Kind == ir.LetDef {
				if _, _, err := res.Scalar(name); err != nil && errors.Is(err, eval.ErrReleased) {
					return err
				}
				continue
			}
			rec, err := res.Record(name)
			if err != nil {
				return err
			}
			if int(rec.NumCols()) != len(res.Schema(name)) {
				rec.Release()
				return fmt.Errorf("%s: a record of %d columns for a schema of %d\n%s", name, rec.NumCols(), len(res.Schema(name)), src)
			}
			rec.Release()
		}
		return nil
	}
	if err := read(); err != nil {
		res.Release()
		return fmt.Errorf("reading a live result: %v\n%s", err, src)
	}
	// Keep a table, release, run another request on the same evaluator, and use the old
	// result: it must refuse, and the kept table must not show the new run's values.
	var kept *eval.Table
	var keptName string
	for _, name := range ev.OutputNames() {
		if t := res.Table(name); t != nil && t.N > 0 && len(t.Cols) > 0 {
			kept, keptName = t, name
			break
		}
	}
	res.Release()
	res.Release() // twice is harmless
	res2, err2 := ev.Run(context.Background(), inputs, d.params(prog))
	if err := read(); !errors.Is(err, eval.ErrReleased) && len(ev.OutputNames()) > 0 {
		return fmt.Errorf("a result used after Release read %v instead of refusing\n%s", err, src)
	}
	if kept != nil && res.Table(keptName) != nil {
		return fmt.Errorf("Table after Release returned the rows of another run\n%s", src)
	}
	if err2 == nil {
		res2.Release()
	}
	return nil
}

// FuzzAPI drives the Go API with generated programs, output selections, inputs and misuse;
// it must never panic.
func FuzzAPI(f *testing.F) {
	for _, seed := range []string{"\x00\x01\x02\x03", "\x01\x05\x09\x11\x03\x07\x01\x04\x02\x08", "\x03\x01\x00\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c",
		"\x02\x02\x03\x01\x05\x00\x02\x07\x03\x01\x01", "\x00\x03\x00\x00\x02\x05\x04\x03\x02\x01\x00\x09"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := driveOnce(data); err != nil {
			t.Fatal(err)
		}
	})
}

func driveOnce(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v (input %q)", r, data)
		}
	}()
	return (&apiDriver{data: data}).drive()
}

// TestAPIDriver runs the Go API driver over a fixed set of inputs with every go test.
func TestAPIDriver(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	start := time.Now()
	n := 0
	for i := 0; i < 1500; i++ {
		b := make([]byte, 6+r.Intn(40))
		r.Read(b)
		if err := driveOnce(b); err != nil {
			t.Fatal(err)
		}
		n++
	}
	t.Logf("%d inputs in %v", n, time.Since(start))
}
