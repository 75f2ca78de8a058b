package eval

// Typed loops for the generic kernels (case, fill_null, coalesce, between) on the storages
// where they are hot: they replace a per-row switch on the storage by a loop over one slice
// type (Go instantiates generic code per element shape, so these loops are as tight as
// hand-written ones).

// slotOf returns the storage slice of a vector for element type T.
func sliceOf[T int64 | float64 | bool | string](v *Vec) []T {
	var zero T
	switch any(zero).(type) {
	case int64:
		return any(v.I).([]T)
	case float64:
		return any(v.F).([]T)
	case bool:
		return any(v.B).([]T)
	default:
		return any(v.S).([]T)
	}
}

// caseTyped evaluates when(c1).then(v1)….otherwise(d) for one storage.
func caseTyped[T int64 | float64 | bool | string](k *kctx, out *Vec, args []*Vec) {
	out.resize(out.T, k.n)
	r := sliceOf[T](out)
	pairs := (len(args) - 1) / 2
	// The common when(c).then(x).otherwise(y) without nulls: a select per row.
	if c, x, y := args[0], args[1], args[len(args)-1]; pairs == 1 && !c.Const && c.Null == nil && x.Null == nil && y.Null == nil {
		cv := c.B[:len(r)]
		xv, yv := sliceOf[T](x), sliceOf[T](y)
		switch {
		case !x.Const && !y.Const:
			xv, yv = xv[:len(r)], yv[:len(r)]
			for i := range r {
				if cv[i] {
					r[i] = xv[i]
				} else {
					r[i] = yv[i]
				}
			}
		case !x.Const:
			xv = xv[:len(r)]
			y0 := yv[0]
			for i := range r {
				if cv[i] {
					r[i] = xv[i]
				} else {
					r[i] = y0
				}
			}
		default:
			x0 := xv[0]
			for i := range r {
				if cv[i] {
					r[i] = x0
				} else {
					r[i] = yv[y.idx(i)]
				}
			}
		}
		return
	}
	def := args[len(args)-1]
	dv := sliceOf[T](def)
	for i := range r {
		chosen := def
		vals := dv
		for p := 0; p < pairs; p++ {
			c := args[2*p]
			if !c.IsNull(i) && c.B[c.idx(i)] {
				chosen = args[2*p+1]
				vals = sliceOf[T](chosen)
				break
			}
		}
		if chosen.IsNull(i) {
			markNull(out, i)
			continue
		}
		r[i] = vals[chosen.idx(i)]
	}
}

// coalesceTyped returns the first non-null argument per row.
func coalesceTyped[T int64 | float64 | bool | string](k *kctx, out *Vec, args []*Vec) {
	out.resize(out.T, k.n)
	r := sliceOf[T](out)
	first := args[0]
	fv := sliceOf[T](first)
	if first.Null == nil {
		if first.Const {
			for i := range r {
				r[i] = fv[0]
			}
		} else {
			copy(r, fv[:k.n])
		}
		return
	}
rows:
	for i := range r {
		for _, a := range args {
			if !a.IsNull(i) {
				r[i] = sliceOf[T](a)[a.idx(i)]
				continue rows
			}
		}
		markNull(out, i)
	}
}

type ordered interface{ int64 | string }

// betweenOrdered tests lo <= x <= hi (bounds by the closed option) for integers and strings.
func betweenOrdered[T ordered](k *kctx, out *Vec, args []*Vec) {
	x, lo, hi := args[0], args[1], args[2]
	mode := args[3].S[0]
	incL, incR := mode == "both" || mode == "left", mode == "both" || mode == "right"
	out.resize(out.T, k.n)
	mergeNulls(out, x, lo, hi)
	xv, lv, hv := sliceOf[T](x), sliceOf[T](lo), sliceOf[T](hi)
	for i := range out.B {
		v, l, h := xv[x.idx(i)], lv[lo.idx(i)], hv[hi.idx(i)]
		out.B[i] = (v > l || (incL && v == l)) && (v < h || (incR && v == h))
	}
}

// typedGeneric returns the typed kernel of a generic family for a kind's storage, or nil.
func typedGeneric(family, kind string) kernel {
	switch family {
	case "case":
		switch kind {
		case "int64", "date", "timestamp", "duration":
			return func(k *kctx, out *Vec, a []*Vec) error { caseTyped[int64](k, out, a); return nil }
		case "float64":
			return func(k *kctx, out *Vec, a []*Vec) error { caseTyped[float64](k, out, a); return nil }
		case "bool":
			return func(k *kctx, out *Vec, a []*Vec) error { caseTyped[bool](k, out, a); return nil }
		case "string":
			return func(k *kctx, out *Vec, a []*Vec) error { caseTyped[string](k, out, a); return nil }
		}
	case "coalesce", "fill_null":
		switch kind {
		case "int64", "date", "timestamp", "duration":
			return func(k *kctx, out *Vec, a []*Vec) error { coalesceTyped[int64](k, out, a); return nil }
		case "float64":
			return func(k *kctx, out *Vec, a []*Vec) error { coalesceTyped[float64](k, out, a); return nil }
		case "bool":
			return func(k *kctx, out *Vec, a []*Vec) error { coalesceTyped[bool](k, out, a); return nil }
		case "string":
			return func(k *kctx, out *Vec, a []*Vec) error { coalesceTyped[string](k, out, a); return nil }
		}
	case "between":
		switch kind {
		case "int64", "date", "timestamp", "duration":
			return betweenInts
		case "string":
			return func(k *kctx, out *Vec, a []*Vec) error { betweenOrdered[string](k, out, a); return nil }
		}
	}
	return nil
}

// betweenInts is between for integer storage: bounds are broadcast, one loop over columns.
func betweenInts(k *kctx, out *Vec, args []*Vec) error {
	mode := args[3].S[0]
	incL, incR := mode == "both" || mode == "left", mode == "both" || mode == "right"
	out.resize(out.T, k.n)
	mergeNulls(out, args[0], args[1], args[2])
	r := out.B
	x, lo, hi := k.intColumn(0, args[0], len(r)), k.intColumn(1, args[1], len(r)), k.intColumn(2, args[2], len(r))
	for i := range r {
		v, l, h := x[i], lo[i], hi[i]
		r[i] = (v > l || (incL && v == l)) && (v < h || (incR && v == h))
	}
	return nil
}
