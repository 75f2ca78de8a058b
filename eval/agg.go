package eval

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// An aggregate is computed by an accumulator over groups numbered 0..g-1: init sizes it, add
// feeds it one row, finish writes one value per group. Rows whose value argument is null are
// skipped by the caller unless the aggregate counts rows (len). The same accumulators serve
// group_by, whole-frame aggregates and windows.
type accumulator interface {
	init(g int)
	add(g int, args []*Vec, i int) error
	finish(out *Vec) error
}

// aggSpec describes how to build an aggregate's accumulator and feed it.
type aggSpec struct {
	node *ir.Agg
	// countRows marks len(), which counts rows with nulls.
	countRows bool
	make      func() accumulator
}

// newAccumulator returns the accumulator factory for an aggregate overload.
func newAccumulator(name, id string, t types.Type, args []ir.Expr) (func() accumulator, error) {
	argType := func(i int) types.Type {
		if i < len(args) {
			return args[i].Type()
		}
		return types.Invalid
	}
	switch name {
	case "count":
		return func() accumulator { return &countAcc{} }, nil
	case "len":
		return func() accumulator { return &countAcc{} }, nil
	case "sum":
		switch argType(0).Kind {
		case types.Float64:
			return func() accumulator { return &sumFloatAcc{} }, nil
		case types.Decimal:
			return func() accumulator { return &sumDecAcc{prec: int(t.Precision)} }, nil
		}
		return func() accumulator { return &sumIntAcc{t: t} }, nil
	case "mean":
		return func() accumulator { return &meanAcc{} }, nil
	case "min", "max":
		isMax := name == "max"
		return func() accumulator { return &minMaxAcc{max: isMax, t: t} }, nil
	case "std", "var":
		isStd := name == "std"
		return func() accumulator { return &varAcc{std: isStd} }, nil
	case "median":
		return func() accumulator { return &quantileAcc{q: 0.5, interp: "linear"} }, nil
	case "quantile":
		return nil, nil // built with its constant arguments by the caller
	case "n_unique":
		return func() accumulator { return &nUniqueAcc{} }, nil
	case "first", "last":
		isLast := name == "last"
		return func() accumulator { return &firstLastAcc{last: isLast, t: t} }, nil
	case "any":
		return func() accumulator { return &anyAllAcc{all: false} }, nil
	case "all":
		return func() accumulator { return &anyAllAcc{all: true} }, nil
	}
	return nil, fmt.Errorf("no accumulator for %s", id)
}

type countAcc struct{ n []int64 }

func (a *countAcc) init(g int) { a.n = grow(a.n, g); clear(a.n) }
func (a *countAcc) add(g int, _ []*Vec, _ int) error {
	a.n[g]++
	return nil
}
func (a *countAcc) finish(out *Vec) error {
	out.resize(types.Int64T, len(a.n))
	copy(out.I, a.n)
	return nil
}

type sumIntAcc struct {
	t   types.Type
	s   []int64
	has []bool
}

func (a *sumIntAcc) init(g int) {
	a.s, a.has = grow(a.s, g), grow(a.has, g)
	clear(a.s)
	clear(a.has)
}
func (a *sumIntAcc) add(g int, args []*Vec, i int) error {
	x := args[0].I[args[0].idx(i)]
	s, o := addInt(a.s[g], x)
	if o {
		return runtimeErr("integer overflow in sum")
	}
	a.s[g], a.has[g] = s, true
	return nil
}
func (a *sumIntAcc) finish(out *Vec) error {
	out.resize(a.t, len(a.s))
	copy(out.I, a.s)
	return nil
}

// setMissing makes the groups that saw no value null.
func setMissing(out *Vec, has []bool) {
	for g, h := range has {
		if !h {
			markNull(out, g)
		}
	}
}

type sumFloatAcc struct {
	s   []float64
	has []bool
}

func (a *sumFloatAcc) init(g int) {
	a.s, a.has = grow(a.s, g), grow(a.has, g)
	clear(a.s)
	clear(a.has)
}
func (a *sumFloatAcc) add(g int, args []*Vec, i int) error {
	a.s[g] += args[0].F[args[0].idx(i)]
	a.has[g] = true
	return nil
}
func (a *sumFloatAcc) finish(out *Vec) error {
	out.resize(types.Float64T, len(a.s))
	copy(out.F, a.s)
	return nil
}

type sumDecAcc struct {
	prec int
	s    []decimal128.Num
	has  []bool
}

func (a *sumDecAcc) init(g int) {
	a.s, a.has = grow(a.s, g), grow(a.has, g)
	clear(a.s)
	clear(a.has)
}
func (a *sumDecAcc) add(g int, args []*Vec, i int) error {
	s, ok := addDec(a.s[g], args[0].D[args[0].idx(i)], 38)
	if !ok {
		return runtimeErr("decimal overflow in sum: the total needs more than 38 digits")
	}
	a.s[g], a.has[g] = s, true
	return nil
}
func (a *sumDecAcc) finish(out *Vec) error {
	t := out.T
	out.resize(t, len(a.s))
	copy(out.D, a.s)
	return nil
}

type meanAcc struct {
	s []float64
	n []int64
}

func (a *meanAcc) init(g int) {
	a.s, a.n = grow(a.s, g), grow(a.n, g)
	clear(a.s)
	clear(a.n)
}
func (a *meanAcc) add(g int, args []*Vec, i int) error {
	a.s[g] += args[0].F[args[0].idx(i)]
	a.n[g]++
	return nil
}
func (a *meanAcc) finish(out *Vec) error {
	out.resize(types.Float64T, len(a.s))
	for g := range a.s {
		if a.n[g] == 0 {
			markNull(out, g)
			continue
		}
		out.F[g] = a.s[g] / float64(a.n[g])
	}
	return nil
}

// minMaxAcc keeps the row of the extreme value of each group in the input vector.
type minMaxAcc struct {
	max  bool
	t    types.Type
	best []int32
	src  *Vec
}

func (a *minMaxAcc) init(g int) {
	a.best = grow(a.best, g)
	for i := range a.best {
		a.best[i] = -1
	}
	a.src = nil
}
func (a *minMaxAcc) add(g int, args []*Vec, i int) error {
	x := args[0]
	a.src = x
	b := a.best[g]
	if b < 0 {
		a.best[g] = int32(i)
		return nil
	}
	c := cmpRows(x, x.idx(i), x, x.idx(int(b)))
	if (a.max && c > 0) || (!a.max && c < 0) {
		a.best[g] = int32(i)
	}
	return nil
}
func (a *minMaxAcc) finish(out *Vec) error {
	out.resize(a.t, len(a.best))
	for g, b := range a.best {
		if b < 0 {
			markNull(out, g)
			continue
		}
		setRow(out, g, a.src, a.src.idx(int(b)))
	}
	return nil
}

// varAcc computes the variance with Welford's algorithm; ddof comes as the second argument.
type varAcc struct {
	std  bool
	ddof int64
	n    []int64
	mean []float64
	m2   []float64
}

func (a *varAcc) init(g int) {
	a.n, a.mean, a.m2 = grow(a.n, g), grow(a.mean, g), grow(a.m2, g)
	clear(a.n)
	clear(a.mean)
	clear(a.m2)
}
func (a *varAcc) add(g int, args []*Vec, i int) error {
	if len(args) > 1 {
		a.ddof = args[1].I[0]
	}
	x := args[0].F[args[0].idx(i)]
	a.n[g]++
	d := x - a.mean[g]
	a.mean[g] += d / float64(a.n[g])
	a.m2[g] += d * (x - a.mean[g])
	return nil
}
func (a *varAcc) finish(out *Vec) error {
	out.resize(types.Float64T, len(a.n))
	for g := range a.n {
		if a.n[g] <= a.ddof {
			markNull(out, g)
			continue
		}
		v := a.m2[g] / float64(a.n[g]-a.ddof)
		if a.std {
			v = math.Sqrt(v)
		}
		out.F[g] = v
	}
	return nil
}

// quantileAcc collects each group's values.
type quantileAcc struct {
	q      float64
	interp string
	vals   [][]float64
}

func (a *quantileAcc) init(g int) {
	a.vals = grow(a.vals, g)
	for i := range a.vals {
		a.vals[i] = a.vals[i][:0]
	}
}
func (a *quantileAcc) add(g int, args []*Vec, i int) error {
	a.vals[g] = append(a.vals[g], args[0].F[args[0].idx(i)])
	return nil
}
func (a *quantileAcc) finish(out *Vec) error {
	out.resize(types.Float64T, len(a.vals))
	for g, v := range a.vals {
		if len(v) == 0 {
			markNull(out, g)
			continue
		}
		sort.Slice(v, func(i, j int) bool { return cmpFloat(v[i], v[j]) < 0 })
		out.F[g] = quantileOf(v, a.q, a.interp)
	}
	return nil
}

// quantileOf picks the q-quantile of sorted values by the interpolation (docs/semantics.md).
func quantileOf(v []float64, q float64, interp string) float64 {
	h := q * float64(len(v)-1)
	lo, hi := int(math.Floor(h)), int(math.Ceil(h))
	switch interp {
	case "lower":
		return v[lo]
	case "higher":
		return v[hi]
	case "nearest":
		r := math.RoundToEven(h)
		return v[int(r)]
	case "midpoint":
		return (v[lo] + v[hi]) / 2
	}
	if lo == hi {
		return v[lo]
	}
	return v[lo] + (h-float64(lo))*(v[hi]-v[lo])
}

// nUniqueAcc counts distinct non-null values per group by featc's equality.
type nUniqueAcc struct {
	seen map[uniqKey]struct{}
	n    []int64
}

type uniqKey struct {
	g    int
	a, b uint64
	s    string
}

func valueKey(v *Vec, j int) (uint64, uint64, string) {
	switch storageOf(v.T) {
	case stBool:
		return uint64(b2i(v.B[j])), 0, ""
	case stInt:
		return uint64(v.I[j]), 0, ""
	case stFloat:
		return floatKey(v.F[j]), 0, ""
	case stDecimal:
		return v.D[j].LowBits(), uint64(v.D[j].HighBits()), ""
	case stString:
		return 0, 0, v.S[j]
	}
	return 0, 0, ""
}

// floatKey maps floats to keys under featc's equality: every NaN alike, -0 like 0.
func floatKey(f float64) uint64 {
	switch {
	case f != f:
		return 0x7ff8000000000001
	case f == 0:
		return 0
	}
	return math.Float64bits(f)
}

func (a *nUniqueAcc) init(g int) {
	a.n = grow(a.n, g)
	clear(a.n)
	if a.seen == nil {
		a.seen = map[uniqKey]struct{}{}
	} else {
		clear(a.seen)
	}
}
func (a *nUniqueAcc) add(g int, args []*Vec, i int) error {
	var k uniqKey
	if args[0].IsNull(i) {
		k = uniqKey{g: g, a: 1, b: 1, s: "\x00null"} // one key for null, unlike any value's
	} else {
		x, y, s := valueKey(args[0], args[0].idx(i))
		k = uniqKey{g, x, y, s}
	}
	if _, ok := a.seen[k]; !ok {
		a.seen[k] = struct{}{}
		a.n[g]++
	}
	return nil
}
func (a *nUniqueAcc) finish(out *Vec) error {
	out.resize(types.Int64T, len(a.n))
	copy(out.I, a.n)
	return nil
}

// firstLastAcc keeps, per group, the row with the smallest (first) or largest (last) order
// key; among ties, the smallest (first) or largest (last) non-null value. Rows with a null order
// key never reach it. args are the value, then the order keys.
type firstLastAcc struct {
	last bool
	t    types.Type
	best []int32
	src  []*Vec
	desc []bool
}

func (a *firstLastAcc) init(g int) {
	a.best = grow(a.best, g)
	for i := range a.best {
		a.best[i] = -1
	}
}
func (a *firstLastAcc) add(g int, args []*Vec, i int) error {
	a.src = args
	b := a.best[g]
	if b < 0 {
		a.best[g] = int32(i)
		return nil
	}
	c := 0
	for ki, key := range args[1:] {
		c = cmpRows(key, key.idx(i), key, key.idx(int(b)))
		if ki < len(a.desc) && a.desc[ki] {
			c = -c
		}
		if c != 0 {
			break
		}
	}
	if a.last {
		c = -c
	}
	if c < 0 {
		a.best[g] = int32(i)
		return nil
	}
	if c > 0 {
		return nil
	}
	// Tie in the order: prefer a non-null value, then the smallest (first) or largest (last).
	x := args[0]
	switch {
	case x.IsNull(i):
	case x.IsNull(int(b)):
		a.best[g] = int32(i)
	default:
		v := cmpRows(x, x.idx(i), x, x.idx(int(b)))
		if (!a.last && v < 0) || (a.last && v > 0) {
			a.best[g] = int32(i)
		}
	}
	return nil
}
func (a *firstLastAcc) finish(out *Vec) error {
	out.resize(a.t, len(a.best))
	for g, b := range a.best {
		if b < 0 || a.src[0].IsNull(int(b)) {
			markNull(out, g)
			continue
		}
		setRow(out, g, a.src[0], a.src[0].idx(int(b)))
	}
	return nil
}

type anyAllAcc struct {
	all bool
	v   []bool
}

func (a *anyAllAcc) init(g int) {
	a.v = grow(a.v, g)
	for i := range a.v {
		a.v[i] = a.all
	}
}
func (a *anyAllAcc) add(g int, args []*Vec, i int) error {
	x := args[0].B[args[0].idx(i)]
	if a.all {
		a.v[g] = a.v[g] && x
	} else {
		a.v[g] = a.v[g] || x
	}
	return nil
}
func (a *anyAllAcc) finish(out *Vec) error {
	out.resize(types.BoolT, len(a.v))
	copy(out.B, a.v)
	return nil
}

var _ = strings.Compare
