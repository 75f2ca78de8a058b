package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
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
