// Package lang is the front end of the .feat language: the hand-written scanner, the
// participle grammar (with a precedence-climbing expression parser plugged into it), the syntax
// tree with positions, the diagnostics with their stable codes, and the canonical formatter.
//
// lang is the only package that imports participle: positions become Spans at its border. It
// knows nothing of types beyond literal syntax (package ir checks the tree) and imports no
// database driver and no cgo.
package lang
