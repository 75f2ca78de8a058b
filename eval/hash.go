package eval

import (
	"hash/maphash"
	"math"
)

// Rows are grouped, deduplicated and joined by featc's equality: nulls equal nulls (except as
// join keys, which the join skips), NaN equals NaN, -0 equals 0, strings by bytes.

var hashSeed = maphash.MakeSeed()

// hashRow hashes row i of the key columns.
func hashRow(cols []*Vec, i int) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	var buf [9]byte
	for _, c := range cols {
		if c.IsNull(i) {
			h.WriteByte(0xff)
			continue
		}
		j := c.idx(i)
		switch storageOf(c.T) {
		case stBool:
			buf[0] = byte(b2i(c.B[j]))
			h.Write(buf[:1])
		case stInt:
			putU64(buf[:], uint64(c.I[j]))
			h.Write(buf[:8])
		case stFloat:
			putU64(buf[:], floatKey(c.F[j]))
			h.Write(buf[:8])
		case stDecimal:
			putU64(buf[:], c.D[j].LowBits())
			h.Write(buf[:8])
			putU64(buf[:], uint64(c.D[j].HighBits()))
			h.Write(buf[:8])
		case stString:
			h.WriteString(c.S[j])
			h.WriteByte(0)
		}
	}
	return h.Sum64()
}

func putU64(b []byte, v uint64) {
	for k := 0; k < 8; k++ {
		b[k] = byte(v >> (8 * k))
	}
}

// rowsEqual compares row i of a with row j of b (same column types) by featc's equality,
// nulls equal.
func rowsEqual(a []*Vec, i int, b []*Vec, j int) bool {
	for k := range a {
		an, bn := a[k].IsNull(i), b[k].IsNull(j)
		if an || bn {
			if an != bn {
				return false
			}
			continue
		}
		if cmpRows(a[k], a[k].idx(i), b[k], b[k].idx(j)) != 0 {
			return false
		}
	}
	return true
}

// groupTable assigns group numbers to distinct key rows, in order of first appearance.
type groupTable struct {
	cols  []*Vec
	slots []int32 // open addressing: group+1, 0 empty
	hash  []uint64
	first []int32 // the first row of each group
}

func newGroupTable(cols []*Vec, sizeHint int) *groupTable {
	n := 16
	for n < 2*sizeHint {
		n *= 2
	}
	return &groupTable{cols: cols, slots: make([]int32, n)}
}

// group returns row i's group, adding a new one for an unseen key.
func (t *groupTable) group(i int) int32 {
	h := hashRow(t.cols, i)
	mask := uint64(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := t.slots[p]
		if s == 0 {
			g := int32(len(t.first))
			t.slots[p] = g + 1
			t.hash = append(t.hash, h)
			t.first = append(t.first, int32(i))
			if len(t.first)*2 > len(t.slots) {
				t.rehash()
			}
			return g
		}
		g := s - 1
		if t.hash[g] == h && rowsEqual(t.cols, i, t.cols, int(t.first[g])) {
			return g
		}
	}
}

// lookup returns the group of a row of other columns with the same types, or -1.
func (t *groupTable) lookup(cols []*Vec, i int) int32 {
	h := hashRow(cols, i)
	mask := uint64(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := t.slots[p]
		if s == 0 {
			return -1
		}
		g := s - 1
		if t.hash[g] == h && rowsEqual(cols, i, t.cols, int(t.first[g])) {
			return g
		}
	}
}

func (t *groupTable) rehash() {
	slots := make([]int32, 2*len(t.slots))
	mask := uint64(len(slots) - 1)
	for g, h := range t.hash {
		p := h & mask
		for slots[p] != 0 {
			p = (p + 1) & mask
		}
		slots[p] = int32(g) + 1
	}
	t.slots = slots
}

func (t *groupTable) len() int { return len(t.first) }

var _ = math.MaxInt32
