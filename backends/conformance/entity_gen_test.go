package conformance_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/featc/featc/backends/sqlgen"
)

// TestEntityBlocksDifferential generates entity-feature blocks over the conversation data:
// frames derived from frames by filters (on columns, the spine's time, other features), computed
// columns, window functions, sorts with limits and offsets, inner and left joins with a table,
// and features
// aggregating them or combining features; each block runs on the evaluator and, by both
// entity strategies, on every engine, and must give the same rows. The range join (Snowflake's
// strategy) is checked here on DuckDB and Postgres against the evaluator.
func TestEntityBlocksDifferential(t *testing.T) {
	defer logCells(t)
	const blocks = 40
	for i := 0; i < blocks; i++ {
		src := conversationSources + entityBlock(rand.New(rand.NewSource(int64(i))))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkConversations(t, src, "g", int64(100+i), []string{sqlgen.StrategyCorrelated, sqlgen.StrategyJoin})
		})
	}
}

// entityBlock writes a random block "g" of frames and features over messages and people.
func entityBlock(r *rand.Rand) string {
	type frame struct {
		name   string
		nums   []string // numeric columns
		joined bool
		limit  bool
		window bool
		plain  bool // filters of messages only: joinable as the right side
		people bool // joined with people (score, tier)
	}
	frames := []frame{{name: "h", nums: []string{"length"}, plain: true}}
	var lines []string
	lines = append(lines, "h = messages.filter(sent_at < asked_at)")
	var numFeatures []string
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	cond := func(f frame) string {
		opts := []string{
			fmt.Sprintf("%s > %d", pick(f.nums), r.Intn(40)),
			"flagged",
			"flagged.is_not_null()",
			fmt.Sprintf("sent_at >= asked_at - %dd", 1+r.Intn(5)),
		}
		if len(numFeatures) > 0 {
			opts = append(opts, fmt.Sprintf("%s > %s", pick(f.nums), pick(numFeatures)))
		}
		if f.people {
			opts = append(opts, "score > 0.4", "tier.is_null()")
		}
		return pick(opts)
	}
	n := 0
	for step := 0; step < 3+r.Intn(5); step++ {
		f := frames[r.Intn(len(frames))]
		n++
		g := f
		g.name = fmt.Sprintf("f%d", n)
		g.nums = append([]string{}, f.nums...)
		g.plain = false
		var def string
		switch k := r.Intn(6); {
		case k == 5 && !f.joined && !f.limit && !f.window:
			// Window functions over the frame's rows (ties broken by its other columns).
			col := fmt.Sprintf("v%d", n)
			win := pick([]string{
				fmt.Sprintf("%s - %s.shift(1).over(order_by = sent_at)", pick(f.nums), pick(f.nums)),
				fmt.Sprintf("%s.rank(descending = true).over()", pick(f.nums)),
				fmt.Sprintf("%s.cum_sum().over(order_by = sent_at)", pick(f.nums)),
				fmt.Sprintf("row_number().over(flagged, order_by = %s)", pick(f.nums)),
				fmt.Sprintf("%s.sum().over(flagged)", pick(f.nums)),
			})
			def = fmt.Sprintf("%s.with_columns(%s = %s)", f.name, col, win)
			g.nums = append(g.nums, col)
			g.window = true
		case k == 0 || k == 1:
			def = fmt.Sprintf("%s.filter(%s)", f.name, cond(f))
			g.plain = f.plain
		case k == 2:
			col := fmt.Sprintf("w%d", n)
			def = fmt.Sprintf("%s.with_columns(%s = %s * %d + %d)", f.name, col, pick(f.nums), 1+r.Intn(3), r.Intn(5))
			g.nums = append(g.nums, col)
		case k == 3 && !f.joined && !f.limit && !f.window:
			desc := []string{"false", "true"}[r.Intn(2)]
			def = fmt.Sprintf("%s.sort(%s, sent_at, descending = %s).limit(%d, offset = %d)", f.name, pick(f.nums), desc, 1+r.Intn(4), r.Intn(2))
			g.limit = true
		case !f.joined && !f.limit && !f.window:
			var plains []string
			for _, x := range frames {
				if x.plain {
					plains = append(plains, x.name)
				}
			}
			if r.Intn(2) == 0 {
				// Another frame of the entity, on a column other than the key.
				def = fmt.Sprintf("%s.join(%s, on = length, how = %q)", f.name, pick(plains), pick([]string{"inner", "left"}))
				g.joined = true
				break
			}
			def = fmt.Sprintf("%s.join(people, on = sender_id, how = %q)", f.name, pick([]string{"inner", "left"}))
			g.joined, g.people = true, true
			g.nums = append(g.nums, "score")
		default:
			def = fmt.Sprintf("%s.filter(%s)", f.name, cond(f))
		}
		lines = append(lines, g.name+" = "+def)
		frames = append(frames, g)
		// A feature over a random frame.
		h := frames[r.Intn(len(frames))]
		feat := fmt.Sprintf("a%d", n)
		var agg string
		switch r.Intn(7) {
		case 0:
			agg = h.name + ".len()"
		case 1:
			agg = fmt.Sprintf("%s.%s.sum()", h.name, pick(h.nums))
		case 2:
			agg = fmt.Sprintf("%s.%s.mean()", h.name, pick(h.nums))
		case 3:
			agg = fmt.Sprintf("%s.%s.max()", h.name, pick(h.nums))
		case 4:
			agg = fmt.Sprintf("%s.%s.n_unique()", h.name, pick(h.nums))
		case 5:
			agg = fmt.Sprintf("%s.%s.last(order_by = sent_at)", h.name, pick(h.nums))
		default:
			agg = fmt.Sprintf("%s.filter(%s).len()", h.name, cond(h))
		}
		lines = append(lines, feat+" = "+agg)
		numFeatures = append(numFeatures, feat)
	}
	if len(numFeatures) > 1 {
		lines = append(lines, fmt.Sprintf("combo = %s.fill_null(0) + %s.fill_null(0)", numFeatures[0], numFeatures[len(numFeatures)-1]))
	}
	return "features g for conversation at asked_at {\n    " + strings.Join(lines, "\n    ") + "\n}\n"
}
