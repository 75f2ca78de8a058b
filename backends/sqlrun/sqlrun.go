// Package sqlrun runs featc's SQL statements through database/sql and reads their rows as featc
// values, for every engine alike: each column is converted by its featc type, whatever Go type
// the driver delivers it as.
package sqlrun

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/types"
)

// Query runs a statement on one connection (its session statements first) and returns its
// rows, one featc value per column. args fill the statement's placeholders, in order.
func Query(ctx context.Context, conn *sql.Conn, st *sqlgen.Statement, args ...any) ([][]types.Value, error) {
	for _, s := range st.Session {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
	}
	rows, err := conn.QueryContext(ctx, st.SQL, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if len(cols) != len(st.Schema) {
		return nil, fmt.Errorf("%s: the query returned %d columns, not %d", st.Output, len(cols), len(st.Schema))
	}
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out [][]types.Value
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]types.Value, len(cols))
		for i, f := range st.Schema {
			v, err := Convert(raw[i], f.Type)
			if err != nil {
				return nil, fmt.Errorf("%s, column %s: %w", st.Output, f.Name, err)
			}
			row[i] = v
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Convert reads a value delivered by a driver as a featc value of type t.
func Convert(x any, t types.Type) (types.Value, error) {
	if x == nil {
		return types.NullValue(t), nil
	}
	bad := func() (types.Value, error) {
		return types.Value{}, fmt.Errorf("the engine returned %T %v for a %s", x, x, t)
	}
	switch t.Kind {
	case types.Bool:
		switch v := x.(type) {
		case bool:
			return types.BoolValue(v), nil
		case int64:
			return types.BoolValue(v != 0), nil
		}
		return bad()
	case types.Int32, types.Int64, types.Duration:
		i, ok := toInt(x)
		if !ok {
			return bad()
		}
		return types.Value{Type: t, I: i}, nil
	case types.Float64:
		switch v := x.(type) {
		case float64:
			return types.Float64Value(v), nil
		case float32:
			return types.Float64Value(float64(v)), nil
		case string:
			return parseFloat(v, x, t)
		case []byte:
			return parseFloat(string(v), x, t)
		}
		if i, ok := toInt(x); ok {
			return types.Float64Value(float64(i)), nil
		}
		return bad()
	case types.Decimal:
		var text string
		switch v := x.(type) {
		case string:
			text = v
		case []byte:
			text = string(v)
		case float64:
			text = strconv.FormatFloat(v, 'f', int(t.Scale), 64)
		case fmt.Stringer:
			text = v.String()
		default:
			if i, ok := toInt(x); ok {
				text = strconv.FormatInt(i, 10)
			} else {
				return bad()
			}
		}
		return parseDecimal(text, t)
	case types.String:
		switch v := x.(type) {
		case string:
			return types.StringValue(v), nil
		case []byte:
			return types.StringValue(string(v)), nil
		}
		return bad()
	case types.Date:
		switch v := x.(type) {
		case time.Time:
			y, m, d := v.Date()
			days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
			return types.DateValue(days), nil
		case string:
			d, err := types.ParseDate(v)
			if err != nil {
				return bad()
			}
			return types.DateValue(d), nil
		}
		return bad()
	case types.Timestamp:
		switch v := x.(type) {
		case time.Time:
			// A timestamp without time zone arrives as UTC wall time.
			w := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
			us := w.Unix()*1_000_000 + int64(w.Nanosecond()/1000)
			return types.TimestampValue(us), nil
		case string:
			us, err := types.ParseTimestamp(v)
			if err != nil {
				return bad()
			}
			return types.TimestampValue(us), nil
		}
		return bad()
	}
	return bad()
}

func toInt(x any) (int64, bool) {
	switch v := x.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int16:
		return int64(v), true
	case int8:
		return int64(v), true
	case int:
		return int64(v), true
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), true
		}
	case *big.Int:
		if v.IsInt64() {
			return v.Int64(), true
		}
	case string:
		i, err := strconv.ParseInt(v, 10, 64)
		return i, err == nil
	case []byte:
		i, err := strconv.ParseInt(string(v), 10, 64)
		return i, err == nil
	}
	return 0, false
}

func parseFloat(s string, x any, t types.Type) (types.Value, error) {
	switch strings.ToLower(s) {
	case "nan":
		return types.Float64Value(math.NaN()), nil
	case "infinity", "inf":
		return types.Float64Value(math.Inf(1)), nil
	case "-infinity", "-inf":
		return types.Float64Value(math.Inf(-1)), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return types.Value{}, fmt.Errorf("the engine returned %q for a %s", s, t)
	}
	return types.Float64Value(f), nil
}

// parseDecimal reads decimal text at the type's scale (exactly: a value with more digits is an
// error, never silently rounded).
func parseDecimal(s string, t types.Type) (types.Value, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return types.Value{}, fmt.Errorf("the engine returned %q for a %s", s, t)
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil)
	r.Mul(r, new(big.Rat).SetInt(scale))
	if !r.IsInt() {
		return types.Value{}, fmt.Errorf("the engine returned %q, which has more than %d decimals, for a %s", s, t.Scale, t)
	}
	return types.DecimalValue(new(big.Int).Set(r.Num()), t), nil
}
