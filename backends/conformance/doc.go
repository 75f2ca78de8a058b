// Package conformance holds the conformance tests: every relational case of internal/cases and
// every example of the standard library runs on every SQL engine (embedded DuckDB, a real
// PostgreSQL server) and must give the rows computed by hand from docs/semantics.md, which the
// evaluator gives too.
package conformance
