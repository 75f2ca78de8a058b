package sqlgen

// The dialects live in their engines' packages and are listed by the registry (backends),
// which package sqlgen's own tests cannot import; the tests that walk every dialect are
// therefore in package sqlgen_test, and these names let them see what they check.
var (
	LookupTemplate  = (*Dialect).template
	SharedTable     = shared
	HelperTemplates = helperTemplates
	KindName        = kindName
)
