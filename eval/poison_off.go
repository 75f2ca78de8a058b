//go:build !featc_poison

package eval

const poisonReleased = false
