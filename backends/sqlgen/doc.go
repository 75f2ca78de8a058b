// Package sqlgen lowers a typed program (*ir.Program) to SQL for one Dialect: one SELECT per
// output, with CTEs named after the program's definitions. Functions are one shared table of
// templates keyed by overload ID, with small per-dialect overrides; what a dialect cannot
// express with featc's semantics is a declared refusal that becomes a compile error, never a
// guessed SQL function.
//
// sqlgen only writes text: it imports ir, lang and types, and no database driver (the engine
// packages duckdb, postgres and snowflake run what it writes).
package sqlgen
