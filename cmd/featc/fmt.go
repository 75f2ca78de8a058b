package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/featc/featc/lang"
)

func (c *cli) fmt(args []string) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	check := fs.Bool("check", false, "list the files that are not formatted, and change nothing")
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	projects, err := c.loadProjects(paths)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	status := exitOK
	for _, p := range projects {
		for _, src := range p.srcs {
			out, diags := lang.FormatSource(src.Name, src.Text)
			if c.report(diags) {
				status = exitFail
				continue
			}
			if out == src.Text {
				continue
			}
			if *check {
				fmt.Fprintln(c.stdout, src.Name)
				status = exitFail
				continue
			}
			path := p.paths[src.Name]
			info, err := os.Stat(path)
			if err != nil {
				fmt.Fprintf(c.stderr, "featc: %v\n", err)
				return exitFail
			}
			// Write beside and rename, so that a failure never leaves a half-written file.
			tmp := path + ".featfmt.tmp"
			if err := os.WriteFile(tmp, []byte(out), info.Mode().Perm()); err != nil {
				fmt.Fprintf(c.stderr, "featc: cannot write %s: %v\n", path, unwrapPathError(err))
				return exitFail
			}
			if err := os.Rename(tmp, path); err != nil {
				os.Remove(tmp)
				fmt.Fprintf(c.stderr, "featc: cannot replace %s: %v\n", path, unwrapPathError(err))
				return exitFail
			}
		}
	}
	return status
}
