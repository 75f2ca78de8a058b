package stdlib

// Standard returns featc's standard library. The families are listed here explicitly, in the
// order docs/functions.md presents them.
func Standard() *Library {
	var all []*Func
	for _, family := range [][]*Func{
		arithmetic(),
		comparison(),
		boolean(),
		nulls(),
		mathFuncs(),
		stringFuncs(),
		temporalFuncs(),
		aggregates(),
		windows(),
	} {
		all = append(all, family...)
	}
	return NewLibrary(all...)
}
