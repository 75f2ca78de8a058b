package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/lang"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // diagnostics, failed expectations, differences found
	exitUsage = 2 // bad flags or arguments
)

// command is one featc subcommand.
type command struct {
	name  string
	usage string
	short string
	run   func(c *cli, args []string) int
}

// cli carries the streams of one invocation, so that tests run commands in-process, and its
// context, which a signal cancels (see main).
type cli struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	// shown holds the warnings already printed, so that one compiled several times (verify:
	// once per output and engine) is printed once.
	shown map[string]bool
}

func commands() []*command {
	return []*command{
		{"check", "featc check DIR|FILE...", "type-check .feat files in every mode; diagnostics on stderr", (*cli).check},
		{"explain", "featc explain DIR|FILE... [--output NAME...] [--mode M] [--downstream NAME] [--graph dot|mermaid] [--modes] [--functions [--markdown]] [--polars --markdown]",
			"show typed plans, lineage and the definitions' graph", (*cli).explain},
		{"fmt", "featc fmt [--check] DIR|FILE...", "rewrite .feat files in canonical form (--check: list the files that would change)", (*cli).fmt},
		{"compile", "featc compile DIR|FILE... --target " + strings.Join(backends.Names(), "|") + " [--output NAME...] [--mode M] [--input NAME=PATH...] [--table NAME=TABLE...] [--param NAME=VALUE...]",
			"print the SQL computing the outputs on an engine", (*cli).compile},
		{"run", "featc run DIR|FILE... [--input NAME=PATH...] [--table NAME=TABLE...] [--param NAME=VALUE...] [--output NAME...] [--mode M] [--engine " + strings.Join(engineNames(), "|") + "] [--target DB] [--format table|csv|json|parquet] [--out PATH] [--expect declared|warn|off]",
			"compute outputs over input files or tables and print or write them", (*cli).run},
		{"verify", "featc verify DIR|FILE... [--input NAME=PATH...] [--param NAME=VALUE...] [--output NAME...] [--mode M] " + verifyEngineFlags() + " [--max N]",
			"run the outputs on the evaluator and on every engine over the same data, and report each difference", (*cli).verify},
		{"backfill", "featc backfill DIR|FILE... --target DB --output NAME --into TABLE [--spine NAME|PATH|TABLE] [--input NAME=PATH...] [--table NAME=TABLE...] [--param NAME=VALUE...] [--mode M] [--expect declared|warn|off]",
			"compute an output on a database and write it into a table, atomically", (*cli).backfill},
	}
}

// run runs one invocation in-process (the tests' entry point): nothing cancels it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext runs one invocation; canceling ctx cancels the statements it runs on engines.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, shown: map[string]bool{}}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintln(stdout, versionText())
		return exitOK
	case "help", "-h", "-help", "--help":
		if len(args) == 1 {
			c.usage(stdout)
			return exitOK
		}
		for _, cmd := range commands() {
			if cmd.name == args[1] {
				// The command prints its own synopsis and flags, as for `featc CMD --help`.
				return cmd.run(c, []string{"--help"})
			}
		}
		fmt.Fprintf(stderr, "featc: unknown command %q\n\n", args[1])
		c.usage(stderr)
		return exitUsage
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] {
			return cmd.run(c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "featc: unknown command %q\n\n", args[0])
	c.usage(stderr)
	return exitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "featc compiles ML feature definitions (.feat files).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", cmd.name, cmd.short)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `featc help COMMAND` (or `featc COMMAND --help`) for a command's flags;")
	fmt.Fprintln(w, "`featc --version` for the version. Docs: docs/cli.md.")
}

// parseFlags parses flags placed anywhere among the positional arguments, as users write
// `featc compile DIR --target duckdb`. When it returns false, the command ends with the exit
// status it gives: 0 after --help (the synopsis and every flag, on stdout), 2 after a bad flag.
func (c *cli) parseFlags(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	fs.SetOutput(c.stderr)
	fs.Usage = func() {} // bad flags: the flag package's one-line message, then the help hint
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.commandHelp(c.stdout, fs)
				return nil, exitOK, false
			}
			fmt.Fprintf(c.stderr, "run `featc help %s` for its flags\n", fs.Name())
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, 0, true
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// commandHelp writes a command's synopsis, what it does, and every flag with its default.
func (c *cli) commandHelp(w io.Writer, fs *flag.FlagSet) {
	for _, cmd := range commands() {
		if cmd.name == fs.Name() {
			fmt.Fprintf(w, "usage: %s\n\n%s\n", cmd.usage, cmd.short)
		}
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(c.stderr)
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// project is what the positional arguments name: the .feat sources of one namespace.
type project struct {
	srcs []featc.Source
	// paths maps each source name to the file it was read from (for fmt).
	paths map[string]string
}

// loadProjects reads the arguments: each directory is a namespace of its own; all files given
// directly form one more.
func (c *cli) loadProjects(args []string) ([]*project, error) {
	if len(args) == 0 {
		return nil, errors.New("no .feat files or directories given")
	}
	var projects []*project
	loose := &project{paths: map[string]string{}}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", a, unwrapPathError(err))
		}
		if st.IsDir() {
			p := &project{paths: map[string]string{}}
			entries, err := os.ReadDir(a)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				if e.IsDir() || !strings.HasSuffix(e.Name(), ".feat") {
					continue
				}
				if err := p.add(filepath.Join(a, e.Name())); err != nil {
					return nil, err
				}
			}
			if len(p.srcs) == 0 {
				return nil, fmt.Errorf("no .feat files in %s", a)
			}
			projects = append(projects, p)
			continue
		}
		if err := loose.add(a); err != nil {
			return nil, err
		}
	}
	if len(loose.srcs) > 0 {
		projects = append(projects, loose)
	}
	return projects, nil
}

func (p *project) add(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	p.srcs = append(p.srcs, featc.Source{Name: path, Text: string(b)})
	p.paths[path] = path
	return nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadOne reads the arguments as a single namespace (commands that compile one program).
func (c *cli) loadOne(args []string) (*project, bool) {
	projects, err := c.loadProjects(args)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return nil, false
	}
	if len(projects) > 1 {
		fmt.Fprintln(c.stderr, "featc: give one directory, or .feat files of one namespace")
		return nil, false
	}
	return projects[0], true
}

// report renders diagnostics on stderr and says whether any is an error. A warning already
// shown by this invocation is not shown again.
func (c *cli) report(diags lang.Diagnostics) bool {
	var fresh lang.Diagnostics
	for _, d := range diags {
		if d.Severity != lang.Error {
			key := d.Error()
			if c.shown[key] {
				continue
			}
			c.shown[key] = true
		}
		fresh = append(fresh, d)
	}
	fresh.Render(c.stderr)
	return diags.HasErrors()
}

// reportErr renders a compilation error: diagnostics in full, anything else on one line.
func (c *cli) reportErr(err error) {
	var de *lang.DiagnosticsError
	if errors.As(err, &de) {
		de.Diags.Render(c.stderr)
		return
	}
	fmt.Fprintf(c.stderr, "featc: %v\n", err)
}

func (c *cli) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	projects, err := c.loadProjects(paths)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	failed := false
	errs, warns := 0, 0
	for _, p := range projects {
		diags := featc.CheckSources(p.srcs)
		if c.report(diags) {
			failed = true
		}
		for _, d := range diags {
			if d.Severity == lang.Error {
				errs++
			} else {
				warns++
			}
		}
	}
	if failed {
		fmt.Fprintf(c.stderr, "%d error(s), %d warning(s)\n", errs, warns)
		return exitFail
	}
	return exitOK
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
