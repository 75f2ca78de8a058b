// Command featc compiles ML feature definitions (.feat files): it checks them, explains their
// plans, formats them, evaluates them in-process and lowers them to SQL.
//
// Usage: featc <command> [arguments]; featc help <command> for details. See docs/cli.md.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
