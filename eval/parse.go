package eval

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/types"
)

// ParseColumn parses text values into an Arrow array of type t by featc's cast rules from
// string (the rules of docs/semantics.md), so that CSV input means what a cast means. Null rows
// are given by nulls; an error names the first row that does not parse (counting from 1).
func ParseColumn(mem memory.Allocator, text []string, nulls []bool, t types.Type) (arrow.Array, error) {
	src := &Vec{T: types.StringT, N: len(text), S: text, Null: nulls}
	out := &Vec{T: t}
	if t.Kind == types.String {
		return toArray(mem, src, t, len(text)), nil
	}
	k, err := castKernel(types.StringT, t)
	if err != nil {
		return nil, err
	}
	var ar arena
	kc := &kctx{n: len(text), arena: &ar}
	if err := k(kc, out, []*Vec{src}); err != nil {
		// Find the row, for the message.
		for i := range text {
			if nulls[i] {
				continue
			}
			one := &Vec{T: types.StringT, N: 1, S: text[i : i+1]}
			kc.n = 1
			if e := k(kc, &Vec{T: t}, []*Vec{one}); e != nil {
				return nil, fmt.Errorf("row %d: %v", i+1, e)
			}
		}
		return nil, err
	}
	return toArray(mem, out, t, len(text)), nil
}

// ParseParam parses a param's value given as text on the command line: a literal as in .feat
// (2024-01-31 with or without @, 90d, 1.5, "text" or text, true), by the param's type.
func ParseParam(text string, t types.Type) (types.Value, error) {
	s := strings.TrimSpace(text)
	if s == "null" {
		return types.NullValue(t), nil
	}
	switch t.Kind {
	case types.Date, types.Timestamp:
		s = strings.TrimPrefix(s, "@")
		// A param is a literal as in .feat (@2024-01-31T08:00, with an offset or not), or a
		// date alone for midnight: a wider reading than the cast of text, which wants seconds.
		if t.Kind == types.Timestamp && len(s) > 10 {
			us, err := types.ParseTimestamp(strings.Replace(s, " ", "T", 1))
			if err != nil {
				return types.Value{}, err
			}
			return types.TimestampValue(us), nil
		}
		if t.Kind == types.Timestamp {
			d, err := types.ParseDate(s)
			if err != nil {
				return types.Value{}, fmt.Errorf("%q is not a timestamp such as 2024-01-31T08:00:00", text)
			}
			return types.TimestampValue(d * types.Day), nil
		}
	case types.Duration:
		v, err := types.ParseDurationLiteral(s)
		if err != nil || v.Type.Kind != types.Duration {
			return types.Value{}, fmt.Errorf("%q is not a duration such as 90d or 1h30m", text)
		}
		return v, nil
	case types.String:
		if len(s) >= 2 && strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) {
			s = s[1 : len(s)-1]
		}
		return types.StringValue(s), nil
	}
	k, err := castKernel(types.StringT, t)
	if err != nil {
		return types.Value{}, err
	}
	var ar arena
	out := &Vec{T: t}
	if err := k(&kctx{n: 1, arena: &ar}, out, []*Vec{{T: types.StringT, N: 1, S: []string{s}}}); err != nil {
		return types.Value{}, fmt.Errorf("%q is not a %s", text, t)
	}
	return out.Value(0), nil
}
