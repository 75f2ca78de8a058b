package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/featc/featc/ir"
)

// configName is the project file the commands read from a project's directory.
const configName = "featc.toml"

// config is a project's featc.toml: where each source's data is, default params and mode, and
// database targets. Paths are relative to the file's directory; flags override every entry.
//
//	mode = "backfill"
//	[inputs]
//	customer_accounts = "data/customer_accounts.csv"
//	[params]
//	execution_time = "2024-06-01T00:00:00"
type config struct {
	Mode   string            `toml:"mode"`
	Inputs map[string]string `toml:"inputs"`
	Params map[string]string `toml:"params"`
	// Tables maps sources to database tables or queries for the SQL engines.
	Tables map[string]string `toml:"tables"`
	dir    string
}

// loadConfig reads featc.toml from the directory of the project arguments, if there is one.
func loadConfig(paths []string) (*config, error) {
	cfg := &config{Inputs: map[string]string{}, Params: map[string]string{}, Tables: map[string]string{}}
	if len(paths) != 1 {
		return cfg, nil
	}
	dir := paths[0]
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = filepath.Dir(dir)
	}
	path := filepath.Join(dir, configName)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return cfg, nil
	}
	if err != nil {
		return nil, err
	}
	md, err := toml.Decode(string(b), cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		var keys []string
		for _, k := range undecoded {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("%s: unknown setting %s (the settings are mode, [inputs], [params], [tables])", path, strings.Join(keys, ", "))
	}
	if cfg.Inputs == nil {
		cfg.Inputs = map[string]string{}
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	if cfg.Tables == nil {
		cfg.Tables = map[string]string{}
	}
	cfg.dir = dir
	for k, v := range cfg.Inputs {
		// A file path is relative to this file; a bare name is a frame of the program (a spine).
		if !filepath.IsAbs(v) && (filepath.Ext(v) != "" || strings.ContainsRune(v, '/')) {
			cfg.Inputs[k] = filepath.Join(dir, v)
		}
	}
	return cfg, nil
}

// checkBindings refuses a binding that names nothing of the program, from a flag (inputs,
// tables and params as given on the command line) or from featc.toml: a misspelt source was
// silently ignored, and the source then read from a table of its own name or reported as
// having no data.
func checkBindings(prog *ir.Program, cfg *config, inputs, tables, params map[string]string) error {
	bindable := func(name string) bool {
		d := prog.Def(name)
		return d != nil && (d.Kind == ir.SourceDef || d.Kind == ir.EntityFeaturesDef)
	}
	isParam := func(name string) bool {
		d := prog.Def(name)
		return d != nil && d.Kind == ir.ParamDef
	}
	var names []string
	for _, d := range prog.Defs {
		if d.Kind == ir.SourceDef || d.Kind == ir.EntityFeaturesDef {
			names = append(names, d.Name)
		}
	}
	sort.Strings(names)
	what := "the program has no source or entity features %s (it has " + strings.Join(names, ", ") + ")"
	type group struct {
		flag, section   string
		given, fromFile map[string]string
		ok              func(string) bool
		what            string
	}
	for _, g := range []group{
		{"--input", "[inputs]", inputs, cfg.Inputs, bindable, what},
		{"--table", "[tables]", tables, cfg.Tables, bindable, what},
		{"--param", "[params]", params, cfg.Params, isParam, "the program has no param %s"},
	} {
		for _, k := range sortedKeys(g.given) {
			if !g.ok(k) {
				return fmt.Errorf("%s %s: "+g.what, g.flag, k, k)
			}
		}
		for _, k := range sortedKeys(g.fromFile) {
			if _, overridden := g.given[k]; !overridden && !g.ok(k) {
				return fmt.Errorf("%s: %s %s: "+g.what, filepath.Join(cfg.dir, configName), g.section, k, k)
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// keyValues parses repeated NAME=VALUE flags.
func keyValues(flagName string, list []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--%s takes NAME=VALUE, not %q", flagName, kv)
		}
		out[k] = v
	}
	return out, nil
}
