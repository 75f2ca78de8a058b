package dataio

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
)

// TestRoundTrips reads a CSV, writes it as Arrow IPC and Parquet, and reads both back.
func TestRoundTrips(t *testing.T) {
	dir := t.TempDir()
	schema := ir.Schema{{Name: "k", Type: types.Int64T}, {Name: "d", Type: types.DateT}, {Name: "x", Type: types.DecimalType(10, 2)},
		{Name: "s", Type: types.StringT}, {Name: "t", Type: types.TimestampT}}
	csvPath := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("k,d,x,s,t,extra\n1,2024-02-29,1.50,héllo,2024-01-01 08:00:00.25,z\n,,,,,\n"), 0o644))
	mem := memory.DefaultAllocator
	rec, err := Read(mem, csvPath, schema)
	require.NoError(t, err)
	defer rec.Release()
	require.EqualValues(t, 2, rec.NumRows())

	ipcPath := filepath.Join(dir, "in.arrow")
	f, err := os.Create(ipcPath)
	require.NoError(t, err)
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	require.NoError(t, err)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	pqPath := filepath.Join(dir, "in.parquet")
	require.NoError(t, WriteParquet(pqPath, rec))

	for _, p := range []string{ipcPath, pqPath} {
		back, err := Read(mem, p, schema)
		require.NoError(t, err, p)
		for c := 0; c < int(rec.NumCols()); c++ {
			for i := 0; i < int(rec.NumRows()); i++ {
				want, _ := cell(rec.Column(c), i)
				got, _ := cell(back.Column(c), i)
				require.Equal(t, want, got, "%s column %d row %d", p, c, i)
				require.Equal(t, rec.Column(c).IsNull(i), back.Column(c).IsNull(i))
			}
		}
		back.Release()
	}
	v, _ := cell(rec.Column(4), 0)
	require.Equal(t, "2024-01-01T08:00:00.25", v)
}

func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(p, []byte("a\n1\n"), 0o644))
	_, err := Read(memory.DefaultAllocator, p, ir.Schema{{Name: "b", Type: types.Int64T}})
	require.EqualError(t, err, p+": column b is missing (the header has a)")
	_, err = Read(memory.DefaultAllocator, filepath.Join(dir, "x.txt"), nil)
	require.ErrorContains(t, err, "unknown file format")
}
