package sqlgen

import (
	"fmt"

	"github.com/featc/featc/stdlib"
)

// The string functions that read a regular expression (literal = false, Polars' default):
// the pattern, a constant checked when the program was compiled, is written in the engine's
// own syntax (stdlib.Regex.Write) and passed to the engine's functions (Helpers.Regex…). A
// pattern that is plain text takes the literal functions' SQL, as it means the same.

// regexOf returns the call's pattern (argument i) as a regular expression, or nil when the
// call takes it literally (literal = true, argument lit) or the pattern is null.
func regexOf(c *Call, i, lit int) (*stdlib.Regex, bool, error) {
	if lit >= 0 {
		v := c.Consts[lit]
		if v == nil || v.Null || v.Bool() {
			return nil, false, nil
		}
	}
	p := c.Consts[i]
	if p == nil {
		return nil, false, fmt.Errorf("%s: a regular expression must be a constant", c.Name)
	}
	if p.Null {
		return nil, true, nil
	}
	r, err := stdlib.ParseRegex(p.S)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", c.Name, err)
	}
	return r, false, nil
}

// regexOrText returns the call's regular expression (argument i, literal flag lit), or, with
// done, what the call writes without one: a null of its type for a null pattern, the literal
// form for literal = true.
func regexOrText(c *Call, i, lit int, literal func(*Call) (Expr, error)) (r *stdlib.Regex, e Expr, done bool, err error) {
	r, null, err := regexOf(c, i, lit)
	switch {
	case err != nil:
		return nil, Expr{}, true, err
	case null:
		return nil, nullOf(c), true, nil
	case r == nil:
		e, err = literal(c)
		return nil, e, true, err
	}
	return r, Expr{}, false, nil
}

// regexText writes the pattern for the engine; with whole, wrapped as group 1.
func regexText(c *Call, r *stdlib.Regex, whole bool) (Expr, func(int) int, error) {
	p, group, err := r.Write(c.D.Helpers.RegexFlavor(), whole)
	if err != nil {
		return Expr{}, nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	return atom(c.D.String(p)), group, nil
}

// nullOf writes a null of the call's result type (a null pattern).
func nullOf(c *Call) Expr { return atom("CAST(NULL AS " + c.ResultType() + ")") }

// withLiteral writes the literal form with the pattern replaced by the text it matches.
func withLiteral(c *Call, i int, text string, literal func(*Call) (Expr, error)) (Expr, error) {
	lc := *c
	lc.Args = append([]Expr(nil), c.Args...)
	lc.Args[i] = atom(c.D.String(text))
	return literal(&lc)
}

// RegexContains writes str.contains: the literal form (a substring) or a regular-expression
// search. Dialects give the literal form as SQL.
func RegexContains(literalSQL string, prec int) func(*Call) (Expr, error) {
	literal := func(c *Call) (Expr, error) { return c.Fill(literalSQL, prec), nil }
	return func(c *Call) (Expr, error) {
		r, e, done, err := regexOrText(c, 1, 2, literal)
		if done {
			return e, err
		}
		if text, ok := r.Literal(); ok {
			return withLiteral(c, 1, text, literal)
		}
		p, _, err := regexText(c, r, false)
		if err != nil {
			return Expr{}, err
		}
		return c.use(c.D.Helpers.RegexSearch(), c.Args[0], p), nil
	}
}

// countMatches writes str.count_matches: of a substring, the characters it removes divided by
// its length; of a regular expression, the engine's count.
func countMatches(c *Call) (Expr, error) {
	r, e, done, err := regexOrText(c, 1, 2, countText)
	if done {
		return e, err
	}
	p, _, err := regexText(c, r, false)
	if err != nil {
		return Expr{}, err
	}
	return c.use(c.D.Helpers.RegexCount(), c.Args[0], p), nil
}

// countText counts the occurrences of a text: the characters REPLACE removes, divided by the
// text's length (none in an empty text).
func countText(c *Call) (Expr, error) {
	x, t := Paren(c.Args[0]), Paren(c.Args[1])
	removed := atom(fmt.Sprintf("(LENGTH(%[1]s) - LENGTH(REPLACE(%[1]s, %[2]s, '')))", x, t))
	q := c.use(c.D.Helpers.IDiv(), removed, atom("LENGTH("+c.Args[1].SQL+")"))
	return c.D.Expr("CASE WHEN %[2]s = '' THEN CASE WHEN %[1]s IS NULL THEN NULL ELSE 0 END ELSE CAST(%[3]s AS %[4]s) END",
		x, t, q.SQL, c.ResultType()), nil
}

// extract writes str.extract: the pattern is wrapped as group 1, so that group 0 (the whole
// match) is a group too, and the groups are numbered as the engine's syntax has them.
func extract(c *Call) (Expr, error) {
	r, null, err := regexOf(c, 1, -1)
	if err != nil {
		return Expr{}, err
	}
	g, err := c.Const(2)
	if null || err == nil && g.Null {
		return nullOf(c), nil
	}
	if err != nil {
		return Expr{}, err
	}
	p, group, err := regexText(c, r, true)
	if err != nil {
		return Expr{}, err
	}
	return c.use(c.D.Helpers.RegexExtract(), c.Args[0], p, atom(fmt.Sprint(group(int(g.I))))), nil
}

// regexReplace writes str.replace (n: argument 3, or none) and str.replace_all with a regular
// expression; literal writes the literal form.
func regexReplace(n int, literal func(*Call) (Expr, error)) func(*Call) (Expr, error) {
	return func(c *Call) (Expr, error) {
		r, e, done, err := regexOrText(c, 1, len(c.Args)-1, literal)
		if done {
			return e, err
		}
		rv := c.Consts[2]
		if rv == nil {
			return Expr{}, fmt.Errorf("%s: the replacement of a regular expression must be a constant", c.Name)
		}
		if rv.Null {
			return nullOf(c), nil
		}
		repl, err := r.ParseReplacement(rv.S)
		if err != nil {
			return Expr{}, fmt.Errorf("%s: %w", c.Name, err)
		}
		if text, ok := r.Literal(); ok && text != "" && repl.IsText() {
			lc := *c
			lc.Args = append([]Expr(nil), c.Args...)
			lc.Args[1], lc.Args[2] = atom(c.D.String(text)), atom(c.D.String(repl.Text()))
			return literal(&lc)
		}
		p, group, err := regexText(c, r, true)
		if err != nil {
			return Expr{}, err
		}
		rs, err := repl.Write(group)
		if err != nil {
			return Expr{}, fmt.Errorf("%s: %w", c.Name, err)
		}
		t := c.D.Helpers.RegexReplaceAll()
		if v := c.Consts[n]; n > 0 && v != nil && !v.Null && v.I == 1 {
			t = c.D.Helpers.RegexReplaceFirst()
		}
		return c.use(t, c.Args[0], p, atom(c.D.String(rs))), nil
	}
}
