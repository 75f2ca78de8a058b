package duckdb_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
)

func TestSmoke(t *testing.T) {
	p, err := featc.Compile(os.DirFS("../../testdata/examples/accounts"))
	if err != nil { t.Fatal(err) }
	st, err := sqlgen.Compile(p.IR(), sqlgen.DuckDB, sqlgen.Options{Sources: map[string]sqlgen.Relation{"customer_accounts": {File: "../../testdata/examples/accounts/data/customer_accounts.csv"}}})
	if err != nil { t.Fatal(err) }
	db, _ := duckdb.Open("")
	conn, _ := db.Conn(context.Background())
	for _, s := range st {
		fmt.Println(s.SQL)
		rows, err := sqlrun.Query(context.Background(), conn, s)
		if err != nil { t.Fatal(err) }
		for _, r := range rows { fmt.Println(r) }
	}
}
