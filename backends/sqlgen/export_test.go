package sqlgen

// TestDialects lists the dialects for sqlgen's own tests, which link no database driver. The
// registry (backends.Engines) is the list for everything else; its tests check that the
// golden files have a section for each of its engines.
var TestDialects = []*Dialect{DuckDB, Postgres, Snowflake}
