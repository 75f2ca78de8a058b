// Package featc is the entry point of featc's Go API: it compiles .feat feature definitions
// (a directory of files is one namespace) into a checked, typed program, once, at start-up.
// Evaluate the program in-process with package eval, or lower it to SQL with package
// backends/sqlgen; both take the typed program (Program.IR), so they sit below this package and
// never import it.
//
//	prog, err := featc.Compile(os.DirFS("features"), featc.Mode("realtime"))
//	ev, err := eval.New(prog.IR(), eval.Outputs("customer_features"))
//
// Package featc is pure Go: it links no database driver.
package featc

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
)

// Source is the text of one .feat file and the name diagnostics call it by.
type Source struct {
	Name string
	Text string
}

// Option configures compilation.
type Option func(*options)

type options struct {
	mode    string
	outputs []string
	dir     string
}

// Mode selects the mode block whose definitions join the shared ones.
func Mode(name string) Option { return func(o *options) { o.mode = name } }

// Outputs prunes the program to what the named outputs need ("name" or "name.column").
func Outputs(names ...string) Option {
	return func(o *options) { o.outputs = append(o.outputs, names...) }
}

// Dir reads the .feat files of a directory of the file system given to Compile (default ".").
func Dir(dir string) Option { return func(o *options) { o.dir = dir } }

// Program is a compiled set of definitions.
type Program struct {
	ir    *ir.Program
	files []*lang.File
}

// IR returns the typed program.
func (p *Program) IR() *ir.Program { return p.ir }

// Warnings returns the warnings found while compiling.
func (p *Program) Warnings() lang.Diagnostics { return p.ir.Warnings }

// Outputs lists the names of the program's frames and features blocks.
func (p *Program) Outputs() []string { return p.ir.Outputs() }

// Compile reads the .feat files of a directory of fsys and compiles them. Errors are returned
// as a *lang.DiagnosticsError holding every diagnostic.
func Compile(fsys fs.FS, opts ...Option) (*Program, error) {
	o := options{dir: "."}
	for _, opt := range opts {
		opt(&o)
	}
	srcs, err := ReadDir(fsys, o.dir)
	if err != nil {
		return nil, err
	}
	return CompileSources(srcs, opts...)
}

// ReadDir returns the .feat files directly in dir of fsys, in name order.
func ReadDir(fsys fs.FS, dir string) ([]Source, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var srcs []Source
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".feat") {
			continue
		}
		p := path.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{Name: p, Text: string(b)})
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no .feat files in %s", dir)
	}
	return srcs, nil
}

// Parse parses sources, returning their syntax trees and the syntax errors found.
func Parse(srcs []Source) ([]*lang.File, lang.Diagnostics) {
	sorted := append([]Source{}, srcs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var files []*lang.File
	var diags lang.Diagnostics
	for _, s := range sorted {
		f, ds := lang.ParseFile(s.Name, s.Text)
		files = append(files, f)
		diags = append(diags, ds...)
	}
	return files, diags
}

// CompileSources compiles .feat texts given directly (one namespace).
func CompileSources(srcs []Source, opts ...Option) (*Program, error) {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	files, diags := Parse(srcs)
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags.Err()
	}
	prog, cdiags := ir.Check(files, ir.WithMode(o.mode))
	if prog == nil {
		return nil, cdiags.Err()
	}
	prog.Warnings = append(diags, prog.Warnings...)
	if len(o.outputs) > 0 {
		pruned, pdiags := ir.Prune(prog, ir.ParseOutputs(o.outputs))
		if pruned == nil {
			return nil, pdiags.Err()
		}
		prog = pruned
	}
	return &Program{ir: prog, files: files}, nil
}

// CheckSources checks sources in every mode they declare, as `featc check` does, and returns
// all diagnostics, sorted.
func CheckSources(srcs []Source) lang.Diagnostics {
	files, diags := Parse(srcs)
	if diags.HasErrors() {
		// Checking a tree with syntax errors would report their consequences too.
		diags.Sort()
		return diags
	}
	diags = append(diags, ir.CheckAll(files)...)
	diags.Sort()
	return diags
}
