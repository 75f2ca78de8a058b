package eval

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/featc/featc/stdlib"
)

// TestLikeAgainstRegexp checks the LIKE matcher (its fast paths and its wildcard walk) against
// a regular expression built from the same pattern, over random patterns and strings.
func TestLikeAgainstRegexp(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alpha := []string{"a", "b", "é", "%", "_", `\`}
	word := func(n int, withMeta bool) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			c := alpha[r.Intn(len(alpha))]
			if !withMeta && (c == "%" || c == "_") && r.Intn(2) == 0 {
				c = "a"
			}
			b.WriteString(c)
		}
		return b.String()
	}
	checked := 0
	for i := 0; i < 20000; i++ {
		pat := word(r.Intn(7), true)
		toks, err := stdlib.ParseLike(pat)
		if err != nil {
			if _, cerr := compileLike(pat); cerr == nil {
				t.Fatalf("pattern %q: ParseLike fails, compileLike does not", pat)
			}
			continue
		}
		var re strings.Builder
		re.WriteString(`^(?s)`)
		for _, tok := range toks {
			switch {
			case tok.Any:
				re.WriteString(".*")
			case tok.One:
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(tok.Lit))
			}
		}
		re.WriteString("$")
		want := regexp.MustCompile(re.String())
		m, err := compileLike(pat)
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 8; j++ {
			s := word(r.Intn(9), false)
			if got := m.match(s); got != want.MatchString(s) {
				t.Fatalf("%q LIKE %q: got %v, want %v", s, pat, got, !got)
			}
			checked++
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d cases checked", checked)
	}
}
