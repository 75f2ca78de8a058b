package eval

// Bulk accumulation. The common aggregates over a column of values (not a constant) add it in
// one loop of their own rather than a call per row: an entity's few dozen rows aggregated into
// a hundred features spend their time in per-row dispatch otherwise. Each loop visits the rows
// in order and leaves out null values, exactly as the per-row path does, so results are the
// same to the bit (float sums add in the same order). TestBulkAggregatesAgree checks it.

// bulkAdder is an accumulator with a loop over a whole column; addAll reports false when it
// cannot take this input (the per-row path then runs). gid is nil when every row is in group 0.
type bulkAdder interface {
	addAll(gid []int32, args []*Vec, n int) (bool, error)
}

func groupOf(gid []int32, i int) int {
	if gid == nil {
		return 0
	}
	return int(gid[i])
}

func (a *countAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	for i := 0; i < n; i++ {
		if x.Null == nil || !x.Null[i] {
			a.n[groupOf(gid, i)]++
		}
	}
	return true, nil
}

func (a *sumFloatAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	for i, v := range x.F[:n] {
		if x.Null != nil && x.Null[i] {
			continue
		}
		g := groupOf(gid, i)
		a.s[g] += v
		a.has[g] = true
	}
	return true, nil
}

func (a *sumIntAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	for i, v := range x.I[:n] {
		if x.Null != nil && x.Null[i] {
			continue
		}
		g := groupOf(gid, i)
		s, o := addInt(a.s[g], v)
		if o {
			return true, runtimeErr("integer overflow in sum")
		}
		a.s[g], a.has[g] = s, true
	}
	return true, nil
}

func (a *meanAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	for i, v := range x.F[:n] {
		if x.Null != nil && x.Null[i] {
			continue
		}
		g := groupOf(gid, i)
		a.s[g] += v
		a.n[g]++
	}
	return true, nil
}

func (a *varAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	if len(args) > 1 {
		a.ddof = args[1].I[0]
	}
	for i, v := range x.F[:n] {
		if x.Null != nil && x.Null[i] {
			continue
		}
		g := groupOf(gid, i)
		a.n[g]++
		d := v - a.mean[g]
		a.mean[g] += d / float64(a.n[g])
		a.m2[g] += d * (v - a.mean[g])
	}
	return true, nil
}

// minMaxAcc keeps the first row of the extreme value, as its per-row add does.
func (a *minMaxAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	switch storageOf(x.T) {
	case stFloat:
		for i, v := range x.F[:n] {
			if x.Null != nil && x.Null[i] {
				continue
			}
			g := groupOf(gid, i)
			b := a.best[g]
			if c := 0; b >= 0 {
				c = cmpFloat(v, x.F[b])
				if (a.max && c <= 0) || (!a.max && c >= 0) {
					continue
				}
			}
			a.best[g] = int32(i)
		}
	case stInt:
		for i, v := range x.I[:n] {
			if x.Null != nil && x.Null[i] {
				continue
			}
			g := groupOf(gid, i)
			if b := a.best[g]; b >= 0 && ((a.max && v <= x.I[b]) || (!a.max && v >= x.I[b])) {
				continue
			}
			a.best[g] = int32(i)
		}
	default:
		return false, nil
	}
	a.src = x
	return true, nil
}

func (a *anyAllAcc) addAll(gid []int32, args []*Vec, n int) (bool, error) {
	x := args[0]
	if x.Const {
		return false, nil
	}
	for i, v := range x.B[:n] {
		if x.Null != nil && x.Null[i] {
			continue
		}
		g := groupOf(gid, i)
		if a.all {
			a.v[g] = a.v[g] && v
		} else {
			a.v[g] = a.v[g] || v
		}
	}
	return true, nil
}

// disableBulkAggregates makes every aggregate take the per-row path (set by tests that compare
// the two); it is read when a plan is compiled.
var disableBulkAggregates = false
