// Command featc compiles ML feature definitions (.feat files): it checks them, explains their
// plans, formats them, evaluates them in-process and lowers them to SQL.
//
// Usage: featc <command> [arguments]; featc help <command> for details. See docs/cli.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, caught := cancelOnSignal()
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if sig := caught(); sig != 0 {
		code = 128 + int(sig)
	}
	os.Exit(code)
}

// signalGrace is how long featc waits, after SIGTERM or SIGINT, for the running statements to
// be canceled on their engines before it exits anyway.
const signalGrace = 15 * time.Second

// cancelOnSignal returns a context that SIGTERM (what timeout, Kubernetes, systemd and Airflow
// send) or SIGINT (Ctrl-C) cancels, which cancels the statements running on engines (on
// Postgres, by a cancel request), and a function reporting the signal caught (0 for none), so
// that featc exits as a process killed by it would: 128 + 15 = 143, 128 + 2 = 130. A second
// signal, or a command still running signalGrace later, exits at once.
func cancelOnSignal() (context.Context, func() syscall.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	var got atomic.Int32
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		sig := (<-ch).(syscall.Signal)
		got.Store(int32(sig))
		fmt.Fprintf(os.Stderr, "featc: %s: canceling\n", strings.ToUpper(sigName(sig)))
		cancel()
		select {
		case <-ch:
		case <-time.After(signalGrace):
		}
		os.Exit(128 + int(sig))
	}()
	return ctx, func() syscall.Signal { return syscall.Signal(got.Load()) }
}

func sigName(s syscall.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "sigterm"
	case syscall.SIGINT:
		return "sigint"
	}
	return s.String()
}

// version is featc's version, set when building a release:
//
//	go build -ldflags "-X main.version=v1.2.0" ./cmd/featc
//
// Otherwise it is read from the build information: the module version for `go install
// …@version`, else the VCS revision the binary was built from.
var version = ""

// versionText is the line `featc --version` prints.
func versionText() string {
	v := version
	var rev, modified string
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = "+modified"
				}
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	out := "featc " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += " (" + rev + modified + ")"
	}
	return out + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
