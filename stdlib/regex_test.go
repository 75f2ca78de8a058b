package stdlib_test

import (
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/stdlib"
	"github.com/stretchr/testify/require"
)

// subjects are strings the patterns of gen.RegexPatterns meet, with the characters special in
// patterns and classes.
func subjects() []string {
	out := []string{"", "a", "abc", "a-b--c", "vip-1", "é", "日本語", "ab12\ncd", "x[1]^y", `back\slash`, "  pad\t", "aaa", "bab-ab", "-", "$^", "1a1"}
	rng := rand.New(rand.NewSource(3))
	alphabet := []rune("abc-1é日 \n[]^\\.$_")
	for i := 0; i < 60; i++ {
		var b strings.Builder
		for k := rng.Intn(8); k > 0; k-- {
			b.WriteRune(alphabet[rng.Intn(len(alphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestDeterministicPatternsMatchAlikeFirstOrLongest checks the rule that lets featc promise
// the same matches everywhere: for a pattern CheckSpans accepts, leftmost-first matching
// (RE2: the evaluator, DuckDB, Polars) and leftmost-longest matching (POSIX: Postgres,
// Snowflake) find the same matches and groups, on every subject.
func TestDeterministicPatternsMatchAlikeFirstOrLongest(t *testing.T) {
	patterns := gen.RegexPatterns(400, true)
	require.Greater(t, len(patterns), 200)
	for _, p := range patterns {
		first := regexp.MustCompile(p)
		longest := regexp.MustCompile(p)
		longest.Longest()
		for _, s := range subjects() {
			require.Equal(t, first.FindAllStringSubmatchIndex(s, -1), longest.FindAllStringSubmatchIndex(s, -1), "pattern %q on %q", p, s)
		}
	}
}

// TestSpansRefuseWhereEnginesDiffer checks that the rule is not vacuous: among generated
// patterns CheckSpans refuses, many do match differently first and longest.
func TestSpansRefuseWhereEnginesDiffer(t *testing.T) {
	refused, differ := 0, 0
	for _, p := range gen.RegexPatterns(400, false) {
		r, err := stdlib.ParseRegex(p)
		require.NoError(t, err)
		if r.Nullable() || r.CheckSpans() == nil {
			continue
		}
		refused++
		first, longest := regexp.MustCompile(p), regexp.MustCompile(p)
		longest.Longest()
		for _, s := range subjects() {
			if fmt.Sprint(first.FindAllStringSubmatchIndex(s, -1)) != fmt.Sprint(longest.FindAllStringSubmatchIndex(s, -1)) {
				differ++
				break
			}
		}
	}
	t.Logf("%d generated patterns refused, %d of them match differently on the subjects", refused, differ)
	// Patterns known to match differently (found by search): each is refused.
	for p, s := range map[string]string{`(a|ab)c?`: "abc", `(-|--)-?`: "---", `(x|xy)`: "xy"} {
		r, err := stdlib.ParseRegex(p)
		require.NoError(t, err)
		require.Error(t, r.CheckSpans(), p)
		first, longest := regexp.MustCompile(p), regexp.MustCompile(p)
		longest.Longest()
		require.NotEqual(t, first.FindAllStringSubmatchIndex(s, -1), longest.FindAllStringSubmatchIndex(s, -1), "%q on %q", p, s)
	}
}

// TestWrittenPatternsMeanTheSame writes every generated pattern for each flavor and runs it
// back: the RE2 form with Go's regexp, the POSIX ERE form with Go's POSIX parser (leftmost-
// longest, as Snowflake) — matches and groups (through the group map) must be the original's.
// Postgres' form runs on Postgres in the conformance matrix.
func TestWrittenPatternsMeanTheSame(t *testing.T) {
	for _, spans := range []bool{false, true} {
		for _, p := range gen.RegexPatterns(400, spans) {
			r, err := stdlib.ParseRegex(p)
			require.NoError(t, err)
			orig := regexp.MustCompile(p)
			for _, f := range []stdlib.RegexFlavor{stdlib.RE2, stdlib.ERE} {
				w, group, err := r.Write(f, true)
				if f == stdlib.ERE && err != nil && strings.Contains(err.Error(), "backslash") {
					continue // declared: Snowflake's classes have no escapes
				}
				require.NoError(t, err, p)
				var re *regexp.Regexp
				if f == stdlib.ERE {
					re, err = regexp.CompilePOSIX(w)
				} else {
					re, err = regexp.Compile(w)
				}
				require.NoError(t, err, "%q written as %q", p, w)
				for _, s := range subjects() {
					if f == stdlib.ERE && strings.Contains(s, "\n") {
						continue // Go's POSIX mode reads ^ and $ at lines and keeps newlines out of [^…]; POSIX EREs do neither
					}
					want := orig.FindAllStringSubmatchIndex(s, -1)
					got := re.FindAllStringSubmatchIndex(s, -1)
					require.Equal(t, len(want), len(got), "%q written for %d as %q, on %q", p, f, w, s)
					if !spans && f == stdlib.ERE {
						continue // leftmost-longest may match other text where spans were not checked
					}
					for i := range want {
						for g := 0; g <= r.Groups(); g++ {
							wg := group(g)
							require.Equal(t, want[i][2*g:2*g+2], got[i][2*wg:2*wg+2], "%q written as %q, group %d on %q", p, w, g, s)
						}
					}
				}
			}
		}
	}
}

func TestRegexRefusals(t *testing.T) {
	for p, want := range map[string]string{
		`a*?`: "lazy repeat", `(?i)a`: "case-insensitive", `\bx`: "word boundaries", `(?s).`: "matches newlines",
		`(?m)^a`: "multi-line", `\pL`: "too large", `(a*)*`: "can match nothing", `a{300}`: "above 255", "(": "not a regular expression",
		"a\x00": "NUL",
	} {
		_, err := stdlib.ParseRegex(p)
		require.ErrorContains(t, err, want, p)
	}
	for p, want := range map[string]string{`a*`: "empty string", `(ab|[ab]c)`: "two branches", `.*x`: "can stop or go on", `(a|)b`: "can match nothing"} {
		r, err := stdlib.ParseRegex(p)
		require.NoError(t, err, p)
		require.ErrorContains(t, r.CheckSpans(), want, p)
	}
}

func TestReplacement(t *testing.T) {
	r, err := stdlib.ParseRegex(`(?P<y>\d+)-(\d+)`)
	require.NoError(t, err)
	for repl, want := range map[string]string{"$2/$1": "34/12", "${y}x": "12x", "$$1": "$1", "<$0>": "<12-34>", `a\b`: `a\b`, "$": "$", "${1}0": "120"} {
		rp, err := r.ParseReplacement(repl)
		require.NoError(t, err, repl)
		s := "12-34"
		got := string(rp.Apply(nil, s, regexp.MustCompile(`(\d+)-(\d+)`).FindStringSubmatchIndex(s)))
		require.Equal(t, want, got, repl)
		// Go's own expansion of the same template, where its syntax is Rust's.
		if !strings.Contains(repl, `\`) {
			require.Equal(t, regexp.MustCompile(`(?P<y>\d+)-(\d+)`).ReplaceAllString(s, repl), got, repl)
		}
	}
	_, err = r.ParseReplacement("$3")
	require.ErrorContains(t, err, "group 3")
	_, err = r.ParseReplacement("$1a")
	require.ErrorContains(t, err, `named "1a"`)
	w, group, err := r.Write(stdlib.ERE, true)
	require.NoError(t, err)
	rp, _ := r.ParseReplacement(`$2\$0`)
	text, err := rp.Write(group)
	require.NoError(t, err)
	require.Equal(t, `\3\\\1`, text, w)
}

// FuzzRegex: no pattern panics the parser or the writers; an accepted pattern's RE2 form
// compiles and matches as the pattern does, and a deterministic one matches alike first and
// longest.
func FuzzRegex(f *testing.F) {
	for _, p := range gen.RegexPatterns(40, false) {
		f.Add(p, "a-b--c vip-1")
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		r, err := stdlib.ParseRegex(p)
		if err != nil {
			return
		}
		for _, fl := range []stdlib.RegexFlavor{stdlib.RE2, stdlib.ARE, stdlib.ERE} {
			_, _, _ = r.Write(fl, true)
		}
		w, _, err := r.Write(stdlib.RE2, false)
		require.NoError(t, err, p)
		re := regexp.MustCompile(w)
		orig := regexp.MustCompile(p)
		require.Equal(t, orig.FindAllStringIndex(s, -1), re.FindAllStringIndex(s, -1), "%q written as %q on %q", p, w, s)
		if r.CheckSpans() == nil {
			longest := regexp.MustCompile(p)
			longest.Longest()
			require.Equal(t, orig.FindAllStringSubmatchIndex(s, -1), longest.FindAllStringSubmatchIndex(s, -1), "%q on %q", p, s)
		}
		_, _ = r.ParseReplacement(s)
	})
}
