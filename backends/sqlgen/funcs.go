package sqlgen

import (
	"fmt"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Table maps overload IDs or function names to templates. Each function family has one
// (funcs_<family>.go, beside stdlib/<family>.go and eval/kernels_<family>.go); a dialect's
// Funcs override them by the same keys.
type Table map[string]Template

// shared is the function table every dialect starts from: standard SQL written so that it
// has featc's semantics (docs/semantics.md), the families' tables together.
var shared = union(arithSQL, nullsSQL, mathSQL, stringSQL, temporalSQL, aggSQL, windowSQL)

// union merges the families' tables; a key in two of them is a bug, found by the first test.
func union(tables ...Table) Table {
	out := Table{}
	for _, t := range tables {
		for k, v := range t {
			if _, dup := out[k]; dup {
				panic("sqlgen: two function families write " + k)
			}
			out[k] = v
		}
	}
	return out
}

// bin is the template of a binary operator.
func bin(op string, prec int) Template { return Template{SQL: "{0} " + op + " {1}", Prec: prec} }

// fn1 is the template of a SQL function of one argument.
func fn1(name string) Template { return Template{SQL: name + "({0})"} }

// template looks a function up for the dialect: its override by overload ID, then by name,
// then the shared table the same way. A function the dialect refuses (Unsupported) or that
// no table writes is an error naming the construct and the reason.
func (d *Dialect) template(name, id string) (Template, error) {
	for _, table := range []map[string]Template{d.Funcs, shared} {
		for _, key := range []string{id, name} {
			if t, ok := table[key]; ok {
				if t.Unsupported != nil {
					return Template{}, &Error{Dialect: d.Name, Construct: constructName(name), Reason: t.Unsupported.Reason, Link: t.Unsupported.Link}
				}
				return t, nil
			}
		}
	}
	return Template{}, &Error{Dialect: d.Name, Construct: constructName(name), Reason: "featc has no SQL for it yet"}
}

// apply writes a call by the template: its Fn, or its text (over a window, OverSQL where set).
func (t Template) apply(c *Call) (Expr, error) {
	if t.Fn != nil {
		out, err := t.Fn(c)
		if err != nil {
			return Expr{}, err
		}
		out.Depth = max(out.Depth, 1+argDepth(c.Args))
		return out, nil
	}
	if c.Over != "" && t.OverSQL != "" {
		return c.Fill(t.OverSQL, t.Prec), nil
	}
	return c.Fill(t.SQL, t.Prec), nil
}

// The shapes of text read as a date or a timestamp (docs/semantics.md, "Text as dates and
// times"; the evaluator's parseDay and parseTS): every engine's own parser is looser (DuckDB and
// Postgres take 2020-1-1, 24:00:00, a date alone as a timestamp, and drop or ignore an offset),
// so the cast runs only on text of this shape, and other text fails as it does on the
// evaluator. The patterns hold no backslash, so they read the same whether string literals take
// backslash escapes (Snowflake) or not.
const (
	reYear        = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
	reDate        = reYear + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
	reClock       = "[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?"
	reOffset      = "(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])"
	dateText      = "^ *" + reDate + " *$"
	timestampText = "^ *" + reDate + reClock + " *$"
	zonedText     = "^ *" + reDate + reClock + reOffset + " *$"
)

// castTextDate writes string → date: text of the date shape is cast (the engine rejects a day
// the month lacks, as the evaluator does), other text fails by casting a message that names it.
func castTextDate(c *Call) (Expr, error) {
	x, typ := c.Args[0], c.D.TypeName(c.Result)
	return c.D.Expr("CASE WHEN %s THEN CAST(TRIM(%s) AS %s) ELSE CAST('cannot cast to date: ' || %s AS %s) END",
		c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(dateText))).SQL, x.SQL, typ, Paren(x), typ), nil
}

// castTextTimestamp writes string → timestamp: text without an offset is cast as it is; text
// with one is moved to UTC (@ts_text_utc) and must still lie in featc's range (0001 to 9999),
// which an offset can leave; other text fails.
func castTextTimestamp(c *Call) (Expr, error) {
	x, typ := c.Args[0], c.D.TypeName(c.Result)
	utc := c.D.use(c.D.Helpers.TsTextUTC(), x)
	return c.D.Expr("CASE WHEN %[1]s THEN CAST(TRIM(%[3]s) AS %[4]s) "+
		"WHEN %[2]s AND %[5]s BETWEEN CAST('0001-01-01 00:00:00' AS %[4]s) AND CAST('9999-12-31 23:59:59.999999' AS %[4]s) THEN %[6]s "+
		"ELSE CAST('cannot cast to timestamp: ' || %[7]s AS %[4]s) END",
		c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(timestampText))).SQL, c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(zonedText))).SQL,
		x.SQL, typ, Paren(utc), utc.SQL, Paren(x)), nil
}

// negate writes -x.
func negate(x Expr) Expr { return Expr{SQL: "-" + Paren(x), Prec: PrecUnary, Size: x.Size + 1} }

// Expr formats a written expression, an atom (a call, a CASE or a parenthesised expression).
func (d *Dialect) Expr(format string, args ...any) Expr {
	return Expr{SQL: fmt.Sprintf(format, args...), Prec: PrecAtom, Size: 1}
}

func (e Expr) withPrec(p int) Expr { e.Prec = p; return e }

// CastTo writes CAST(x AS t).
func (d *Dialect) CastTo(x Expr, t types.Type) Expr {
	return Expr{SQL: "CAST(" + x.SQL + " AS " + d.TypeName(t) + ")", Size: x.Size + 1}
}

// collate writes a string operand so that it compares by bytes.
func (d *Dialect) collate(x Expr) string {
	if d.Collate == "" {
		return Paren(x)
	}
	return Paren(x) + " " + d.Collate
}

// nullSafe writes x for a comparison that must be false, not null, when x is null.
func nullSafe(x string) string { return "COALESCE(" + x + ", 0)" }

// Shared is the shared table's template under key (an overload ID or a function name), for a
// dialect whose own entry changes one of its fields; it panics on a key no family writes, which
// every test that loads the dialect then reports.
func Shared(key string) Template {
	t, ok := shared[key]
	if !ok {
		panic("sqlgen: no shared template " + key)
	}
	return t
}

// Refusal returns why the dialect refuses an overload (by its ID), or nil when it writes it:
// the reason a compile-time refusal prints, which tests compare refusals against.
func Refusal(d *Dialect, id string) *Unsupported {
	for _, table := range []map[string]Template{d.Funcs, shared} {
		if t, ok := table[id]; ok {
			return t.Unsupported
		}
	}
	if f, _ := stdlib.Standard().Overload(id); f != nil {
		for _, table := range []map[string]Template{d.Funcs, shared} {
			if t, ok := table[f.Name]; ok {
				return t.Unsupported
			}
		}
	}
	return nil
}
