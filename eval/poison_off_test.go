//go:build !featc_poison

package eval_test

const poisoned = false
