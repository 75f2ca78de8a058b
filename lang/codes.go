package lang

// Code is a diagnostic's stable identifier. Codes are append-only: a code, once released, keeps
// its meaning forever, so that users can search for it and tests can assert it.
type Code string

// The codes, grouped by the stage that reports them. Each has an entry in CodeInfo.
const (
	// Lexing and parsing.
	EIllegalChar     Code = "E0101"
	EUnterminated    Code = "E0102"
	EBadEscape       Code = "E0103"
	EBadNumber       Code = "E0104"
	EBadDate         Code = "E0105"
	ESyntax          Code = "E0106"
	EReserved        Code = "E0107"
	EIntRange        Code = "E0108"
	EChainedCompare  Code = "E0109"
	EBadDuration     Code = "E0110"
	ENestedTooDeeply Code = "E0111"

	// Declarations.
	EDuplicate        Code = "E0201"
	EUnknownType      Code = "E0202"
	EDuplicateColumn  Code = "E0203"
	EBadDecimal       Code = "E0204"
	ECycle            Code = "E0205"
	EModeTypes        Code = "E0206"
	ENestedMode       Code = "E0208"
	EUnknownEntity    Code = "E0209"
	EShadowsColumn    Code = "E0210"
	EBadDefault       Code = "E0211"
	ESharedAndMode    Code = "E0212"
	EEmptySchema      Code = "E0213"
	EUnknownMode      Code = "E0214"
	ENeedsMode        Code = "E0215"
	EUnknownOutput    Code = "E0216"
	EEntityKeyMissing Code = "E0217"
	ELetType          Code = "E0218"
	ENullType         Code = "E0219"

	// Names.
	EUnknownName     Code = "E0301"
	EUnknownColumn   Code = "E0302"
	EUnknownFunction Code = "E0303"
	EUnknownMethod   Code = "E0304"
	EColArg          Code = "E0305"
	EDuplicateOutput Code = "E0306"
	EJoinKeyMissing  Code = "E0307"
	EUnnamed         Code = "E0308"

	// Types and calls.
	ENoOverload     Code = "E0401"
	ENotBool        Code = "E0402"
	EArgCount       Code = "E0403"
	EUnknownArg     Code = "E0404"
	EMissingArg     Code = "E0405"
	ENotConstant    Code = "E0406"
	EBadCast        Code = "E0407"
	EBadUnit        Code = "E0408"
	ENotFrame       Code = "E0410"
	ENotColumn      Code = "E0411"
	ENotScalar      Code = "E0412"
	EUnionSchema    Code = "E0413"
	EJoinKeyType    Code = "E0414"
	EBadOption      Code = "E0415"
	EDuplicateArg   Code = "E0416"
	EConstantRange  Code = "E0417"
	EBranchTypes    Code = "E0418"
	EWhenIncomplete Code = "E0419"
	EForeignColumn  Code = "E0420"
	ENotType        Code = "E0422"
	ERefusedPlan    Code = "E0423"

	// Shapes: rows, aggregates, windows.
	EAggInRow        Code = "E0501"
	ERowInAgg        Code = "E0502"
	EWindowNeedsOver Code = "E0503"
	ENestedAgg       Code = "E0504"
	EOverNotWindow   Code = "E0505"
	ENeedsOrder      Code = "E0506"
	EWindowInAgg     Code = "E0507"
	EEmptyGroupKeys  Code = "E0508"
	EWindowInKey     Code = "E0509"

	// Expectations.
	EExpectNotBool Code = "E0701"
	EExpectLevel   Code = "E0702"

	// Engines.
	EUnsupported Code = "E0801"

	// Warnings.
	WUnsortedLimit Code = "W0001"
	WUnused        Code = "W0003"
	WSkew          Code = "W0004"
)

// CodeInfo describes each code in a sentence. The error corpus (testdata/errors) shows each
// code a .feat file can cause; ir's TestErrorCorpus checks that every code is in it or says
// where it is tested.
var CodeInfo = map[Code]string{
	EIllegalChar:     "a character that no token of the language starts with",
	EUnterminated:    "a string literal without its closing quote on the same line",
	EBadEscape:       "an unknown escape sequence in a string literal",
	EBadNumber:       "a malformed number literal",
	EBadDate:         "a date or timestamp literal that is not a real date or time",
	ESyntax:          "the input does not follow the grammar",
	EReserved:        "a keyword used as a name",
	EIntRange:        "an integer literal outside the range of int64",
	EChainedCompare:  "comparisons chained without `and` (a < b < c)",
	EBadDuration:     "a malformed duration literal, or one mixing months with fixed units",
	ENestedTooDeeply: "an expression nested deeper than the compiler accepts",

	EDuplicate:        "two definitions, columns, features or arguments with one name",
	EUnknownType:      "a type name that does not exist",
	EDuplicateColumn:  "a schema that declares one column twice",
	EBadDecimal:       "a decimal type with an invalid precision or scale",
	ECycle:            "definitions or features that depend on each other in a cycle",
	EModeTypes:        "a name defined in several modes with different types or kinds",
	ENestedMode:       "a mode block inside a mode block",
	EUnknownEntity:    "`features … for E` where E is not a declared entity",
	EShadowsColumn:    "a name that hides another: a feature named like a column of its frame, or a column named like the time of entity features",
	EBadDefault:       "a param default that is not a constant of the param's type",
	ESharedAndMode:    "a name defined both outside any mode and inside a mode",
	EEmptySchema:      "a source or entity with no columns",
	EUnknownMode:      "a mode that no file declares",
	ENeedsMode:        "an output that depends on a mode-specific definition, compiled without a mode",
	EUnknownOutput:    "a requested output that is not defined",
	EEntityKeyMissing: "an entity key that is not a column of the frames the features use",
	ELetType:          "a let whose value does not have its declared type",
	ENullType:         "a value that is only null, with no type: give it one with .cast(…)",

	EUnsupported: "a construct that the target engine cannot compute with featc's semantics",

	EUnknownName:     "a name that is neither a column nor a definition",
	EUnknownColumn:   "a column that the frame does not have",
	EUnknownFunction: "a function that the standard library does not have",
	EUnknownMethod:   "a method that does not exist for the receiver's type",
	EColArg:          "col() needs one constant string",
	EDuplicateOutput: "two output columns with one name",
	EJoinKeyMissing:  "a join key that is not a column of one side",

	ENoOverload:     "no signature of a function or operator accepts the argument types",
	ENotBool:        "a condition that is not boolean",
	EArgCount:       "a call with too many or too few arguments",
	EUnknownArg:     "a named argument that the function does not take",
	EMissingArg:     "a required argument is missing",
	ENotConstant:    "an argument that must be a constant is not",
	EBadCast:        "a cast between types that cannot convert",
	EBadUnit:        "an unknown unit (in truncate, offset_by or a duration string)",
	ENotFrame:       "a frame was expected",
	ENotColumn:      "a column or scalar expression was expected",
	ENotScalar:      "a single value was expected, not a column",
	EUnionSchema:    "frames of a union whose columns differ",
	EJoinKeyType:    "join keys of different types",
	EBadOption:      "an option with a value it does not accept",
	EDuplicateArg:   "an argument given twice",
	EConstantRange:  "a constant argument outside its allowed range",
	EBranchTypes:    "conditional branches with no common type",
	EWhenIncomplete: "when(...) without .then(...)",
	EForeignColumn:  "a column of another frame used as a row value",
	ENotType:        "a type was expected",
	ERefusedPlan:    "an operation whose relation the IR refuses to build although the checker accepted it (two output columns with one name, an aggregate outside a window, …): a bug in featc, please report it",

	EAggInRow:        "an aggregate where a row value is needed",
	ERowInAgg:        "a row value where an aggregate is needed",
	EWindowNeedsOver: "a window function without .over(...)",
	ENestedAgg:       "an aggregate inside an aggregate, or a window function inside a window function",
	EOverNotWindow:   ".over(...) on an expression that is neither an aggregate nor a window function",
	ENeedsOrder:      "an order-dependent function without an order",
	EWindowInAgg:     "a window function inside an aggregation",
	EEmptyGroupKeys:  "group_by() without keys",
	EWindowInKey:     "an aggregate or window function as a group or partition key",

	EExpectNotBool: "an expectation that is not a boolean row condition",
	EExpectLevel:   "an expectation level other than error or warn",

	WUnsortedLimit: "limit over rows in an unspecified order: engines may return different rows",
	WUnused:        "a param or entity that no definition uses",
	WSkew:          "a shared features block reads an aggregate over a whole table: realtime and backfill values differ",
}
