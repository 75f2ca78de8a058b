// Package eval is featc's in-process evaluator and the reference every SQL engine is compared
// against: it runs a typed program (*ir.Program) over Arrow records and returns Arrow tables.
//
// New walks the IR once into a tree of operators (scan, filter, project, aggregate, window,
// join, as-of join, entity features, …) whose expressions are compiled to register programs of
// kernels resolved by overload ID; Run only executes that tree, with buffers taken from a pool,
// and is safe for concurrent use. Every kernel follows docs/semantics.md; a value that has no
// answer (an overflow, a bad cast) is a runtime error, never a silent null.
//
// eval imports ir, stdlib, types and lang, and sits below the featc facade: it never imports
// the root package (a test checks), any SQL backend, cgo or a database driver.
package eval
