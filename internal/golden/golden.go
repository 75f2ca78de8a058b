// Package golden reads and rewrites the txtar archives of featc's golden tests: each archive
// holds a case's input files and the expected output of each stage (out/ir, out/errors,
// out/sql/duckdb, …). A test computes the sections it owns and compares, or rewrites them
// when run with -update, leaving the other sections alone. Directives for the case (mode:
// NAME, output: NAME) sit in the archive's comment.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/txtar"
)

// Case is one golden archive.
type Case struct {
	Path    string
	Archive *txtar.Archive
}

// Load reads every archive matching pattern, in name order.
func Load(pattern string) ([]*Case, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []*Case
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, &Case{Path: p, Archive: a})
	}
	return out, nil
}

// Name is the case's file name without extension.
func (c *Case) Name() string { return strings.TrimSuffix(filepath.Base(c.Path), filepath.Ext(c.Path)) }

// Inputs returns the files whose names do not start with "out/".
func (c *Case) Inputs() []txtar.File {
	var in []txtar.File
	for _, f := range c.Archive.Files {
		if !strings.HasPrefix(f.Name, "out/") {
			in = append(in, f)
		}
	}
	return in
}

// Directive returns the values of "key: value" lines of the archive's comment.
func (c *Case) Directive(key string) []string {
	var vals []string
	for _, line := range strings.Split(string(c.Archive.Comment), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			vals = append(vals, strings.TrimSpace(v))
		}
	}
	return vals
}

// Section returns the named section's text, and whether it exists.
func (c *Case) Section(name string) (string, bool) {
	for _, f := range c.Archive.Files {
		if f.Name == name {
			return string(f.Data), true
		}
	}
	return "", false
}

// Set replaces (or, with data "", removes) a section; new sections go after the others.
func (c *Case) Set(name, data string) {
	for i, f := range c.Archive.Files {
		if f.Name == name {
			if data == "" {
				c.Archive.Files = append(c.Archive.Files[:i], c.Archive.Files[i+1:]...)
				return
			}
			c.Archive.Files[i].Data = []byte(data)
			return
		}
	}
	if data != "" {
		c.Archive.Files = append(c.Archive.Files, txtar.File{Name: name, Data: []byte(data)})
	}
}

// Save writes the archive back if it changed.
func (c *Case) Save() error {
	data := txtar.Format(c.Archive)
	old, err := os.ReadFile(c.Path)
	if err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(c.Path, data, 0o644)
}

// Normalize ends text with exactly one newline, as txtar sections do.
func Normalize(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}
