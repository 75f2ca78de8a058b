package stdlib

import (
	"fmt"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// featc's regular expressions: one dialect that the evaluator (Go's RE2), DuckDB (RE2),
// Postgres (POSIX advanced REs) and Snowflake (POSIX extended REs) execute alike. A pattern is
// parsed once, checked against the subset, and written out again for each engine with the
// constructs spelled the way that engine reads them the same:
//
//   - literal characters, escaped metacharacters (\. \* …), . (any character but a newline);
//   - classes [a-z0-9_], [^…], and \d \w \s \D \W \S, which are ASCII ([0-9], [0-9A-Za-z_],
//     [\t\n\f\r ]) on every engine — Polars' are Unicode-aware;
//   - ^ and $ (or \A and \z): the start and end of the text, never of a line;
//   - groups (…), (?:…) and (?P<name>…); alternation |;
//   - greedy repeats * + ? {n} {n,} {n,m} (m ≤ 255).
//
// Outside it, and refused when a program is compiled: lazy repeats (the POSIX engines have
// none), flags such as (?i) (case folding differs by engine and locale), word boundaries (\b:
// neither POSIX dialect has RE2's), repeats of what can match nothing, and very large classes.
//
// Where a function returns what matched (count_matches, extract, replace), the engines' rules
// for choosing among several matches at one position differ: RE2 (and Polars) take the first
// by the pattern's preferences, POSIX engines the longest. featc therefore also requires such
// patterns to be deterministic: at every repeat, what may follow cannot begin as the repeated
// part begins, and the branches of an alternation begin differently. There is then one way to
// match, and every engine finds it.

// RegexError says why a pattern is outside featc's dialect, and how to write it instead.
type RegexError struct{ Msg, Hint string }

func (e *RegexError) Error() string {
	if e.Hint == "" {
		return e.Msg
	}
	return e.Msg + ": " + e.Hint
}

func rxErr(hint, format string, args ...any) error {
	return &RegexError{Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Regex is a checked pattern of featc's regular-expression dialect.
type Regex struct {
	src    string
	re     *syntax.Regexp
	groups int
	names  map[string]int
}

// RegexFlavor names the regular-expression syntax an engine reads.
type RegexFlavor uint8

// Regular-expression flavors.
const (
	// RE2 is Go's regexp and DuckDB's (and Polars' Rust regex, for the subset).
	RE2 RegexFlavor = iota
	// ARE is Postgres' advanced regular expressions.
	ARE
	// ERE is POSIX extended regular expressions, as Snowflake reads them.
	ERE
)

// engines names, for a message, the engines reading a flavor.
func (f RegexFlavor) engines() string {
	switch f {
	case ARE:
		return "Postgres"
	case ERE:
		return "Snowflake"
	}
	return "DuckDB"
}

const maxRegexRepeat = 255 // Postgres' limit (DUPMAX)

// maxClassRanges bounds a class written out range by range (\p{L} has hundreds).
const maxClassRanges = 64

// ParseRegex parses a pattern and checks that it is in featc's dialect.
func ParseRegex(pattern string) (*Regex, error) {
	if strings.ContainsRune(pattern, 0) {
		return nil, fmt.Errorf("the pattern holds a NUL character, which SQL text cannot")
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("not a regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	r := &Regex{src: pattern, re: re, groups: re.MaxCap(), names: map[string]int{}}
	for i, n := range re.CapNames() {
		if n != "" {
			r.names[n] = i
		}
	}
	if err := r.check(re); err != nil {
		return nil, err
	}
	return r, nil
}

// check walks the pattern and refuses what is outside the dialect.
func (r *Regex) check(re *syntax.Regexp) error {
	if re.Flags&syntax.FoldCase != 0 {
		return rxErr("lower both sides first: x.str.to_lowercase().str.contains(…)", "case-insensitive matching ((?i)) is outside featc's regular expressions (engines fold case differently)")
	}
	if re.Flags&syntax.NonGreedy != 0 && isRepeat(re.Op) {
		return rxErr("write a class that stops where the match should, such as [^,]* before a comma", "the lazy repeat in %s is outside featc's regular expressions: Postgres and Snowflake have none (https://docs.snowflake.com/en/sql-reference/functions-regexp)", quote(re))
	}
	switch re.Op {
	case syntax.OpAnyChar:
		return rxErr("write ([^\\n]|\\n) for any character", "a . that matches newlines ((?s)) is outside featc's regular expressions")
	case syntax.OpBeginLine, syntax.OpEndLine:
		return rxErr("^ and $ mark the start and end of the text; match a newline with \\n", "multi-line anchors ((?m)) are outside featc's regular expressions")
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return rxErr("match the separating characters instead, such as (^|[^a-z])", "word boundaries (\\b, \\B) are outside featc's regular expressions: Postgres writes them \\y and Snowflake's POSIX dialect has none")
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return rxErr("remove it, or list the characters it should match", "the class %s matches no character", quote(re))
		}
		if _, _, ok := classSpelling(re.Rune); !ok {
			return rxErr("list the ranges of characters meant, such as [A-Za-zÀ-ÿ]", "the class %s is too large to write out for every engine (Unicode categories such as \\pL are outside featc's regular expressions)", quote(re))
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		if re.Op == syntax.OpRepeat && re.Max > maxRegexRepeat {
			return rxErr("repeat a group: (x{200}){2}", "the repeat count in %s is above %d, Postgres' limit", quote(re), maxRegexRepeat)
		}
		if _, nullable := first(re.Sub[0]); nullable {
			return rxErr("make the repeated part match at least one character: (a+)* rather than (a*)*", "%s repeats what can match nothing, and engines count such empty matches differently", quote(re))
		}
	}
	for _, s := range re.Sub {
		if err := r.check(s); err != nil {
			return err
		}
	}
	return nil
}

func isRepeat(op syntax.Op) bool {
	return op == syntax.OpStar || op == syntax.OpPlus || op == syntax.OpQuest || op == syntax.OpRepeat
}

func quote(re *syntax.Regexp) string { return "`" + re.String() + "`" }

// Groups returns the number of capture groups.
func (r *Regex) Groups() int { return r.groups }

// String returns the pattern as written.
func (r *Regex) String() string { return r.src }

// Nullable reports whether the pattern can match the empty string (so every string contains
// a match).
func (r *Regex) Nullable() bool {
	_, n := first(r.re)
	return n
}

// Literal returns the text the pattern matches when it is a plain string without
// metacharacters (its meaning as a regular expression and as a literal are the same).
func (r *Regex) Literal() (string, bool) {
	switch r.re.Op {
	case syntax.OpLiteral:
		return string(r.re.Rune), true
	case syntax.OpEmptyMatch:
		return "", true
	}
	return "", false
}

// CheckSpans checks what functions returning the matched text need: the pattern matches at
// least one character, and it matches deterministically (see the package comment), so
// leftmost-first and leftmost-longest engines match the same text.
func (r *Regex) CheckSpans() error {
	if r.Nullable() {
		return rxErr("make it match at least one character (+ rather than *)", "the pattern can match the empty string, where engines differ in what they count and replace")
	}
	return spans(r.re, nil)
}

// spans checks determinism with follow, the characters that may come after re.
func spans(re *syntax.Regexp, follow charSet) error {
	switch re.Op {
	case syntax.OpConcat:
		for i, s := range re.Sub {
			f := follow
			rest, nullable := firstSeq(re.Sub[i+1:])
			if !nullable {
				f = rest
			} else {
				f = rest.union(follow)
			}
			if err := spans(s, f); err != nil {
				return err
			}
		}
	case syntax.OpAlternate:
		var seen charSet
		for _, s := range re.Sub {
			fs, nullable := first(s)
			if nullable {
				return rxErr("make the group optional instead: (a|b)? rather than (a|b|)", "a branch of %s can match nothing, so engines choose differently between it and the others", quote(re))
			}
			if c, ok := seen.common(fs); ok {
				return rxErr("make the branches begin differently: ab(c|d) rather than abc|abd, or (ab|a) as ab?", "two branches of %s can begin with %s, so RE2 engines (the evaluator, DuckDB) take the first that matches and POSIX ones (Postgres, Snowflake) the longest", quote(re), strconv.QuoteRune(c))
			}
			seen = seen.union(fs)
			if err := spans(s, follow); err != nil {
				return err
			}
		}
	case syntax.OpCapture:
		return spans(re.Sub[0], follow)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		fs, _ := first(re.Sub[0])
		choice := re.Op != syntax.OpRepeat || re.Max != re.Min
		if c, ok := fs.common(follow); ok && choice {
			return rxErr("make what follows begin differently from what repeats: [^,]*, rather than .*, before a comma", "the repeat %s can stop or go on at %s, so RE2 engines (the evaluator, DuckDB) and POSIX ones (Postgres, Snowflake) may match different text", quote(re), strconv.QuoteRune(c))
		}
		inner := follow
		if re.Op != syntax.OpQuest && !(re.Op == syntax.OpRepeat && re.Max == 1) {
			inner = fs.union(follow)
		}
		return spans(re.Sub[0], inner)
	}
	return nil
}

// charSet is a set of code points as sorted, non-overlapping, inclusive ranges [lo, hi, …].
type charSet []rune

func (s charSet) union(t charSet) charSet {
	if len(s) == 0 {
		return t
	}
	if len(t) == 0 {
		return s
	}
	all := append(append(charSet{}, s...), t...)
	type rg struct{ lo, hi rune }
	rs := make([]rg, 0, len(all)/2)
	for i := 0; i < len(all); i += 2 {
		rs = append(rs, rg{all[i], all[i+1]})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	out := charSet{rs[0].lo, rs[0].hi}
	for _, r := range rs[1:] {
		if r.lo <= out[len(out)-1]+1 {
			out[len(out)-1] = max(out[len(out)-1], r.hi)
			continue
		}
		out = append(out, r.lo, r.hi)
	}
	return out
}

// common returns a code point in both sets, if there is one.
func (s charSet) common(t charSet) (rune, bool) {
	for i := 0; i < len(s); i += 2 {
		for j := 0; j < len(t); j += 2 {
			lo, hi := max(s[i], t[j]), min(s[i+1], t[j+1])
			if lo <= hi {
				return lo, true
			}
		}
	}
	return 0, false
}

var anyButNewline = charSet{0, '\n' - 1, '\n' + 1, utf8.MaxRune}

// first returns the characters a match of re can begin with, and whether re can match the
// empty string.
func first(re *syntax.Regexp) (charSet, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil, true
		}
		return charSet{re.Rune[0], re.Rune[0]}, false
	case syntax.OpCharClass:
		return charSet(re.Rune).union(nil), false
	case syntax.OpAnyCharNotNL:
		return anyButNewline, false
	case syntax.OpAnyChar:
		return charSet{0, utf8.MaxRune}, false
	case syntax.OpCapture:
		return first(re.Sub[0])
	case syntax.OpConcat:
		return firstSeq(re.Sub)
	case syntax.OpAlternate:
		var s charSet
		nullable := false
		for _, sub := range re.Sub {
			f, n := first(sub)
			s, nullable = s.union(f), nullable || n
		}
		return s, nullable
	case syntax.OpStar, syntax.OpQuest:
		f, _ := first(re.Sub[0])
		return f, true
	case syntax.OpPlus:
		return first(re.Sub[0])
	case syntax.OpRepeat:
		f, n := first(re.Sub[0])
		return f, n || re.Min == 0
	case syntax.OpNoMatch:
		return nil, false
	}
	return nil, true // anchors and the empty match
}

func firstSeq(subs []*syntax.Regexp) (charSet, bool) {
	var s charSet
	for _, sub := range subs {
		f, n := first(sub)
		s = s.union(f)
		if !n {
			return s, false
		}
	}
	return s, true
}

// Write returns the pattern as the flavor reads it with the same meaning. With whole, the
// pattern is wrapped in a group of its own (group 1: the whole match), for functions that
// extract or refer to groups. group maps a group of the pattern as written (0: the whole match,
// when whole) to its number in the pattern returned.
func (r *Regex) Write(f RegexFlavor, whole bool) (pattern string, group func(int) int, err error) {
	w := &regexWriter{f: f, groups: map[int]int{}}
	if whole {
		w.n = 1
		w.groups[0] = 1
	}
	w.alt(r.re)
	if w.err != nil {
		return "", nil, w.err
	}
	out := w.b.String()
	if whole {
		out = "(" + out + ")"
	}
	return out, func(i int) int { return w.groups[i] }, nil
}

type regexWriter struct {
	f      RegexFlavor
	b      strings.Builder
	n      int         // groups written so far
	groups map[int]int // the pattern's capture index → the group written
	err    error
}

// group opens a group that only groups: capturing on ERE, which has no other kind, where it
// takes a number of its own.
func (w *regexWriter) open() {
	if w.f == ERE {
		w.n++
		w.b.WriteString("(")
		return
	}
	w.b.WriteString("(?:")
}

// alt writes re where an alternation needs no group.
func (w *regexWriter) alt(re *syntax.Regexp) {
	if re.Op != syntax.OpAlternate {
		w.seq(re)
		return
	}
	for i, s := range re.Sub {
		if i > 0 {
			w.b.WriteByte('|')
		}
		w.seq(s)
	}
}

// seq writes re as part of a sequence.
func (w *regexWriter) seq(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpAlternate:
		w.open()
		w.alt(re)
		w.b.WriteByte(')')
	case syntax.OpConcat:
		for _, s := range re.Sub {
			w.seq(s)
		}
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			w.char(c)
		}
	default:
		w.atom(re)
	}
}

// atom writes re as one unit, as a repeat's operand must be.
func (w *regexWriter) atom(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 1 {
			w.char(re.Rune[0])
			return
		}
		w.open()
		w.seq(re)
		w.b.WriteByte(')')
	case syntax.OpEmptyMatch:
		if w.f == ERE {
			w.n++
			w.b.WriteString("()")
			return
		}
		w.b.WriteString("(?:)")
	case syntax.OpAnyCharNotNL:
		// Postgres' . matches a newline, and Snowflake's does with the s parameter: written
		// out, the class means the same whatever the engine's options.
		w.b.WriteString("[^")
		w.raw('\n')
		w.b.WriteString("]")
	case syntax.OpCharClass:
		w.class(re.Rune)
	case syntax.OpBeginText:
		w.b.WriteByte('^')
	case syntax.OpEndText:
		w.b.WriteByte('$')
	case syntax.OpCapture:
		w.n++
		w.groups[re.Cap] = w.n
		w.b.WriteByte('(')
		w.alt(re.Sub[0])
		w.b.WriteByte(')')
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		w.atom(re.Sub[0])
		switch re.Op {
		case syntax.OpStar:
			w.b.WriteByte('*')
		case syntax.OpPlus:
			w.b.WriteByte('+')
		case syntax.OpQuest:
			w.b.WriteByte('?')
		default:
			switch {
			case re.Max == re.Min:
				fmt.Fprintf(&w.b, "{%d}", re.Min)
			case re.Max < 0:
				fmt.Fprintf(&w.b, "{%d,}", re.Min)
			default:
				fmt.Fprintf(&w.b, "{%d,%d}", re.Min, re.Max)
			}
		}
	case syntax.OpConcat, syntax.OpAlternate:
		w.open()
		w.alt(re)
		w.b.WriteByte(')')
	case syntax.OpNoMatch:
		w.err = fmt.Errorf("the pattern matches nothing")
	default:
		w.err = fmt.Errorf("%s is outside featc's regular expressions", quote(re))
	}
}

// char writes a literal character outside a class.
func (w *regexWriter) char(c rune) {
	if strings.ContainsRune(`\.+*?()|[{^$`, c) {
		w.b.WriteByte('\\')
	}
	w.raw(c)
}

// raw writes a character, a control character as an escape where the flavor has them (POSIX
// EREs have none: there it is the character itself).
func (w *regexWriter) raw(c rune) {
	if c >= 0x20 || w.f == ERE {
		w.b.WriteRune(c)
		return
	}
	switch c {
	case '\n':
		w.b.WriteString(`\n`)
	case '\t':
		w.b.WriteString(`\t`)
	case '\r':
		w.b.WriteString(`\r`)
	case '\f':
		w.b.WriteString(`\f`)
	default:
		if w.f == ARE {
			fmt.Fprintf(&w.b, `\u%04X`, c)
		} else {
			fmt.Fprintf(&w.b, `\x{%X}`, c)
		}
	}
}

// classSpelling returns a class as the ranges to write and whether they are negated: the
// complement when the class holds the first code points (as [^…] and \D do).
func classSpelling(rs []rune) (set charSet, neg, ok bool) {
	set = charSet(rs).union(nil)
	if len(set) > 0 && set[0] == 0 {
		neg = true
		var comp charSet
		next := rune(0)
		for i := 0; i < len(set); i += 2 {
			if set[i] > next {
				comp = append(comp, next, set[i]-1)
			}
			next = set[i+1] + 1
		}
		if next <= utf8.MaxRune {
			comp = append(comp, next, utf8.MaxRune)
		}
		set = comp
		if len(set) == 0 {
			return nil, false, false // every character: [\s\S]
		}
	}
	if len(set)/2 > maxClassRanges {
		return nil, false, false
	}
	return set, neg, true
}

// classSpecial are the characters a class may not hold as they are.
const classSpecial = `]\^-[`

// class writes a bracket expression. RE2 and Postgres' AREs escape the characters special in
// brackets with a backslash; POSIX EREs have no escapes in brackets, so there ] comes first,
// - last, ^ anywhere but first and [ where no : . = follows it.
func (w *regexWriter) class(rs []rune) {
	set, neg, _ := classSpelling(rs)
	w.b.WriteByte('[')
	if neg {
		w.b.WriteByte('^')
	}
	if w.f != ERE {
		for i := 0; i < len(set); i += 2 {
			w.classChar(set[i])
			if set[i+1] != set[i] {
				if set[i+1] > set[i]+1 {
					w.b.WriteByte('-')
				}
				w.classChar(set[i+1])
			}
		}
		w.b.WriteByte(']')
		return
	}
	// ERE: special characters at range ends are taken out as single characters.
	var singles []rune
	var body strings.Builder
	for i := 0; i < len(set); i += 2 {
		lo, hi := set[i], set[i+1]
		for lo <= hi && strings.ContainsRune(classSpecial, lo) {
			singles = append(singles, lo)
			lo++
		}
		for hi >= lo && strings.ContainsRune(classSpecial, hi) {
			singles = append(singles, hi)
			hi--
		}
		if lo > hi {
			continue
		}
		body.WriteRune(lo)
		if hi > lo {
			if hi > lo+1 {
				body.WriteByte('-')
			}
			body.WriteRune(hi)
		}
	}
	has := func(c rune) bool {
		for _, s := range singles {
			if s == c {
				return true
			}
		}
		return false
	}
	if has('\\') {
		w.err = rxErr("match it outside the class: (\\\\|[…])", "a class holding a backslash cannot be written for Snowflake, whose POSIX classes have no escapes (https://docs.snowflake.com/en/sql-reference/functions-regexp)")
		return
	}
	// Order: ] first, the ranges, [ (then followed by ^, - or ], never : . =), ^, and - last;
	// where ^ would come first (and so negate), - goes first instead.
	caretFirst := has('^') && !neg && !has(']') && body.Len() == 0 && !has('[')
	if caretFirst && !has('-') {
		// The class of ^ alone, as an escaped character.
		s := strings.TrimSuffix(w.b.String(), "[")
		w.b.Reset()
		w.b.WriteString(s)
		w.b.WriteString(`\^`)
		return
	}
	if caretFirst {
		w.b.WriteString("-^]")
		return
	}
	if has(']') {
		w.b.WriteByte(']')
	}
	w.b.WriteString(body.String())
	if has('[') {
		w.b.WriteByte('[')
	}
	if has('^') {
		w.b.WriteByte('^')
	}
	if has('-') {
		w.b.WriteByte('-')
	}
	w.b.WriteByte(']')
}

// classChar writes one character inside a class for RE2 and AREs.
func (w *regexWriter) classChar(c rune) {
	if strings.ContainsRune(classSpecial, c) {
		w.b.WriteByte('\\')
	}
	w.raw(c)
}

// Replacement is a replacement text of a regular-expression replace, parsed: Polars' (Rust
// regex's) $1, ${1}, $name, ${name} refer to groups ($0: the whole match) and $$ is a dollar.
type Replacement []ReplacePiece

// ReplacePiece is literal text or a group's text.
type ReplacePiece struct {
	Text  string
	Group int // -1: Text
}

// ParseReplacement reads repl for a replace with r. As in Rust, $name takes the longest run of
// letters, digits and _ ($1a is the group named 1a); featc refuses a reference to a group the
// pattern lacks, where Rust would quietly write nothing.
func (r *Regex) ParseReplacement(repl string) (Replacement, error) {
	var out Replacement
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, ReplacePiece{Text: lit.String(), Group: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' {
			lit.WriteByte(c)
			continue
		}
		if i+1 < len(repl) && repl[i+1] == '$' {
			lit.WriteByte('$')
			i++
			continue
		}
		var name string
		j := i + 1
		if j < len(repl) && repl[j] == '{' {
			k := strings.IndexByte(repl[j:], '}')
			if k < 0 {
				lit.WriteByte('$')
				continue
			}
			name = repl[j+1 : j+k]
			j += k + 1
		} else {
			k := j
			for k < len(repl) && (repl[k] == '_' || repl[k] >= '0' && repl[k] <= '9' || repl[k] >= 'a' && repl[k] <= 'z' || repl[k] >= 'A' && repl[k] <= 'Z') {
				k++
			}
			name = repl[j:k]
			j = k
		}
		if name == "" {
			lit.WriteByte('$')
			continue
		}
		g, err := strconv.Atoi(name)
		if err != nil {
			var ok bool
			if g, ok = r.names[name]; !ok {
				return nil, rxErr("write ${1}x for group 1 followed by x, and $$ for a dollar sign", "the replacement refers to a group named %q, which the pattern does not have", name)
			}
		} else if g > r.groups {
			return nil, rxErr("groups are numbered from 1 by their opening parenthesis; $0 is the whole match", "the replacement refers to group %d, but the pattern has %d", g, r.groups)
		}
		flush()
		out = append(out, ReplacePiece{Group: g})
		i = j - 1
	}
	flush()
	return out, nil
}

// Write returns the replacement as the engines read it (\N for group N, \\ for a backslash;
// the same for RE2's rewrite strings, Postgres and Snowflake), with group mapping the pattern's
// groups to those of the written pattern. Engines read back-references \1 to \9 only.
func (rp Replacement) Write(group func(int) int) (string, error) {
	var b strings.Builder
	for _, p := range rp {
		if p.Group < 0 {
			b.WriteString(strings.ReplaceAll(p.Text, `\`, `\\`))
			continue
		}
		g := group(p.Group)
		if g < 1 || g > 9 {
			return "", fmt.Errorf("the replacement refers to group %d, written as group %d where engines read groups 1 to 9 only", p.Group, g)
		}
		fmt.Fprintf(&b, `\%d`, g)
	}
	return b.String(), nil
}

// IsText reports whether the replacement refers to no group.
func (rp Replacement) IsText() bool {
	for _, p := range rp {
		if p.Group >= 0 {
			return false
		}
	}
	return true
}

// Text returns the text of a replacement that refers to no group.
func (rp Replacement) Text() string {
	var b strings.Builder
	for _, p := range rp {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Apply appends the replacement of the match m (as regexp's submatch indexes) of s to dst.
func (rp Replacement) Apply(dst []byte, s string, m []int) []byte {
	for _, p := range rp {
		if p.Group < 0 {
			dst = append(dst, p.Text...)
			continue
		}
		if a, b := m[2*p.Group], m[2*p.Group+1]; a >= 0 {
			dst = append(dst, s[a:b]...)
		}
	}
	return dst
}
