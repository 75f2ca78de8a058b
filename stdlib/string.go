package stdlib

import (
	"fmt"
	"unicode/utf8"

	"github.com/featc/featc/types"
)

// String functions, called through the .str namespace (x.str.lower()); concat is a function.
// Positions and lengths count characters (Unicode code points), never bytes.

func stringFuncs() []*Func {
	s := []Param{param("x", "")}
	strToStr := func(name, doc string, examples ...Example) *Func {
		return &Func{
			Name: "str." + name, Method: true, Kind: Scalar, Family: "string", Params: s, Doc: doc,
			Overloads: []*Overload{ov("str_"+name, types.StringT, str)}, Examples: examples,
		}
	}
	strPred := func(name, arg, doc string, examples ...Example) *Func {
		return &Func{
			Name: "str." + name, Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), param(arg, "")}, Doc: doc,
			Overloads: []*Overload{ov("str_"+name, types.BoolT, str, str)}, Examples: examples,
		}
	}
	return []*Func{
		{
			Name: "str.len", Aliases: []string{"str.len_chars"}, Method: true, Kind: Scalar, Family: "string", Params: s,
			Doc:       "Length in characters (code points), not bytes.",
			Overloads: []*Overload{ov("str_len", types.Int64T, str)},
			Examples:  []Example{{Expr: `"héllo".str.len()`, Want: "5"}, {Expr: `"".str.len()`, Want: "0"}, {Expr: `"日本".str.len_chars()`, Want: "2"}},
		},
		{
			Name: "str.len_bytes", Method: true, Kind: Scalar, Family: "string", Params: s,
			Doc:       "Length in bytes of the string's UTF-8 encoding.",
			Overloads: []*Overload{ov("str_len_bytes", types.Int64T, str)},
			Examples:  []Example{{Expr: `"héllo".str.len_bytes()`, Want: "6"}, {Expr: `"".str.len_bytes()`, Want: "0"}, {Expr: `"日本".str.len_bytes()`, Want: "6"}},
		},
		withAliases(strToStr("lower", "Lower case, by Unicode's simple case mapping.",
			Example{Expr: `"ÀB".str.lower()`, Want: `"àb"`}, Example{Expr: `"ÀB".str.to_lowercase()`, Want: `"àb"`}), "str.to_lowercase"),
		withAliases(strToStr("upper", "Upper case, by Unicode's simple case mapping.",
			Example{Expr: `"àb".str.upper()`, Want: `"ÀB"`}, Example{Expr: `"àb".str.to_uppercase()`, Want: `"ÀB"`}), "str.to_uppercase"),
		strToStr("strip", "Removes leading and trailing whitespace (space, tab, newline, carriage return).",
			Example{Expr: `"  a b \n".str.strip()`, Want: `"a b"`}),
		{
			Name: "str.contains", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "pattern", Aliases: []string{"substring"}},
				{Name: "literal", Kind: Const, Optional: true, Default: "false", Doc: "false: pattern is a regular expression (featc's dialect, docs/semantics.md); true: a substring, taken literally"}},
			Doc: "True where x contains a match of the regular expression pattern (Polars' default), or with literal = true " +
				"the substring pattern. A pattern that is not a constant is matched literally only: say literal = true. " +
				"Every string contains the empty string.",
			Overloads: []*Overload{ov("str_contains", types.BoolT, str, str, bln)},
			Validate:  regexArg("pattern", "", false),
			Examples: []Example{{Expr: `"feature".str.contains("eat")`, Want: "true"}, {Expr: `"a.b".str.contains(".", literal = true)`, Want: "true"},
				{Expr: `"ab".str.contains("a.b")`, Want: "false"}, {Expr: `"order 66".str.contains("^order \\d+$")`, Want: "true"},
				{Expr: `"x1".str.contains("[0-9]")`, Want: "true"}},
		},
		{
			Name: "str.count_matches", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "pattern"},
				{Name: "literal", Kind: Const, Optional: true, Default: "false", Doc: "false: pattern is a regular expression; true: a substring, taken literally"}},
			Doc: "The number of non-overlapping matches of pattern in x, from the left. The pattern must match at least one " +
				"character and match deterministically (docs/semantics.md), so every engine counts the same matches.",
			Overloads: []*Overload{ov("str_count_matches", types.Int64T, str, str, bln)},
			Validate:  regexArg("pattern", "", true),
			Examples: []Example{{Expr: `"a1b22c333".str.count_matches("\\d+")`, Want: "3"}, {Expr: `"a.b.c".str.count_matches(".", literal = true)`, Want: "2"},
				{Expr: `"aaaa".str.count_matches("aa")`, Want: "2"}, {Expr: `"".str.count_matches("a")`, Want: "0"}},
		},
		{
			Name: "str.extract", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "pattern"},
				{Name: "group_index", Kind: Const, Optional: true, Default: "1", HasRange: true, Min: 0, Max: 8, Doc: "the group whose text is returned; 0: the whole match"}},
			Doc: "The text of group group_index in the first match of the regular expression pattern in x; null where " +
				"there is no match. The pattern must match deterministically (docs/semantics.md).",
			Overloads: []*Overload{ov("str_extract", types.StringT, str, str, i64)},
			Validate:  regexArg("pattern", "", true),
			Examples: []Example{{Expr: `"order-1234-x".str.extract("-(\\d+)-")`, Want: `"1234"`}, {Expr: `"no digits".str.extract("(\\d+)")`, Want: "null"},
				{Expr: `"k=v".str.extract("([a-z]+)=([a-z]+)", group_index = 2)`, Want: `"v"`}, {Expr: `"k=v".str.extract("[a-z]=", 0)`, Want: `"k="`}},
		},
		strPred("starts_with", "prefix", "True where x begins with prefix.", Example{Expr: `"feature".str.starts_with("fe")`, Want: "true"}),
		strPred("ends_with", "suffix", "True where x ends with suffix.", Example{Expr: `"feature".str.ends_with("ure")`, Want: "true"}),
		{
			Name: "str.like", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), constParam("pattern", "a constant SQL LIKE pattern")},
			Doc: "True where all of x matches the pattern, as SQL's LIKE: % stands for any run of characters " +
				"(none included), _ for exactly one character (code point), and \\ makes the next character literal " +
				"(\\%, \\_, \\\\). Case-sensitive. The pattern is a constant, checked when compiled; a pattern " +
				"ending in a lone \\ is an error.",
			Overloads: []*Overload{ov("str_like", types.BoolT, str, str)},
			Validate:  validateLike,
			Examples: []Example{
				{Expr: `"no special requests here".str.like("%special%requests%")`, Want: "true"},
				{Expr: `"requests are special".str.like("%special%requests%")`, Want: "false"},
				{Expr: `"PROMO BRUSHED".str.like("PROMO%")`, Want: "true"},
				{Expr: `"a_c".str.like("a\\_c")`, Want: "true"},
				{Expr: `"abc".str.like("a\\_c")`, Want: "false"},
				{Expr: `"héllo".str.like("h_llo")`, Want: "true"},
			},
		},
		{
			Name: "str.replace", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "old", Aliases: []string{"pattern"}}, {Name: "new", Aliases: []string{"value"}},
				{Name: "n", Kind: Const, Optional: true, Default: "-1", Doc: "-1: every occurrence (featc's default); 1: the first (Polars' default)"},
				{Name: "literal", Kind: Const, Optional: true, Default: "false", Doc: "false: old is a regular expression and new may refer to its groups ($1, ${name}, $0; $$ is a dollar sign); true: both are taken literally"}},
			Doc: "Replaces the matches of the regular expression old (or with literal = true, the occurrences of the text old) by new: " +
				"every one (n = -1, the default, SQL's REPLACE) or the first (n = 1, Polars' default — give n to say which). " +
				"A regular expression must match at least one character and match deterministically (docs/semantics.md); " +
				"an empty literal old leaves x unchanged.",
			Overloads: []*Overload{ov("str_replace", types.StringT, str, str, str, i64, bln)},
			Validate:  validateReplace,
			Examples: []Example{{Expr: `"a.b.c".str.replace(".", "-", literal = true)`, Want: `"a-b-c"`}, {Expr: `"a.b.c".str.replace(".", "-", n = 1, literal = true)`, Want: `"a-b.c"`},
				{Expr: `"héhé".str.replace("é", "e", n = 1)`, Want: `"hehé"`}, {Expr: `"2024-05-06".str.replace("(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1")`, Want: `"06/05/2024"`},
				{Expr: `"a  b   c".str.replace(" +", " ")`, Want: `"a b c"`}},
		},
		{
			Name: "str.replace_all", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "pattern", Aliases: []string{"old"}}, {Name: "value", Aliases: []string{"new"}},
				{Name: "literal", Kind: Const, Optional: true, Default: "false", Doc: "false: pattern is a regular expression and value may refer to its groups; true: both are taken literally"}},
			Doc:       "Replaces every match of pattern by value, as Polars' str.replace_all: a regular expression by default, the text itself with literal = true (an empty literal pattern leaves x unchanged).",
			Overloads: []*Overload{ov("str_replace_all", types.StringT, str, str, str, bln)},
			Validate:  regexArg("pattern", "value", true),
			Examples:  []Example{{Expr: `"a.b.c".str.replace_all(".", "", literal = true)`, Want: `"abc"`}, {Expr: `"a1b22".str.replace_all("[0-9]", "#")`, Want: `"a#b##"`}},
		},
		stripChars("strip_chars", "both ends", Example{Expr: `"xxaxbxx".str.strip_chars("x")`, Want: `"axb"`},
			Example{Expr: `" a \n".str.strip_chars()`, Want: `"a"`}, Example{Expr: `"ab-ba".str.strip_chars("ab")`, Want: `"-"`}),
		stripChars("strip_chars_start", "the start", Example{Expr: `"xxaxx".str.strip_chars_start("x")`, Want: `"axx"`}),
		stripChars("strip_chars_end", "the end", Example{Expr: `"xxaxx".str.strip_chars_end("x")`, Want: `"xxa"`}),
		padFunc("pad_start", "start", Example{Expr: `"7".str.pad_start(3, "0")`, Want: `"007"`},
			Example{Expr: `"abcd".str.pad_start(2)`, Want: `"abcd"`}, Example{Expr: `"é".str.pad_start(3, "·")`, Want: `"··é"`}),
		padFunc("pad_end", "end", Example{Expr: `"ab".str.pad_end(4, "*")`, Want: `"ab**"`}, Example{Expr: `"ab".str.pad_end(1)`, Want: `"ab"`}),
		{
			Name: "str.zfill", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), {Name: "length", Kind: Const, HasRange: true, Min: 0, Max: maxPad, Doc: "the length to reach, in characters"}},
			Doc: "x padded at the start with zeros to length characters, after a leading - or + sign, as Polars' " +
				"str.zfill; never truncated.",
			Overloads: []*Overload{ov("str_zfill", types.StringT, str, i64)},
			Examples: []Example{{Expr: `"42".str.zfill(5)`, Want: `"00042"`}, {Expr: `"-42".str.zfill(5)`, Want: `"-0042"`},
				{Expr: `"+4".str.zfill(3)`, Want: `"+04"`}, {Expr: `"12345".str.zfill(3)`, Want: `"12345"`}},
		},
		strToStr("reverse", "The characters (code points) of x in reverse order. Polars reverses grapheme clusters, so a letter followed by combining marks (e + ◌́) comes out in a different order there.",
			Example{Expr: `"héllo".str.reverse()`, Want: `"olléh"`}, Example{Expr: `"".str.reverse()`, Want: `""`}),
		strTake("head", "first", "last", Example{Expr: `"héllo".str.head(2)`, Want: `"hé"`}, Example{Expr: `"héllo".str.head(-2)`, Want: `"hél"`},
			Example{Expr: `"ab".str.head(5)`, Want: `"ab"`}, Example{Expr: `"ab".str.head(-5)`, Want: `""`}),
		strTake("tail", "last", "first", Example{Expr: `"héllo".str.tail(2)`, Want: `"lo"`}, Example{Expr: `"héllo".str.tail(-2)`, Want: `"llo"`},
			Example{Expr: `"ab".str.tail(5)`, Want: `"ab"`}, Example{Expr: `"ab".str.tail(-5)`, Want: `""`}),
		{
			Name: "str.slice", Method: true, Kind: Scalar, Family: "string",
			Params: []Param{param("x", ""), param("offset", "0-based; negative counts from the end"),
				{Name: "length", Optional: true, Default: "null", Doc: "characters to take; to the end when omitted or null"}},
			Doc: "The substring of length characters from offset (0-based, as in Polars; a negative offset " +
				"counts from the end). Offsets past either end are clamped; a negative length is an empty string.",
			Overloads: []*Overload{
				ov("str_slice", types.StringT, str, i64, i64),
			},
			Examples: []Example{
				{Expr: `"abcdef".str.slice(1, 3)`, Want: `"bcd"`},
				{Expr: `"abcdef".str.slice(-2)`, Want: `"ef"`},
			},
		},
		{
			Name: "str.split_part", Method: true, Kind: Scalar, Family: "string",
			Params:    []Param{param("x", ""), constParam("separator", "a non-empty constant"), constParam("n", "1-based part number")},
			Doc:       "The n-th part (1-based) of x split by separator, or the empty string when there are fewer parts.",
			Overloads: []*Overload{ov("str_split_part", types.StringT, str, str, i64)},
			Examples: []Example{
				{Expr: `"a,b,c".str.split_part(",", 2)`, Want: `"b"`},
				{Expr: `"a,b,c".str.split_part(",", 5)`, Want: `""`},
			},
		},
		{
			Name: "concat_str", Function: true, Kind: Scalar, Family: "string", Special: true,
			Params: []Param{{Name: "values", Variadic: true, Doc: "expressions or a list of them; other types are cast to string"},
				{Name: "separator", Kind: Const, Optional: true, Default: `""`},
				{Name: "ignore_nulls", Kind: Const, Optional: true, Default: "false", Doc: "true: a null value is left out with its separator (all null: \"\")"}},
			Doc: "The values as text joined by separator, as Polars' concat_str: null where any value is null, unless ignore_nulls.",
			Examples: []Example{
				{Expr: `concat_str("a", 1, true, separator = "-")`, Want: `"a-1-true"`},
				{Expr: `concat_str("a", null, "c", separator = "-")`, Want: "null"},
				{Expr: `concat_str(["a", null, "c"], separator = ", ", ignore_nulls = true)`, Want: `"a, c"`},
				{Expr: `concat_str(null, "b", separator = "-", ignore_nulls = true)`, Want: `"b"`},
			},
		},
		{
			Name: "concat", Function: true, Kind: Scalar, Family: "string",
			Params:    []Param{{Name: "values", Variadic: true}},
			Doc:       "Concatenation of strings; null if any is null (as ||, unlike Postgres' concat()).",
			Overloads: []*Overload{ov("concat_string", types.StringT, str)},
			Examples:  []Example{{Expr: `concat("a", "b", "c")`, Want: `"abc"`}, {Expr: `concat("a", null)`, Want: "null"}},
		},
	}
}

// regexArg checks a pattern argument read as a regular expression (literal = false, Polars'
// default): a constant in featc's dialect, matching deterministically where spans (the text
// matched) matter; with repl, the replacement parameter too.
func regexArg(param, repl string, spans bool) func(CallInfo) *Invalid {
	return func(c CallInfo) *Invalid {
		if v, ok := c.Consts["literal"]; ok && !v.Null && v.Bool() {
			return nil
		}
		v, ok := c.Values[param]
		if !ok {
			return &Invalid{param, OutOfRange, "a pattern that is not a constant cannot be checked as a regular expression when the program is compiled",
				"give literal = true to match its text"}
		}
		if v.Null {
			return nil
		}
		r, err := ParseRegex(v.S)
		if err != nil {
			return regexInvalid(param, err)
		}
		if spans {
			if err := r.CheckSpans(); err != nil {
				return regexInvalid(param, err)
			}
		}
		if repl == "" {
			if g, ok := c.Consts["group_index"]; ok && !g.Null && int(g.I) > r.Groups() {
				return &Invalid{"group_index", OutOfRange, fmt.Sprintf("group %d of a pattern with %d groups", g.I, r.Groups()),
					"groups are numbered from 1 by their opening parenthesis; 0 is the whole match"}
			}
			return nil
		}
		rv, ok := c.Values[repl]
		if !ok {
			return &Invalid{repl, OutOfRange, "the replacement of a regular expression must be a constant (it may refer to groups, $1)", "give literal = true to replace with text computed per row"}
		}
		if !rv.Null {
			if _, err := r.ParseReplacement(rv.S); err != nil {
				return regexInvalid(repl, err)
			}
		}
		return nil
	}
}

// regexInvalid reports a pattern or replacement outside featc's regular expressions.
func regexInvalid(param string, err error) *Invalid {
	if e, ok := err.(*RegexError); ok {
		return &Invalid{param, OutOfRange, e.Msg, e.Hint}
	}
	return &Invalid{param, OutOfRange, err.Error(), ""}
}

// validateReplace checks str.replace's n (every occurrence or the first) and its pattern.
func validateReplace(c CallInfo) *Invalid {
	if v, ok := c.Consts["n"]; ok && !v.Null && v.I != -1 && v.I != 1 {
		return &Invalid{"n", OutOfRange, "n of str.replace is -1 (every occurrence) or 1 (the first)", ""}
	}
	return regexArg("old", "new", true)(c)
}

// validateLike checks that a LIKE pattern does not end in a lone escape character, which
// engines reject at run time.
func validateLike(c CallInfo) *Invalid {
	v, ok := c.Consts["pattern"]
	if !ok || v.Null {
		return nil
	}
	if _, err := ParseLike(v.S); err != nil {
		return &Invalid{"pattern", OutOfRange, err.Error(), ""}
	}
	return nil
}

// LikeToken is one element of a parsed LIKE pattern: a literal run, % (any run) or _ (one
// character).
type LikeToken struct {
	Lit string
	Any bool // %
	One bool // _
}

// ParseLike parses a LIKE pattern with \ as its escape character.
func ParseLike(p string) ([]LikeToken, error) {
	var out []LikeToken
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			out = append(out, LikeToken{Lit: string(lit)})
			lit = nil
		}
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 >= len(p) {
				return nil, errLikeEscape
			}
			i++
			lit = append(lit, p[i])
		case '%':
			flush()
			if len(out) == 0 || !out[len(out)-1].Any {
				out = append(out, LikeToken{Any: true})
			}
		case '_':
			flush()
			out = append(out, LikeToken{One: true})
		default:
			lit = append(lit, c)
		}
	}
	flush()
	return out, nil
}

var errLikeEscape = likeError("a LIKE pattern cannot end with the escape character \\; write \\\\ for a backslash")

type likeError string

func (e likeError) Error() string { return string(e) }

// withAliases gives a function other names it is called by.
func withAliases(f *Func, names ...string) *Func {
	f.Aliases = append(f.Aliases, names...)
	return f
}

// maxPad is the longest string the padding functions make (SQL's LPAD takes a 32-bit length).
const maxPad = 1<<31 - 1

// stripChars declares str.strip_chars and its one-ended forms.
func stripChars(name, where string, examples ...Example) *Func {
	return &Func{
		Name: "str." + name, Method: true, Kind: Scalar, Family: "string",
		Params: []Param{param("x", ""), {Name: "characters", Kind: Const, Optional: true, Default: "null",
			Doc: "the set of characters to remove; omitted or null: whitespace (space, tab, newline, carriage return)"}},
		Doc:       "x without the characters of the set at " + where + ", as Polars' str." + name + ".",
		Overloads: []*Overload{ov("str_"+name, types.StringT, str, str)},
		Examples:  examples,
	}
}

// padFunc declares str.pad_start and str.pad_end.
func padFunc(name, where string, examples ...Example) *Func {
	return &Func{
		Name: "str." + name, Method: true, Kind: Scalar, Family: "string",
		Params: []Param{param("x", ""), {Name: "length", Kind: Const, HasRange: true, Min: 0, Max: maxPad, Doc: "the length to reach, in characters"},
			{Name: "fill_char", Kind: Const, Optional: true, Default: `" "`, Doc: "one character"}},
		Doc: "x padded at the " + where + " with fill_char to length characters, as Polars' str." + name +
			": a longer x is kept whole (SQL's LPAD and RPAD would cut it).",
		Overloads: []*Overload{ov("str_"+name, types.StringT, str, i64, str)},
		Validate:  validateFillChar,
		Examples:  examples,
	}
}

// validateFillChar checks that a padding character is one character.
func validateFillChar(c CallInfo) *Invalid {
	if v, ok := c.Consts["fill_char"]; ok && !v.Null && utf8.RuneCountInString(v.S) != 1 {
		return &Invalid{"fill_char", OutOfRange, "fill_char must be one character", ""}
	}
	return nil
}

// strTake declares str.head and str.tail: n characters from one end (from), or for a negative
// n all but |n| from the other (other), as in Polars.
func strTake(name, from, other string, examples ...Example) *Func {
	return &Func{
		Name: "str." + name, Method: true, Kind: Scalar, Family: "string",
		Params: []Param{param("x", ""), param("n", "characters to take; negative: all but the "+other+" |n|")},
		Doc: "The " + from + " n characters (code points), as Polars' str." + name + ": all of x when n exceeds its " +
			"length, and for a negative n all but the " + other + " |n| characters.",
		Overloads: []*Overload{ov("str_"+name, types.StringT, str, i64)},
		Examples:  examples,
	}
}
