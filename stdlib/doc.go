// Package stdlib is featc's standard library as one declarative table: every function and
// operator of the language with its kind, signatures, documentation and runnable examples.
//
// The checker resolves calls against it; the evaluator's kernels and each SQL dialect's
// templates are keyed by the overload IDs it defines; docs/functions.md is generated from it.
// Functions are registered from one explicit list (Standard), never by init side effects.
//
// stdlib imports only types: it must stay pure Go with no database driver.
package stdlib
