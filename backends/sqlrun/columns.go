package sqlrun

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// Columns returns the columns of the rows a FROM item gives (a table name or a parenthesized
// query, as the dialect writes it), with featc types, asking the engine for none of its rows.
// A column of a type featc does not read is an error naming it.
func Columns(ctx context.Context, conn *sql.Conn, from string) (ir.Schema, error) {
	rows, err := conn.QueryContext(ctx, "SELECT * FROM "+from+" AS featc_columns LIMIT 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out ir.Schema
	for _, ct := range cts {
		t, ok := featcType(ct)
		if !ok {
			return nil, fmt.Errorf("column %s is %s, which featc does not read", ct.Name(), ct.DatabaseTypeName())
		}
		out = append(out, ir.Field{Name: ct.Name(), Type: t})
	}
	return out, rows.Err()
}

// featcType maps an engine's column type (DuckDB's, Postgres', Snowflake's names) to featc's.
func featcType(ct *sql.ColumnType) (types.Type, bool) {
	name := strings.ToUpper(ct.DatabaseTypeName())
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = name[:i]
	}
	switch name {
	case "BIGINT", "INT8", "INTEGER", "INT4", "INT", "SMALLINT", "INT2", "TINYINT", "INT1", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT":
		return types.Int64T, true
	case "DOUBLE", "FLOAT8", "FLOAT", "FLOAT4", "REAL", "DOUBLE PRECISION":
		return types.Float64T, true
	case "VARCHAR", "TEXT", "BPCHAR", "CHAR", "STRING", "NAME", "UUID":
		return types.StringT, true
	case "BOOLEAN", "BOOL":
		return types.BoolT, true
	case "DATE":
		return types.DateT, true
	case "TIMESTAMP", "TIMESTAMP_NTZ", "DATETIME":
		return types.TimestampT, true
	case "DECIMAL", "NUMERIC", "FIXED", "NUMBER":
		p, s, ok := ct.DecimalSize()
		if !ok || p < 1 || p > types.MaxDecimalPrecision {
			return types.Invalid, false
		}
		if s == 0 && name == "FIXED" {
			return types.Int64T, true // Snowflake's integers are NUMBER(38, 0)
		}
		return types.DecimalType(int(p), int(s)), true
	}
	return types.Invalid, false
}
