package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

func stringKernels(m map[string]kernel) {
	m["str_len"] = strLen(utf8.RuneCountInString)
	m["str_len_bytes"] = strLen(func(s string) int { return len(s) })
	m["str_head"] = strTake(false)
	m["str_tail"] = strTake(true)
	m["str_lower"] = strMap(func(ar *arena, s string) string { return mapRunes(ar, s, unicode.ToLower) })
	m["str_upper"] = strMap(func(ar *arena, s string) string { return mapRunes(ar, s, unicode.ToUpper) })
	m["str_strip"] = strMap(func(_ *arena, s string) string { return strings.Trim(s, " \t\n\r") })
	m["str_strip_chars"] = stripKernel(strings.Trim)
	m["str_strip_chars_start"] = stripKernel(strings.TrimLeft)
	m["str_strip_chars_end"] = stripKernel(strings.TrimRight)
	m["str_pad_start"] = padKernel(true)
	m["str_pad_end"] = padKernel(false)
	m["str_zfill"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, n := a[0], a[1]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, n)
		for i := range out.S {
			s, want := x.S[x.idx(i)], int(n.I[n.idx(i)])
			pad := want - utf8.RuneCountInString(s)
			if pad <= 0 {
				out.S[i] = s
				continue
			}
			mark := k.arena.mark()
			if s != "" && (s[0] == '-' || s[0] == '+') {
				k.arena.buf = append(k.arena.buf, s[0])
				s = s[1:]
			}
			for ; pad > 0; pad-- {
				k.arena.buf = append(k.arena.buf, '0')
			}
			k.arena.buf = append(k.arena.buf, s...)
			out.S[i] = k.arena.since(mark)
		}
		return nil
	}
	m["str_reverse"] = strMap(func(ar *arena, s string) string {
		if len(s) < 2 {
			return s
		}
		mark := ar.mark()
		for i := len(s); i > 0; {
			r, size := utf8.DecodeLastRuneInString(s[:i])
			ar.buf = utf8.AppendRune(ar.buf, r)
			i -= size
		}
		return ar.since(mark)
	})
	m["str_contains"] = containsKernel
	m["str_count_matches"] = countMatchesKernel
	m["str_extract"] = extractKernel
	m["str_starts_with"] = strPred(strings.HasPrefix)
	m["str_ends_with"] = strPred(strings.HasSuffix)
	m["str_like"] = likeKernel
	replace := func(k *kctx, out *Vec, a []*Vec) error {
		x, old, nw := a[0], a[1], a[2]
		first := len(a) > 4 && a[3].I[0] == 1 // str.replace's n = 1: the first occurrence only
		if lit := a[len(a)-1]; !lit.IsNull(0) && !lit.B[0] {
			return regexReplace(k, out, x, old, nw, first)
		}
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, old, nw)
		for i := range out.S {
			s, o, n := x.S[x.idx(i)], old.S[old.idx(i)], nw.S[nw.idx(i)]
			if o == "" || !strings.Contains(s, o) {
				out.S[i] = s
				continue
			}
			mark := k.arena.mark()
			for {
				j := strings.Index(s, o)
				if j < 0 {
					k.arena.buf = append(k.arena.buf, s...)
					break
				}
				k.arena.buf = append(k.arena.buf, s[:j]...)
				k.arena.buf = append(k.arena.buf, n...)
				s = s[j+len(o):]
				if first {
					k.arena.buf = append(k.arena.buf, s...)
					break
				}
			}
			out.S[i] = k.arena.since(mark)
		}
		return nil
	}
	m["str_replace"] = replace
	m["str_replace_all"] = replace
	m["str_slice"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, off, length := a[0], a[1], a[2]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, off)
		for i := range out.S {
			s := x.S[x.idx(i)]
			n := int64(utf8.RuneCountInString(s))
			start := off.I[off.idx(i)]
			if start < 0 {
				start += n
			}
			end := n
			if !length.IsNull(i) {
				l := length.I[length.idx(i)]
				if l < 0 {
					out.S[i] = ""
					continue
				}
				end = start + l
				if l > n { // avoid overflow with huge lengths
					end = n
					if start < 0 {
						end = start + l
					}
				}
			}
			start = max(start, 0)
			end = min(end, n)
			if start >= end {
				out.S[i] = ""
				continue
			}
			out.S[i] = runeSlice(s, int(start), int(end))
		}
		return nil
	}
	m["str_split_part"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, sep, nth := a[0], a[1], a[2]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, sep, nth)
		for i := range out.S {
			s, sp, n := x.S[x.idx(i)], sep.S[sep.idx(i)], nth.I[nth.idx(i)]
			out.S[i] = splitPart(s, sp, n)
		}
		return nil
	}
	concat := func(k *kctx, out *Vec, a []*Vec) error {
		out.resize(types.StringT, k.n)
		mergeNulls(out, a...)
		for i := range out.S {
			if out.IsNull(i) {
				continue
			}
			mark := k.arena.mark()
			for _, v := range a {
				k.arena.buf = append(k.arena.buf, v.S[v.idx(i)]...)
			}
			out.S[i] = k.arena.since(mark)
		}
		return nil
	}
	m["concat_string"] = concat
	m["add_string"] = concat
}

// strMap maps each string through f (which may build its result in the arena).
func strMap(f func(ar *arena, s string) string) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x)
		for i := range out.S {
			out.S[i] = f(k.arena, x.S[x.idx(i)])
		}
		return nil
	}
}

func strPred(f func(s, t string) bool) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, y := a[0], a[1]
		out.resize(types.BoolT, k.n)
		mergeNulls(out, x, y)
		for i := range out.B {
			out.B[i] = f(x.S[x.idx(i)], y.S[y.idx(i)])
		}
		return nil
	}
}

// mapRunes applies a simple case mapping to each character, writing into the arena only when
// something changes.
func mapRunes(ar *arena, s string, f func(rune) rune) string {
	changed := false
	for _, r := range s {
		if f(r) != r {
			changed = true
			break
		}
	}
	if !changed {
		return s
	}
	mark := ar.mark()
	for _, r := range s {
		ar.buf = utf8.AppendRune(ar.buf, f(r))
	}
	return ar.since(mark)
}

// runeSlice returns characters [start, end) of s.
func runeSlice(s string, start, end int) string {
	i, b0, b1 := 0, len(s), len(s)
	for pos := range s {
		if i == start {
			b0 = pos
		}
		if i == end {
			b1 = pos
			break
		}
		i++
	}
	return s[b0:b1]
}

// splitPart returns the n-th (1-based) part of s split by sep, or "" past the last part; an
// empty separator leaves s whole as its only part.
func splitPart(s, sep string, n int64) string {
	if n < 1 {
		return ""
	}
	if sep == "" {
		if n == 1 {
			return s
		}
		return ""
	}
	for part := int64(1); ; part++ {
		j := strings.Index(s, sep)
		if part == n {
			if j < 0 {
				return s
			}
			return s[:j]
		}
		if j < 0 {
			return ""
		}
		s = s[j+len(sep):]
	}
}

// likeKernel matches strings against a LIKE pattern (a constant, compiled once per batch).
func likeKernel(k *kctx, out *Vec, a []*Vec) error {
	x, pat := a[0], a[1]
	out.resize(types.BoolT, k.n)
	mergeNulls(out, x, pat)
	var (
		last string
		m    likeMatcher
		have bool
	)
	for i := range out.B {
		if out.IsNull(i) {
			continue
		}
		p := pat.S[pat.idx(i)]
		if !have || p != last {
			var err error
			if m, err = compileLike(p); err != nil {
				return runtimeErr("%v", err)
			}
			last, have = p, true
		}
		out.B[i] = m.match(x.S[x.idx(i)])
	}
	return nil
}

// likeMatcher is a compiled LIKE pattern: a sequence of pattern characters (a literal rune,
// _ or %).
type likeMatcher struct {
	p []likeChar
	// fast is set for the common shapes that need no scan: a literal, prefix%, %suffix,
	// %infix%.
	fast func(string) bool
}

type likeChar struct {
	r    rune
	kind uint8 // 0 literal, 1 one character, 2 any run
}

func compileLike(pattern string) (likeMatcher, error) {
	toks, err := stdlib.ParseLike(pattern)
	if err != nil {
		return likeMatcher{}, err
	}
	var m likeMatcher
	for _, t := range toks {
		switch {
		case t.Any:
			m.p = append(m.p, likeChar{kind: 2})
		case t.One:
			m.p = append(m.p, likeChar{kind: 1})
		default:
			for _, r := range t.Lit {
				m.p = append(m.p, likeChar{r: r})
			}
		}
	}
	lit := func(ts []stdlib.LikeToken) (string, bool) {
		if len(ts) == 1 && !ts[0].Any && !ts[0].One {
			return ts[0].Lit, true
		}
		return "", len(ts) == 0
	}
	n := len(toks)
	switch {
	case n == 0:
		m.fast = func(s string) bool { return s == "" }
	case n == 1 && toks[0].Any:
		m.fast = func(string) bool { return true }
	default:
		if l, ok := lit(toks); ok {
			m.fast = func(s string) bool { return s == l }
		} else if l, ok := lit(toks[:n-1]); ok && toks[n-1].Any {
			m.fast = func(s string) bool { return strings.HasPrefix(s, l) }
		} else if l, ok := lit(toks[1:]); ok && toks[0].Any {
			m.fast = func(s string) bool { return strings.HasSuffix(s, l) }
		} else if n == 3 && toks[0].Any && toks[2].Any {
			if l, ok := lit(toks[1:2]); ok {
				m.fast = func(s string) bool { return strings.Contains(s, l) }
			}
		}
	}
	return m, nil
}

// match reports whether all of s matches: the classic wildcard walk, which backtracks only to
// the last % seen (enough, because a later % can absorb anything an earlier one could).
func (m likeMatcher) match(s string) bool {
	if m.fast != nil {
		return m.fast(s)
	}
	p := m.p
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRuneInString(s[si:])
		switch {
		case pi < len(p) && (p[pi].kind == 1 || (p[pi].kind == 0 && p[pi].r == r)):
			si += size
			pi++
		case pi < len(p) && p[pi].kind == 2:
			star, mark = pi, si
			pi++
		case star >= 0:
			_, msize := utf8.DecodeRuneInString(s[mark:])
			mark += msize
			si, pi = mark, star+1
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].kind == 2 {
		pi++
	}
	return pi == len(p)
}

// strTake is str.head (tail false) and str.tail: n characters from the start (end), or for a
// negative n all but |n| from the other end; clamped to the string.
func strTake(tail bool) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, n := a[0], a[1]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, n)
		for i := range out.S {
			s, c := x.S[x.idx(i)], n.I[n.idx(i)]
			runes := int64(utf8.RuneCountInString(s))
			keep := c
			if c < 0 {
				keep = max(runes+c, 0)
			}
			if keep >= runes {
				out.S[i] = s
				continue
			}
			skip := keep // runes before the cut
			if tail {
				skip = runes - keep
			}
			cut := 0
			for j := int64(0); j < skip; j++ {
				_, size := utf8.DecodeRuneInString(s[cut:])
				cut += size
			}
			if tail {
				out.S[i] = s[cut:]
			} else {
				out.S[i] = s[:cut]
			}
		}
		return nil
	}
}

// strLen is a length of each string: characters (str.len) or bytes (str.len_bytes).
func strLen(f func(string) int) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(types.Int64T, k.n)
		mergeNulls(out, x)
		for i := range out.I {
			out.I[i] = int64(f(x.S[x.idx(i)]))
		}
		return nil
	}
}

// stripKernel is str.strip_chars and its one-ended forms: trim removes the characters of the
// set (whitespace for a null set).
func stripKernel(trim func(s, cutset string) string) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, set := a[0], a[1]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x)
		for i := range out.S {
			cut := " \t\n\r"
			if !set.IsNull(i) {
				cut = set.S[set.idx(i)]
			}
			out.S[i] = trim(x.S[x.idx(i)], cut)
		}
		return nil
	}
}

// padKernel is str.pad_start (start) and str.pad_end: fill characters up to the length, a
// longer string kept whole.
func padKernel(start bool) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, n, fill := a[0], a[1], a[2]
		out.resize(types.StringT, k.n)
		mergeNulls(out, x, n, fill)
		for i := range out.S {
			if out.IsNull(i) {
				continue
			}
			s, f := x.S[x.idx(i)], fill.S[fill.idx(i)]
			pad := int(n.I[n.idx(i)]) - utf8.RuneCountInString(s)
			if pad <= 0 {
				out.S[i] = s
				continue
			}
			mark := k.arena.mark()
			if !start {
				k.arena.buf = append(k.arena.buf, s...)
			}
			for ; pad > 0; pad-- {
				k.arena.buf = append(k.arena.buf, f...)
			}
			if start {
				k.arena.buf = append(k.arena.buf, s...)
			}
			out.S[i] = k.arena.since(mark)
		}
		return nil
	}
}
