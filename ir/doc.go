// Package ir resolves names and checks types in parsed .feat files, and holds the typed
// relational IR that every engine consumes: a small set of expression kinds (column and key
// references, literals, params, lets, calls with resolved overloads, casts, aggregates, windows,
// subqueries) and relation kinds (scan, filter, project, aggregate, sort, limit, distinct,
// join, as-of join, union, entity apply), each knowing its type or schema. Constructors refuse
// ill-formed plans. Programs are ordered by their dependencies and pruned to requested outputs
// down to columns.
//
// ir imports lang (syntax), stdlib (the function table) and types; it must stay pure Go,
// with no database driver.
package ir
