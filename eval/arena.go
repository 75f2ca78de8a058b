package eval

import "unsafe"

// arena holds the bytes of strings computed during a run, so that computing them allocates
// nothing once the arena has grown to its steady size. Strings point into it; it is reset when
// the run's result is released, which is why results are valid only until then.
type arena struct {
	buf []byte
}

func (a *arena) reset() { a.buf = a.buf[:0] }

// mark returns the position at which the next string starts.
func (a *arena) mark() int { return len(a.buf) }

// since returns the bytes appended after mark as a string.
func (a *arena) since(mark int) string {
	if len(a.buf) == mark {
		return ""
	}
	return unsafe.String(&a.buf[mark], len(a.buf)-mark)
}

// copyString stores s's bytes in the arena.
func (a *arena) copyString(s string) string {
	m := a.mark()
	a.buf = append(a.buf, s...)
	return a.since(m)
}
