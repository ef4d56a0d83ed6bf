// Lspbench measures what a user of a language server waits for on a go.mod:
// it drives any LSP server over stdio through a fixed workload and reports
// how long diagnostics take and how much memory the server holds.
//
//	go run ./internal/lspbench [flags] -- <server command...>
//
// For example, gomodls and gopls (gopls v0.23.0 from
// `go install golang.org/x/tools/gopls@v0.23.0`) on the same workload:
//
//	go build -o /tmp/gomodls ./cmd/gomodls
//	go run ./internal/lspbench -workspace DIR -file server/go.mod -compare-gopls \
//		-env GOFLAGS= -env GOPROXY=off -- /tmp/gomodls serve
//
// The workload: start the server in the workspace directory; initialize it
// with the directory as rootUri and only workspace folder and the
// capabilities of an editor (versioned publishDiagnostics, workspace
// folders, dynamically registered file watchers, configuration, work done
// progress; every request the server sends is answered, with null or one
// null per configuration item); open the go.mod (-file, default the
// shallowest go.mod under the workspace) and wait for its diagnostics; then
// -edits full-content didChange edits, each waiting for the
// publishDiagnostics of that file at that version (or, from a server that
// publishes without a version, the first for that file after the change)
// before the next; then, once the server is idle (no CPU time used for
// 250ms, read from /proc; at most -settle, 10s by default, and exactly
// that where there is no /proc), shutdown and exit. A server that publishes one
// version in stages is timed at its first publish; gopls in particular
// holds back its go.mod diagnostics for its diagnosticsDelay setting (1s
// by default) after an edit, which is what its users wait for, and which
// -configuration '{"diagnosticsDelay":"0s"}' removes (the value answers
// every workspace/configuration item, for every server run).
//
// An edit alternates one require line (-require, default the first direct
// require without a comment) between a changed form and the text on disk.
// With -alt-version V the change writes V as its version, which changes
// what the go.mod means (and maybe the diagnostics: V should be in the
// module cache to be a fair test). Without, the change appends
// "// lspbench N" to the line (extending "// indirect" to
// "// indirect; lspbench N", which keeps it indirect): the buffer changes
// but not its meaning, which measures the cost of one edit's round trip.
//
// Reported per server: initialize sent → its answer, → the first
// publishDiagnostics (any file), → the first for the opened file; edit →
// publish p50/p90/p99/max (nearest rank over the edits); the server's peak
// resident set (VmHWM from /proc, polled), the peak of the server and its
// children together (sampled), and wait4's ru_maxrss (the largest of the
// server and the children it waited for). With -runs K each number is the
// median over K runs, the servers taking turns. The wait for idleness is
// there so that the peak memory includes what a server does after its
// last answer, as it would with an editor left open: gomodls, for one,
// checks the other files of the workspace after publishing the edited
// one's, and a shutdown right after the last edit would stop that work
// before its peak. A run that did not become idle within -settle says so. -compare-gopls runs the
// same workload on gopls (-gopls) too and prints gopls's number divided by
// the server's. -json writes the same for machines.
//
// The server inherits the environment, plus each -env KEY=VALUE (and
// -gomodcache DIR, GOMODCACHE=DIR), for a hermetic run:
// -env GOFLAGS= -env GOPROXY=off -env GOTOOLCHAIN=local.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // the servers are killed on the way out
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lspbench:", err)
		}
		os.Exit(2)
	}
}

// envFlag is a repeatable KEY=VALUE flag.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, " ") }

func (e *envFlag) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}

// run is the program: it parses args, runs the workload on each server and
// writes the report on stdout, progress on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("lspbench", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: lspbench [flags] -- <server command...>")
		fset.PrintDefaults()
	}
	workspaceDir := fset.String("workspace", ".", "the workspace `dir`: the server's working directory, rootUri and only workspace folder")
	file := fset.String("file", "", "the go.mod to open and edit, relative to the workspace (default the shallowest go.mod)")
	edits := fset.Int("edits", 50, "how many edits")
	altVersion := fset.String("alt-version", "", "the `version` odd edits write on the require line (default: append a \"// lspbench N\" comment instead, which does not change what the go.mod means)")
	requirePath := fset.String("require", "", "the module `path` of the require line to edit (default the first direct require without a comment)")
	editTimeout := fset.Duration("edit-timeout", 60*time.Second, "how long to wait for one edit's diagnostics before counting it as timed out")
	initTimeout := fset.Duration("init-timeout", 5*time.Minute, "how long to wait for initialize and the opened file's first diagnostics")
	settle := fset.Duration("settle", 10*time.Second, "at most how long to wait after the last edit's diagnostics for the server to be idle before shutdown, so that its work after its last answer counts in its peak memory (0: no wait)")
	var env envFlag
	fset.Var(&env, "env", "`KEY=VALUE` added to the servers' environment (repeatable)")
	gomodcache := fset.String("gomodcache", "", "the servers' GOMODCACHE (the same as -env GOMODCACHE=`dir`)")
	runs := fset.Int("runs", 1, "how many runs per server; each number reported is the median")
	asJSON := fset.Bool("json", false, "write the report as JSON")
	compareGopls := fset.Bool("compare-gopls", false, "also run the workload on gopls and print the ratios gopls/server")
	goplsCmd := fset.String("gopls", "gopls", "the gopls `command line` -compare-gopls runs, split at spaces (its first word looked up in PATH)")
	configuration := fset.String("configuration", "null", "the `JSON` value answered for every workspace/configuration item (null: the server's defaults); e.g. '{\"diagnosticsDelay\":\"0s\"}' for gopls")
	if err := fset.Parse(args); err != nil {
		return err
	}
	server := fset.Args()
	if len(server) == 0 {
		fset.Usage()
		return errors.New("no server command after --")
	}
	if *edits < 0 || *runs < 1 || *settle < 0 {
		return errors.New("-edits and -settle must be at least 0, and -runs at least 1")
	}
	if !json.Valid([]byte(*configuration)) {
		return fmt.Errorf("-configuration %q is not JSON", *configuration)
	}
	if *gomodcache != "" {
		// The go command refuses a relative GOMODCACHE (go env fails, and
		// a server falls back to a cache it cannot read).
		dir, err := filepath.Abs(*gomodcache)
		if err != nil {
			return err
		}
		env = append(env, "GOMODCACHE="+dir)
	}

	ws, err := filepath.Abs(*workspaceDir)
	if err != nil {
		return err
	}
	rel := *file
	if rel == "" {
		if rel, err = shallowestGoMod(ws); err != nil {
			return err
		}
	}
	path := filepath.Join(ws, rel)
	content, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	plan, err := planEdits(path, content, *requirePath, *altVersion)
	if err != nil {
		return err
	}
	w := workload{Workspace: ws, File: path, Plan: plan, Edits: *edits, Env: env, InitTimeout: *initTimeout, EditTimeout: *editTimeout, Settle: *settle, Configuration: json.RawMessage(*configuration)}

	servers := []benchedServer{{Name: filepath.Base(server[0]), Command: server}}
	if *compareGopls {
		gopls := strings.Fields(*goplsCmd)
		if len(gopls) == 0 {
			return errors.New("-gopls is empty")
		}
		exe, err := exec.LookPath(gopls[0])
		if err != nil {
			return fmt.Errorf("-compare-gopls: %w", err)
		}
		gopls[0] = exe
		servers = append(servers, benchedServer{Name: "gopls", Command: gopls})
		if servers[0].Name == "gopls" {
			servers[0].Name = "server"
		}
	}

	fmt.Fprintf(stderr, "lspbench: %s in %s: %d edits of require %s (%s)\n", rel, ws, *edits, plan.Require, plan.Change)
	for r := 1; r <= *runs; r++ {
		for i := range servers {
			s := &servers[i]
			fmt.Fprintf(stderr, "run %d/%d: %s\n", r, *runs, strings.Join(s.Command, " "))
			m, err := runOnce(ctx, s.Command, w, stderr)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.Name, r, err)
			}
			s.Runs = append(s.Runs, m)
		}
	}

	rep := newReport(w, rel, *runs, servers)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.writeTable(stdout)
}

// A benchedServer is one server command and its runs.
type benchedServer struct {
	Name    string
	Command []string
	Runs    []measurement
}

// shallowestGoMod finds the go.mod nearest the workspace root (the first in
// lexical order among the shallowest), skipping the directories the go
// command does: vendor, testdata, and names starting with . or _.
func shallowestGoMod(root string) (string, error) {
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: not where the go.mod is
		}
		if d.IsDir() && p != root {
			if n := d.Name(); n == "vendor" || n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				return filepath.SkipDir
			}
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			rel, _ := filepath.Rel(root, p)
			found = append(found, rel)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		return "", fmt.Errorf("no go.mod under %s (use -file)", root)
	}
	depth := func(p string) int { return strings.Count(p, string(filepath.Separator)) }
	slices.SortStableFunc(found, func(a, b string) int { return depth(a) - depth(b) })
	return found[0], nil
}
