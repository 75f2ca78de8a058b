package eval

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Regular expressions (featc's dialect, stdlib/regex.go), run by Go's regexp: RE2, as DuckDB
// runs them and with Polars' leftmost-first matching. Patterns are constants checked when the
// program was compiled; each is compiled here once and kept.

type compiledRegex struct {
	re    *regexp.Regexp
	regex *stdlib.Regex
	lit   string // the text matched, when the pattern is a plain string
	isLit bool
}

var (
	regexCache   sync.Map // pattern → *compiledRegex
	regexEntries int64
	regexMu      sync.Mutex
)

// maxCachedRegexes bounds the cache: the patterns of the programs a process compiles.
const maxCachedRegexes = 4096

func compileRegex(pattern string) (*compiledRegex, error) {
	if c, ok := regexCache.Load(pattern); ok {
		return c.(*compiledRegex), nil
	}
	r, err := stdlib.ParseRegex(pattern)
	if err != nil {
		return nil, err
	}
	src, _, err := r.Write(stdlib.RE2, false)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %w", pattern, err)
	}
	c := &compiledRegex{re: re, regex: r}
	c.lit, c.isLit = r.Literal()
	regexMu.Lock()
	if regexEntries < maxCachedRegexes {
		regexEntries++
		regexCache.Store(pattern, c)
	}
	regexMu.Unlock()
	return c, nil
}

// literalArg reports whether the call's literal argument (its last) says the pattern is text.
func literalArg(a []*Vec) bool {
	lit := a[len(a)-1]
	return lit.IsNull(0) || lit.B[0]
}

// patternOf returns row i's compiled pattern, reusing the last one while the pattern repeats
// (it is a constant after checking).
func patternOf(p *Vec, i int, last **compiledRegex) (*compiledRegex, error) {
	s := p.S[p.idx(i)]
	if *last != nil && (*last).regex.String() == s {
		return *last, nil
	}
	c, err := compileRegex(s)
	if err != nil {
		return nil, err
	}
	*last = c
	return c, nil
}

// eachPatternRow calls f on each row of a pattern function where neither the subject nor the
// pattern is null, with the pattern's text (literal = true) or its compiled form.
func eachPatternRow(k *kctx, out *Vec, a []*Vec, t types.Type, f func(i int, s, text string, c *compiledRegex)) error {
	x, p := a[0], a[1]
	out.resize(t, k.n)
	mergeNulls(out, x, p)
	literal := literalArg(a)
	var c *compiledRegex
	for i := 0; i < k.n; i++ {
		if out.IsNull(i) {
			continue
		}
		if literal {
			f(i, x.S[x.idx(i)], p.S[p.idx(i)], nil)
			continue
		}
		var err error
		if c, err = patternOf(p, i, &c); err != nil {
			return err
		}
		f(i, x.S[x.idx(i)], "", c)
	}
	return nil
}

func containsKernel(k *kctx, out *Vec, a []*Vec) error {
	return eachPatternRow(k, out, a, types.BoolT, func(i int, s, text string, c *compiledRegex) {
		switch {
		case c == nil:
			out.B[i] = strings.Contains(s, text)
		case c.isLit:
			out.B[i] = strings.Contains(s, c.lit)
		default:
			out.B[i] = c.re.MatchString(s)
		}
	})
}

func countMatchesKernel(k *kctx, out *Vec, a []*Vec) error {
	return eachPatternRow(k, out, a, types.Int64T, func(i int, s, text string, c *compiledRegex) {
		switch {
		case c != nil:
			out.I[i] = int64(len(c.re.FindAllStringIndex(s, -1)))
		case text == "":
			out.I[i] = 0
		default:
			out.I[i] = int64(strings.Count(s, text))
		}
	})
}

func extractKernel(k *kctx, out *Vec, a []*Vec) error {
	x, p, g := a[0], a[1], a[2]
	out.resize(types.StringT, k.n)
	mergeNulls(out, x, p, g)
	var c *compiledRegex
	for i := range out.S {
		if out.IsNull(i) {
			continue
		}
		var err error
		if c, err = patternOf(p, i, &c); err != nil {
			return err
		}
		s := x.S[x.idx(i)]
		m := c.re.FindStringSubmatchIndex(s)
		gi := int(g.I[g.idx(i)])
		if m == nil || 2*gi+1 >= len(m) || m[2*gi] < 0 {
			markNull(out, i)
			continue
		}
		out.S[i] = s[m[2*gi]:m[2*gi+1]]
	}
	return nil
}

// regexReplace replaces the matches of a regular expression (the first, or every one) by a
// replacement that may refer to groups.
func regexReplace(k *kctx, out *Vec, x, p, r *Vec, first bool) error {
	out.resize(types.StringT, k.n)
	mergeNulls(out, x, p, r)
	var c *compiledRegex
	var repl stdlib.Replacement
	lastRepl := ""
	for i := range out.S {
		if out.IsNull(i) {
			continue
		}
		var err error
		if c, err = patternOf(p, i, &c); err != nil {
			return err
		}
		if rs := r.S[r.idx(i)]; repl == nil || rs != lastRepl {
			if repl, err = c.regex.ParseReplacement(rs); err != nil {
				return err
			}
			if repl == nil {
				repl = stdlib.Replacement{}
			}
			lastRepl = rs
		}
		s := x.S[x.idx(i)]
		n := -1
		if first {
			n = 1
		}
		ms := c.re.FindAllStringSubmatchIndex(s, n)
		if len(ms) == 0 {
			out.S[i] = s
			continue
		}
		mark := k.arena.mark()
		at := 0
		for _, m := range ms {
			k.arena.buf = append(k.arena.buf, s[at:m[0]]...)
			k.arena.buf = repl.Apply(k.arena.buf, s, m)
			at = m[1]
		}
		k.arena.buf = append(k.arena.buf, s[at:]...)
		out.S[i] = k.arena.since(mark)
	}
	return nil
}
