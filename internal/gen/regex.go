package gen

import (
	"math/rand"
	"strconv"
	"strings"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Regular expressions for the conformance matrix: patterns of featc's dialect drawn from a
// grammar of its constructs (literals and escapes, ., classes with the characters special in
// brackets, \d \w \s and their negations, anchors, groups, alternation, every repeat), so that
// each engine's translation is checked on patterns nobody wrote by hand.

// regexAtoms are the units patterns are built of, chosen to meet the edge strings (cases.Edge:
// "a-b--c", "vip-1", "é", "日本語", "ab12\ncd", "x[1]^y", …).
var regexAtoms = []string{
	"a", "b", "c", "-", "é", "日", "1", `\.`, `\-`, ".", "[a-c]", "[^a-c]", `\d`, `\D`, `\w`, `\W`, `\s`, `\S`,
	"[-a]", `[\]\[]`, `[\^x]`, "[0-9a-f]", "[é-ü]", `\n`, `\\`, `\^`, `\$`, "p", "v", "i", "%", "_", "'",
}

var regexRepeats = []string{"", "", "", "+", "*", "?", "{2}", "{1,2}", "{0,1}", "{2,}"}

// RegexPatterns returns n patterns of featc's dialect, the same on every call; with spans,
// only patterns that functions returning the matched text accept.
func RegexPatterns(n int, spans bool) []string {
	fixed := []string{`\d+`, `[a-z]+`, `^a`, `c$`, `^$`, `-+`, `(a|b)+`, `v(i|o)p`, `([a-z]+)-(\d)`, `[^-]+`, `\s+`, `é|日`, `x\[1\]`}
	rng := rand.New(rand.NewSource(7))
	seen := map[string]bool{}
	var out []string
	take := func(p string) {
		if seen[p] || len(out) >= n {
			return
		}
		seen[p] = true
		r, err := stdlib.ParseRegex(p)
		if err != nil {
			return
		}
		if spans {
			if r.CheckSpans() != nil {
				return
			}
		}
		out = append(out, p)
	}
	for _, p := range fixed {
		take(p)
	}
	for tries := 0; len(out) < n && tries < 20000; tries++ {
		var b strings.Builder
		if rng.Intn(5) == 0 {
			b.WriteString("^")
		}
		for k := 1 + rng.Intn(3); k > 0; k-- {
			atom := regexAtoms[rng.Intn(len(regexAtoms))]
			switch rng.Intn(6) {
			case 0: // a group of two
				atom = "(" + atom + regexAtoms[rng.Intn(len(regexAtoms))] + ")"
			case 1: // an alternation
				atom = "(" + atom + "|" + regexAtoms[rng.Intn(len(regexAtoms))] + ")"
			case 2:
				atom = "(?:" + atom + ")"
			}
			b.WriteString(atom + regexRepeats[rng.Intn(len(regexRepeats))])
		}
		if rng.Intn(5) == 0 {
			b.WriteString("$")
		}
		take(b.String())
	}
	return out
}

// quoteFeat writes s as a .feat string literal.
func quoteFeat(s string) string { return strconv.Quote(s) }

// regexProbes probes the functions that read regular expressions: the literal form over
// columns, and patterns of the dialect over the edge strings.
func regexProbes(name string) []Probe {
	s := []types.Type{types.StringT}
	var out []Probe
	switch name {
	case "str.contains":
		out = append(out, Probe{"a0.str.contains(a1, literal = true)", []types.Type{types.StringT, types.StringT}, ""})
		for _, p := range RegexPatterns(40, false) {
			out = append(out, Probe{"a0.str.contains(" + quoteFeat(p) + ")", s, ""})
		}
	case "str.count_matches":
		out = append(out, Probe{"a0.str.count_matches(a1, literal = true)", []types.Type{types.StringT, types.StringT}, ""})
		for _, p := range RegexPatterns(24, true) {
			out = append(out, Probe{"a0.str.count_matches(" + quoteFeat(p) + ")", s, ""})
		}
	case "str.extract":
		for i, p := range RegexPatterns(24, true) {
			r, _ := stdlib.ParseRegex(p)
			out = append(out, Probe{"a0.str.extract(" + quoteFeat(p) + ", " + strconv.Itoa(i%(r.Groups()+1)) + ")", s, ""})
		}
	case "str.replace", "str.replace_all":
		lit := "a0." + name + "(a1, a2, literal = true)"
		out = append(out, Probe{lit, []types.Type{types.StringT, types.StringT, types.StringT}, ""})
		if name == "str.replace" {
			out = append(out, Probe{"a0.str.replace(a1, a2, n = 1, literal = true)", []types.Type{types.StringT, types.StringT, types.StringT}, ""})
		}
		repls := []string{"#", "<$0>", `\`, "$$", "${1}x"}
		for i, p := range RegexPatterns(24, true) {
			r, _ := stdlib.ParseRegex(p)
			repl := repls[i%len(repls)]
			if r.Groups() == 0 && strings.Contains(repl, "$1") || strings.Contains(repl, "${1}") && r.Groups() == 0 {
				repl = "[$0]"
			}
			n := ""
			if name == "str.replace" && i%2 == 0 {
				n = ", n = 1"
			}
			out = append(out, Probe{"a0." + name + "(" + quoteFeat(p) + ", " + quoteFeat(repl) + n + ")", s, ""})
		}
	}
	return out
}
