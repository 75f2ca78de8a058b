package sqlgen

import (
	"strings"
	"testing"
)

// TestSnowflakeQuirksCited: Snowflake cannot be run here, so every SQL of its own that featc
// writes for it says why and cites the documentation page the reason comes from.
func TestSnowflakeQuirksCited(t *testing.T) {
	for key, tpl := range Snowflake.Funcs {
		if tpl.Note == "" || !strings.HasPrefix(tpl.Doc, "https://docs.snowflake.com/") {
			t.Errorf("Snowflake's %s: note %q, doc %q: say why and cite docs.snowflake.com", key, tpl.Note, tpl.Doc)
		}
	}
}
