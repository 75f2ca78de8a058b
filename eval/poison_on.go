//go:build featc_poison

package eval

// poisonReleased: the tests build with featc_poison, so that a table read after its result's
// Release reads poison instead of another request's values.
const poisonReleased = true
