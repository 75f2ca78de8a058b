// Package examples turns the runnable examples of the stdlib table into .feat programs and input
// data, for every engine's tests: the checker type-checks them, the evaluator and the SQL
// engines run them and compare with the written answers.
package examples

import (
	"strings"

	"github.com/featc/featc/stdlib"
)

// Column is a column of an example's input: its name, type and values as written ("null" for
// null; strings bare).
type Column struct {
	Name   string
	Type   string
	Values []string
}

// Input parses an example's input: "x int64: 1, 2, null; t int64: 3, 1, 2".
func Input(spec string) []Column {
	if spec == "" {
		return nil
	}
	var cols []Column
	for _, part := range strings.Split(spec, ";") {
		head, vals, _ := strings.Cut(strings.TrimSpace(part), ":")
		name, typ, _ := strings.Cut(strings.TrimSpace(head), " ")
		c := Column{Name: name, Type: strings.TrimSpace(typ)}
		for _, v := range strings.Split(vals, ",") {
			c.Values = append(c.Values, strings.TrimSpace(v))
		}
		cols = append(cols, c)
	}
	return cols
}

// Program returns the .feat text computing an example as the column "result" of the frame (or
// the let) named "result", over a source named "input" holding the example's input. An
// aggregate example groups all rows into one group.
func Program(f *stdlib.Func, ex stdlib.Example) string {
	cols := Input(ex.Input)
	if len(cols) == 0 {
		return "let result = " + ex.Expr + "\n"
	}
	var decl []string
	for _, c := range cols {
		decl = append(decl, c.Name+": "+c.Type)
	}
	src := "source input { " + strings.Join(decl, ", ") + " }\n"
	if f.Kind == stdlib.Aggregate {
		return src + "frame result = input.with_columns(group_key = 1).group_by(group_key).agg(result = " + ex.Expr + ")\n"
	}
	return src + "frame result = input.select(result = " + ex.Expr + ")\n"
}

// Want splits an example's answer into one value per row at the commas outside strings.
func Want(w string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(w); i++ {
		switch {
		case w[i] == '\\' && quoted:
			i++ // an escaped character inside a string
		case w[i] == '"':
			quoted = !quoted
		case w[i] == ',' && !quoted:
			out = append(out, strings.TrimSpace(w[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(w[start:]))
}
