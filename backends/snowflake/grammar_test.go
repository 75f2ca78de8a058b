package snowflake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/featc/featc/internal/golden"
)

// No Snowflake account runs in featc's tests, so Snowflake's SQL gets an independent check of
// its syntax: every golden Snowflake statement (section out/sql/snowflake of
// testdata/golden/*.txtar) must parse with node-sql-parser's Snowflake grammar, which featc did
// not write (sqlparse/parse.mjs; the version is pinned by sqlparse/package-lock.json). The
// grammar lacks some constructs that Snowflake documents and featc writes: grammarGaps lists
// each, with the reason and Snowflake's documentation of the construct.
//
// A statement the parser refuses passes only when it holds a listed construct and parses once
// each listed construct it holds is rewritten into a form the grammar takes (so a gap excuses
// its construct, never the rest of the statement). A gap whose smallest statement parses is
// stale and fails the test, and so does a gap that no golden statement needs.

// grammarGap is a construct that Snowflake documents and node-sql-parser's Snowflake grammar
// does not parse.
type grammarGap struct {
	// Construct names the construct.
	Construct string
	// Rewrite replaces each occurrence of the construct in a statement by a form the grammar
	// takes (not the same query: only the syntax matters here), and returns the statement
	// unchanged when it does not hold the construct.
	Rewrite func(sql string) string
	// Minimal is the smallest statement with the construct: the parser must refuse it (else the
	// gap is stale) and take Rewrite(Minimal) (else it fails for another reason).
	Minimal string
	// Reason says what the grammar lacks (naming its rule in node-sql-parser 5.4.0's
	// pegjs/snowflake.pegjs); Docs is Snowflake's documentation of the construct.
	Reason, Docs string
}

var grammarGaps = []grammarGap{{
	Construct: "ASOF JOIN … MATCH_CONDITION (…)",
	Rewrite:   rewriteAsof,
	Minimal:   `SELECT "t"."a" FROM "t" ASOF JOIN "u" MATCH_CONDITION ("t"."ts" >= "u"."ts") ON "t"."k" = "u"."k"`,
	Reason:    "the grammar has no ASOF join: its join_op rule has no ASOF, and MATCH_CONDITION is nowhere in the grammar",
	Docs:      "https://docs.snowflake.com/en/sql-reference/constructs/asof-join",
}, {
	Construct: "ARRAY_AGG(…) WITHIN GROUP (ORDER BY …)",
	Rewrite:   rewriteArrayAggWithinGroup,
	Minimal:   `SELECT ARRAY_AGG("a") WITHIN GROUP (ORDER BY "b") FROM "t"`,
	Reason:    "its aggr_array_agg rule reads ARRAY_AGG(…) with no WITHIN GROUP clause; only PERCENTILE_CONT and PERCENTILE_DISC (rule aggr_fun_count) take one",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions/array_agg",
}, {
	Construct: "ARRAY_AGG(…) OVER (…)",
	Rewrite:   rewriteArrayAggOver,
	Minimal:   `SELECT ARRAY_AGG("a") OVER (PARTITION BY "c") FROM "t"`,
	Reason:    "its aggr_array_agg rule reads ARRAY_AGG(…) with no OVER clause, so ARRAY_AGG is no window function there",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions/array_agg",
}, {
	Construct: "PERCENTILE_CONT(CAST(<fraction> AS FLOAT)) WITHIN GROUP (…)",
	Rewrite:   rewritePercentileFraction,
	Minimal:   `SELECT PERCENTILE_CONT(CAST(0.5 AS FLOAT)) WITHIN GROUP (ORDER BY "a") FROM "t"`,
	Reason:    "its aggr_fun_count rule takes a numeric literal as the fraction of PERCENTILE_CONT/PERCENTILE_DISC, not a constant expression such as a CAST of one",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions/percentile_cont",
}, {
	Construct: "RANGE BETWEEN <n> PRECEDING (a numeric range offset)",
	Rewrite:   rewriteRangeOffset,
	Minimal:   `SELECT SUM("a") OVER (ORDER BY "b" RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) FROM "t"`,
	Reason:    "its window_frame_clause rule takes a RANGE frame's offset only as an INTERVAL (interval_expr_preceding); numeric offsets only in ROWS frames",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions-window-syntax",
}, {
	Construct: "ROWS BETWEEN … AND <n> PRECEDING (a frame ending before the current row)",
	Rewrite:   rewriteEndPreceding,
	Minimal:   `SELECT LAST_VALUE("a") IGNORE NULLS OVER (ORDER BY "b" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM "t"`,
	Reason:    "its window_frame_clause rule ends a frame at CURRENT ROW or FOLLOWING only; Snowflake's frames may end n rows before the current one",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions-window-syntax",
}, {
	Construct: "<array>[<expression>] (a computed subscript)",
	Rewrite:   rewriteComputedSubscript,
	Minimal:   `SELECT "a"[CAST("i" AS INT)] FROM "t"`,
	Reason:    "its array_index rule takes a numeric or string literal between the brackets, not an expression",
	Docs:      "https://docs.snowflake.com/en/sql-reference/data-types-semistructured",
}, {
	Construct: "<array>[<i>]:<key> (a path after a subscript)",
	Rewrite:   rewriteSubscriptPath,
	Minimal:   `SELECT "a"[0]:v FROM "t"`,
	Reason:    "it reads a colon path (column:key) after a column name only, not after a bracket subscript",
	Docs:      "https://docs.snowflake.com/en/user-guide/querying-semistructured",
}, {
	Construct: "(<call>(…)[<i>]::<type>) (a :: cast of a subscripted call, inside parentheses or arguments)",
	Rewrite:   rewriteSubscriptCast,
	Minimal:   `SELECT (ARRAY_AGG("a")[0]::FLOAT) FROM "t"`,
	Reason:    "it reads :: after a subscripted call only at the top of a select item (column_list_item's cast_double_colon), not inside parentheses or a call's arguments, where (a::FLOAT) and (a[0]::FLOAT) parse",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions/cast",
}, {
	Construct: "CASE … ELSE <a> AND|OR <b> END",
	Rewrite:   rewriteCaseElse,
	Minimal:   `SELECT CASE WHEN "a" THEN 1 ELSE "b" AND "c" END FROM "t"`,
	Reason:    "its case_else rule reads the ELSE result with its expr rule, which stops before a top-level AND or OR, while case_when_then reads THEN's result with or_and_where_expr, which takes them",
	Docs:      "https://docs.snowflake.com/en/sql-reference/functions/case",
}, {
	Construct: "GROUP BY <a> AND|OR <b>",
	Rewrite:   rewriteGroupBy,
	Minimal:   `SELECT COUNT(*) FROM "t" GROUP BY "a" = 1 OR "a" = 2`,
	Reason:    "its group_by_clause rule reads the keys with expr_list, whose expr rule stops before a top-level AND or OR",
	Docs:      "https://docs.snowflake.com/en/sql-reference/constructs/group-by",
}, {
	Construct: "<x> + (SELECT (<y>) … ) (a scalar subquery operand whose first item is parenthesized)",
	Rewrite:   rewriteSubqueryOperand,
	Minimal:   `SELECT 1 + (SELECT ("a") FROM "t")`,
	Reason:    "as an operator's operand, its primary rule reads \"(SELECT (\" as a parenthesized call of a function named SELECT and does not come back to the subquery",
	Docs:      "https://docs.snowflake.com/en/user-guide/querying-subqueries",
}}

// statement is one golden Snowflake statement.
type statement struct {
	Case, Output, SQL string
}

func (s statement) String() string { return s.Case + ": " + s.Output }

// goldenStatements returns every statement of the out/sql/snowflake sections of the golden
// files, each without its trailing semicolon (featc's statements have none; the golden file
// adds it). A section holds, per output, a line "-- NAME", an optional "-- params: …" line, and
// the statement ending in ";" (or a line "-- error: …", a refusal, which has no statement).
func goldenStatements(t *testing.T) []statement {
	t.Helper()
	cases, err := golden.Load("../../testdata/golden/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var out []statement
	for _, c := range cases {
		text, ok := c.Section("out/sql/snowflake")
		if !ok {
			continue
		}
		var cur *statement
		var body []string
		flush := func() {
			if cur != nil {
				sql := strings.TrimSpace(strings.Join(body, "\n"))
				if sql != "" {
					if !strings.HasSuffix(sql, ";") {
						t.Fatalf("%s: statement %s does not end in ';'", c.Name(), cur.Output)
					}
					cur.SQL = strings.TrimSuffix(sql, ";")
					out = append(out, *cur)
				}
			}
			cur, body = nil, nil
		}
		for _, line := range strings.Split(text, "\n") {
			switch {
			case strings.HasPrefix(line, "-- params: "), strings.HasPrefix(line, "-- error: "):
			case strings.HasPrefix(line, "-- "):
				flush()
				cur = &statement{Case: c.Name(), Output: strings.TrimPrefix(line, "-- ")}
			default:
				if cur == nil && strings.TrimSpace(line) != "" {
					t.Fatalf("%s: SQL before the first output name: %q", c.Name(), line)
				}
				body = append(body, line)
			}
		}
		flush()
	}
	return out
}

// parseResult is parse.mjs's answer for one statement.
type parseResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

var skipBanner sync.Once

// snowflakeParser returns a function that parses statements with node-sql-parser's Snowflake
// grammar, or skips the test, saying how to install it, where Node or the package is missing
// (FEATC_REQUIRE_NODE=1, as CI sets, makes that a failure).
func snowflakeParser(t *testing.T) func(sqls []string) (string, []parseResult) {
	t.Helper()
	dir, err := filepath.Abs("sqlparse")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(why string) {
		msg := fmt.Sprintf("%s: Snowflake statements are not parsed by an independent grammar; install Node.js (20 or later) and run `npm ci` in %s", why, dir)
		if os.Getenv("FEATC_REQUIRE_NODE") == "1" {
			t.Fatal("FEATC_REQUIRE_NODE=1: " + msg)
		}
		skipBanner.Do(func() { fmt.Fprintf(os.Stderr, "\n*** SKIPPING THE SNOWFLAKE GRAMMAR CHECK: %s ***\n\n", msg) })
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("no node on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "node-sql-parser", "package.json")); err != nil {
		missing("node-sql-parser is not installed")
	}
	return func(sqls []string) (string, []parseResult) {
		t.Helper()
		in, err := json.Marshal(sqls)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, filepath.Join(dir, "parse.mjs"))
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("parse.mjs: %v\n%s", err, stderr.String())
		}
		var res struct {
			Parser  string        `json:"parser"`
			Results []parseResult `json:"results"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("parse.mjs: %v\n%s", err, out)
		}
		if len(res.Results) != len(sqls) {
			t.Fatalf("parse.mjs answered %d statements of %d", len(res.Results), len(sqls))
		}
		return res.Parser, res.Results
	}
}

// TestGoldenParses parses every golden Snowflake statement with node-sql-parser's Snowflake
// grammar: each must parse, or hold constructs of grammarGaps and parse once they are rewritten.
func TestGoldenParses(t *testing.T) {
	parse := snowflakeParser(t)
	stmts := goldenStatements(t)
	if len(stmts) < 50 {
		t.Fatalf("only %d golden Snowflake statements found: the golden files' layout changed", len(stmts))
	}
	c := checkParses(t, parse, stmts)
	for _, p := range c.problems {
		t.Error(p)
	}
	t.Logf("%s: %d golden Snowflake statements: %d parse, %d parse once the constructs the grammar lacks are rewritten", c.parser, len(stmts), len(stmts)-c.refused, c.refused)
	for g, gap := range grammarGaps {
		t.Logf("  %2d statements need gap %q", c.needed[g], gap.Construct)
		if c.needed[g] == 0 {
			t.Errorf("no golden statement needs grammar gap %q: featc no longer writes it, or the grammar parses it now; remove the entry", gap.Construct)
		}
	}
}

// TestParseCheckCatches feeds the check statements it must refuse: one the grammar refuses for
// no listed construct, and one that holds a listed construct and fails for another reason too.
func TestParseCheckCatches(t *testing.T) {
	parse := snowflakeParser(t)
	stmts := []statement{
		{Case: "bad", Output: "unlisted", SQL: `SELECT "a" FROM "t" WHERE`},
		{Case: "bad", Output: "beyond", SQL: `SELECT "t"."a" FROM "t" ASOF JOIN "u" MATCH_CONDITION ("t"."ts" >= "u"."ts") WHERE`},
		{Case: "good", Output: "gap", SQL: grammarGaps[0].Minimal},
		{Case: "good", Output: "plain", SQL: `SELECT "a" FROM "t"`},
	}
	c := checkParses(t, parse, stmts)
	if len(c.problems) != 2 || !strings.Contains(c.problems[0], "bad: unlisted: ") || !strings.Contains(c.problems[0], "holds no construct of grammarGaps: Expected") ||
		!strings.Contains(c.problems[1], "bad: beyond: ") || !strings.Contains(c.problems[1], "for more than the constructs it holds of grammarGaps (ASOF JOIN") {
		t.Errorf("want the two bad statements named with the parser's message, got %q", c.problems)
	}
	if c.refused != 3 || c.needed[0] != 1 {
		t.Errorf("refused %d, the ASOF gap needed by %d statements; want 3 and 1", c.refused, c.needed[0])
	}
}

// parseCheck is the outcome of checkParses.
type parseCheck struct {
	parser   string
	refused  int      // statements the parser refuses as they are
	needed   []int    // per gap, the statements that fail without its rewrite
	problems []string // statements that fail for a reason beyond the listed gaps
}

// checkParses parses the statements; each one refused must hold gaps of grammarGaps and parse
// with their constructs rewritten. A gap is needed by a statement that still fails with every
// other gap it holds rewritten.
func checkParses(t *testing.T, parse func([]string) (string, []parseResult), stmts []statement) parseCheck {
	t.Helper()
	sqls := make([]string, len(stmts))
	for i, s := range stmts {
		sqls[i] = s.SQL
	}
	var c parseCheck
	var results []parseResult
	c.parser, results = parse(sqls)
	c.needed = make([]int, len(grammarGaps))
	// Each refused statement with all the gaps it holds rewritten, and once more per gap with
	// all but that one rewritten.
	type variant struct {
		stmt int
		gap  int // -1: every gap rewritten
	}
	var variants []variant
	var texts []string
	held := map[int][]int{}
	for i, r := range results {
		if r.OK {
			continue
		}
		c.refused++
		for g, gap := range grammarGaps {
			if gap.Rewrite(stmts[i].SQL) != stmts[i].SQL {
				held[i] = append(held[i], g)
			}
		}
		if len(held[i]) == 0 {
			c.problems = append(c.problems, fmt.Sprintf("%s: %s refuses the statement, and it holds no construct of grammarGaps: %s\n%s", stmts[i], c.parser, r.Error, stmts[i].SQL))
			continue
		}
		for _, skip := range append([]int{-1}, held[i]...) {
			sql := stmts[i].SQL
			for _, g := range held[i] {
				if g != skip {
					sql = grammarGaps[g].Rewrite(sql)
				}
			}
			variants = append(variants, variant{i, skip})
			texts = append(texts, sql)
		}
	}
	if len(texts) == 0 {
		return c
	}
	_, vres := parse(texts)
	explained := map[int]bool{}
	for k, v := range variants {
		if v.gap != -1 {
			continue
		}
		if explained[v.stmt] = vres[k].OK; !vres[k].OK {
			var names []string
			for _, g := range held[v.stmt] {
				names = append(names, grammarGaps[g].Construct)
			}
			c.problems = append(c.problems, fmt.Sprintf("%s: %s refuses the statement for more than the constructs it holds of grammarGaps (%s): with them rewritten: %s\n%s",
				stmts[v.stmt], c.parser, strings.Join(names, "; "), vres[k].Error, texts[k]))
		}
	}
	for k, v := range variants {
		if v.gap >= 0 && explained[v.stmt] && !vres[k].OK {
			c.needed[v.gap]++
		}
	}
	return c
}

// TestGrammarGaps checks that each listed gap is real and isolated: its smallest statement still
// fails to parse, and parses once the construct is rewritten.
func TestGrammarGaps(t *testing.T) {
	parse := snowflakeParser(t)
	var sqls []string
	for _, g := range grammarGaps {
		r := g.Rewrite(g.Minimal)
		if r == g.Minimal {
			t.Errorf("gap %q: its rewrite does not find the construct in its own statement %q", g.Construct, g.Minimal)
		}
		if g.Rewrite(r) != r {
			t.Errorf("gap %q: its rewrite finds the construct again after rewriting it: %q", g.Construct, r)
		}
		if g.Reason == "" || !strings.HasPrefix(g.Docs, "https://docs.snowflake.com/") {
			t.Errorf("gap %q: a gap needs a reason and Snowflake's documentation of the construct", g.Construct)
		}
		sqls = append(sqls, g.Minimal, r)
	}
	parser, results := parse(sqls)
	for i, g := range grammarGaps {
		if min := results[2*i]; min.OK {
			t.Errorf("gap %q is stale: %s parses %q now; remove the entry", g.Construct, parser, g.Minimal)
		}
		if r := results[2*i+1]; !r.OK {
			t.Errorf("gap %q: %s refuses the statement with the construct rewritten too, so the construct is not what it lacks: %q: %s", g.Construct, parser, sqls[2*i+1], r.Error)
		}
	}
}

// TestGapRewrites: each rewrite leaves alone what is not its construct (no Node needed).
func TestGapRewrites(t *testing.T) {
	for _, c := range []struct {
		rewrite  func(string) string
		in, want string
	}{
		{rewriteCaseElse, `CASE WHEN a THEN 1 ELSE b BETWEEN 1 AND 2 END`, ``},
		{rewriteCaseElse, `CASE WHEN a THEN 1 ELSE CASE WHEN b AND c THEN 1 END END`, ``},
		{rewriteCaseElse, `CASE WHEN a THEN 'ELSE x AND y' ELSE "OR" END`, ``},
		{rewriteCaseElse, `CASE WHEN a THEN 1 ELSE b AND (c OR d) END`, `CASE WHEN a THEN 1 ELSE (b AND (c OR d)) END`},
		{rewriteCaseElse, `CASE WHEN a THEN 1 ELSE CASE WHEN b THEN 2 ELSE c OR d END END`, `CASE WHEN a THEN 1 ELSE CASE WHEN b THEN 2 ELSE (c OR d) END END`},
		{rewriteGroupBy, `SELECT 1 FROM t GROUP BY a, f(b AND c), d BETWEEN 1 AND 2 HAVING a OR b`, ``},
		{rewriteGroupBy, `SELECT 1 FROM t GROUP BY a, b OR c, d AND e ORDER BY 1`, `SELECT 1 FROM t GROUP BY a, (b OR c), (d AND e) ORDER BY 1`},
		{rewriteGroupBy, `SELECT (SELECT 1 FROM t GROUP BY a OR b) AS x`, `SELECT (SELECT 1 FROM t GROUP BY (a OR b)) AS x`},
		{rewriteSubscriptCast, `SELECT (a[0]::FLOAT), (f(a)::FLOAT)`, ``},
		{rewriteSubscriptCast, `SELECT (f(a)[g(1)]::NUMBER(38, 0))`, `SELECT (f(a)[g(1)])`},
		{rewriteComputedSubscript, `SELECT a[0], a['k'], a[-1]`, ``},
		{rewriteComputedSubscript, `SELECT a[b[1]]`, `SELECT a[0]`},
		{rewriteSubscriptPath, `SELECT a:v, ']:v'`, ``},
		{rewriteSubqueryOperand, `SELECT (a) FROM (SELECT a FROM t)`, ``},
		{rewriteSubqueryOperand, `SELECT 1 + ( SELECT (a) FROM t)`, `SELECT 1 + ( SELECT 0 + (a) FROM t)`},
		{rewriteArrayAggOver, `SELECT ARRAY_AGG(a) WITHIN GROUP (ORDER BY b) FROM t`, ``},
		{rewriteArrayAggOver, `SELECT ARRAY_AGG(a) WITHIN GROUP (ORDER BY b) OVER ()`, `SELECT ANY_VALUE(a) WITHIN GROUP (ORDER BY b) OVER ()`},
		{rewriteArrayAggWithinGroup, `SELECT ARRAY_AGG(f(a)) WITHIN GROUP (ORDER BY g(b)) OVER ()`, `SELECT ARRAY_AGG(f(a)) OVER ()`},
		{rewriteAsof, `SELECT 'ASOF JOIN' FROM t LEFT JOIN u ON t.a = u.a`, ``},
	} {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := c.rewrite(c.in); got != want {
			t.Errorf("%q: got %q, want %q", c.in, got, want)
		}
	}
}

// The rewrites work on the statement's text with its string literals and quoted identifiers
// blanked (masked), so that a quoted name or text never looks like SQL.

// masked returns sql with the inside of each '…' and "…" replaced by spaces (same length).
func masked(sql string) string {
	b := []byte(sql)
	for i := 0; i < len(b); i++ {
		q := b[i]
		if q != '\'' && q != '"' {
			continue
		}
		for i++; i < len(b); i++ {
			if b[i] == q {
				if i+1 < len(b) && b[i+1] == q { // a doubled quote
					b[i], b[i+1] = ' ', ' '
					i++
					continue
				}
				break
			}
			b[i] = ' '
		}
	}
	return string(b)
}

// closing returns the index just past the bracket that closes the one at m[open].
func closing(m string, open int) int {
	depth := 0
	for i := open; i < len(m); i++ {
		switch m[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(m)
}

// word reports whether m holds the keyword w at i, as a whole word.
func word(m string, i int, w string) bool {
	if i < 0 || i+len(w) > len(m) || !strings.EqualFold(m[i:i+len(w)], w) {
		return false
	}
	return (i == 0 || !isWordByte(m[i-1])) && (i+len(w) == len(m) || !isWordByte(m[i+len(w)]))
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func skipSpace(m string, i int) int {
	for i < len(m) && (m[i] == ' ' || m[i] == '\n' || m[i] == '\t' || m[i] == '\r') {
		i++
	}
	return i
}

// replaceAll applies edit at each match of re in the masked text, from the last match back.
func replaceAll(sql string, re *regexp.Regexp, edit func(sql, m string, loc []int) string) string {
	locs := re.FindAllStringSubmatchIndex(masked(sql), -1)
	for k := len(locs) - 1; k >= 0; k-- {
		sql = edit(sql, masked(sql), locs[k])
	}
	return sql
}

var (
	asofRe      = regexp.MustCompile(`\bASOF\s+JOIN\b`)
	matchCondRe = regexp.MustCompile(`\bMATCH_CONDITION\s*\(`)
	arrayAggRe  = regexp.MustCompile(`\bARRAY_AGG\s*\(`)
	withinRe    = regexp.MustCompile(`^\s*WITHIN\s+GROUP\s*\(`)
	overRe      = regexp.MustCompile(`^\s*OVER\s*\(`)
	percentRe   = regexp.MustCompile(`\b(PERCENTILE_(?:CONT|DISC))\(CAST\(([0-9.eE+-]+) AS [A-Z_]+\)\)`)
	rangeRe     = regexp.MustCompile(`\bRANGE\s+BETWEEN\s+(\d+)\s+(PRECEDING|FOLLOWING)\b`)
	subscriptRe = regexp.MustCompile(`\[`)
	literalRe   = regexp.MustCompile(`^\[\s*(?:-?\d+|'[^']*')\s*\]$`)
	pathRe      = regexp.MustCompile(`\]:([A-Za-z_][A-Za-z0-9_]*)`)
	castRe      = regexp.MustCompile(`\]::[A-Za-z_][A-Za-z0-9_]*(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?`)
	elseRe      = regexp.MustCompile(`\bELSE\b`)
	groupByRe   = regexp.MustCompile(`\bGROUP\s+BY\b`)
	subqueryRe  = regexp.MustCompile(`\bSELECT\s+\(`)
)

// rewriteAsof writes each ASOF JOIN as a LEFT JOIN without its MATCH_CONDITION.
func rewriteAsof(sql string) string {
	sql = replaceAll(sql, matchCondRe, func(sql, m string, loc []int) string {
		return sql[:loc[0]] + sql[closing(m, loc[1]-1):]
	})
	return replaceAll(sql, asofRe, func(sql, m string, loc []int) string {
		return sql[:loc[0]] + "LEFT JOIN" + sql[loc[1]:]
	})
}

// arrayAggCalls calls f with the span of each ARRAY_AGG call's arguments' end (just past its
// closing parenthesis), from the last call back.
func arrayAggCalls(sql string, f func(sql, m string, end int) string) string {
	return replaceAll(sql, arrayAggRe, func(sql, m string, loc []int) string {
		return f(sql, m, closing(m, loc[1]-1))
	})
}

// rewriteArrayAggWithinGroup drops the WITHIN GROUP clause of each ARRAY_AGG call.
func rewriteArrayAggWithinGroup(sql string) string {
	return arrayAggCalls(sql, func(sql, m string, end int) string {
		loc := withinRe.FindStringIndex(m[end:])
		if loc == nil {
			return sql
		}
		return sql[:end] + sql[closing(m, end+loc[1]-1):]
	})
}

// rewriteArrayAggOver names each ARRAY_AGG window function ANY_VALUE (a window function the
// grammar takes).
func rewriteArrayAggOver(sql string) string {
	return replaceAll(sql, arrayAggRe, func(sql, m string, loc []int) string {
		end := closing(m, loc[1]-1)
		if w := withinRe.FindStringIndex(m[end:]); w != nil {
			end = closing(m, end+w[1]-1)
		}
		if !overRe.MatchString(m[end:]) {
			return sql
		}
		return sql[:loc[0]] + "ANY_VALUE(" + sql[loc[1]:]
	})
}

// rewritePercentileFraction writes a CAST fraction of PERCENTILE_CONT/DISC as the literal.
func rewritePercentileFraction(sql string) string {
	return percentRe.ReplaceAllString(sql, "$1($2)")
}

// rewriteRangeOffset writes a numeric RANGE offset as a ROWS one.
// rewriteEndPreceding ends each frame that ends n rows back at the current row instead.
func rewriteEndPreceding(sql string) string {
	return endPrecedingRe.ReplaceAllString(sql, "AND CURRENT ROW")
}

var endPrecedingRe = regexp.MustCompile(`AND [0-9]+ PRECEDING`)

func rewriteRangeOffset(sql string) string {
	return rangeRe.ReplaceAllString(sql, "ROWS BETWEEN $1 $2")
}

// rewriteComputedSubscript writes each subscript that is not a literal as [0].
func rewriteComputedSubscript(sql string) string {
	return replaceAll(sql, subscriptRe, func(sql, m string, loc []int) string {
		end := closing(m, loc[0])
		if literalRe.MatchString(sql[loc[0]:end]) {
			return sql
		}
		return sql[:loc[0]] + "[0]" + sql[end:]
	})
}

// rewriteSubscriptPath writes a path after a subscript, [i]:key, as a second subscript,
// [i]['key'].
func rewriteSubscriptPath(sql string) string {
	return replaceAll(sql, pathRe, func(sql, m string, loc []int) string {
		return sql[:loc[0]] + "]['" + sql[loc[2]:loc[3]] + "']" + sql[loc[1]:]
	})
}

// rewriteSubscriptCast drops the :: cast after each subscript of a call ("f(a)[0]::FLOAT" becomes
// "f(a)[0]").
func rewriteSubscriptCast(sql string) string {
	return replaceAll(sql, castRe, func(sql, m string, loc []int) string {
		depth := 0
		for i := loc[0]; i >= 0; i-- {
			switch m[i] {
			case ']', ')':
				depth++
			case '[', '(':
				depth--
			}
			if depth == 0 {
				if strings.HasSuffix(strings.TrimRight(m[:i], " \n\t\r"), ")") {
					return sql[:loc[0]+1] + sql[loc[1]:]
				}
				return sql
			}
		}
		return sql
	})
}

// logicalEnd scans m from i to the end of an expression: the first of a comma (when commas
// end it), a closing bracket, or a keyword of stop outside brackets and nested CASEs. It
// returns that index and whether a top-level AND (not a BETWEEN's) or OR came before it.
func logicalEnd(m string, i int, commas bool, stop ...string) (int, bool) {
	depth, cases, between, logical := 0, 0, 0, false
	for ; i < len(m); i++ {
		switch c := m[i]; {
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			if depth == 0 {
				return i, logical
			}
			depth--
		case c == ',' && depth == 0 && commas:
			return i, logical
		case depth > 0 || !isWordByte(c) || (i > 0 && isWordByte(m[i-1])):
		case word(m, i, "CASE"):
			cases++
		case word(m, i, "END") && cases > 0:
			cases--
		case cases > 0:
		case word(m, i, "BETWEEN"):
			between++
		case word(m, i, "AND") && between > 0:
			between--
		case word(m, i, "AND") || word(m, i, "OR"):
			logical = true
		default:
			for _, w := range stop {
				if word(m, i, w) {
					return i, logical
				}
			}
		}
	}
	return i, logical
}

// parenthesize wraps sql[from:to] (trimmed) in parentheses.
func parenthesize(sql string, from, to int) string {
	for to > from && strings.ContainsRune(" \n\t\r", rune(sql[to-1])) {
		to--
	}
	return sql[:from] + "(" + sql[from:to] + ")" + sql[to:]
}

// rewriteCaseElse parenthesizes each ELSE result that holds a top-level AND or OR.
func rewriteCaseElse(sql string) string {
	return replaceAll(sql, elseRe, func(sql, m string, loc []int) string {
		from := skipSpace(m, loc[1])
		to, logical := logicalEnd(m, from, false, "END")
		if !logical {
			return sql
		}
		return parenthesize(sql, from, to)
	})
}

// rewriteGroupBy parenthesizes each GROUP BY key that holds a top-level AND or OR.
func rewriteGroupBy(sql string) string {
	return replaceAll(sql, groupByRe, func(sql, m string, loc []int) string {
		var keys [][2]int
		for i := loc[1]; ; {
			from := skipSpace(m, i)
			to, logical := logicalEnd(m, from, true, "HAVING", "QUALIFY", "ORDER", "LIMIT", "UNION", "WINDOW")
			if logical {
				keys = append(keys, [2]int{from, to})
			}
			if to >= len(m) || m[to] != ',' {
				break
			}
			i = to + 1
		}
		for k := len(keys) - 1; k >= 0; k-- {
			sql = parenthesize(sql, keys[k][0], keys[k][1])
		}
		return sql
	})
}

// rewriteSubqueryOperand writes each "(SELECT (" as "(SELECT 0 + (", which the grammar reads as
// a subquery.
func rewriteSubqueryOperand(sql string) string {
	return replaceAll(sql, subqueryRe, func(sql, m string, loc []int) string {
		if i := strings.TrimRight(m[:loc[0]], " \n\t\r"); !strings.HasSuffix(i, "(") {
			return sql
		}
		return sql[:loc[1]-1] + "0 + " + sql[loc[1]-1:]
	})
}
