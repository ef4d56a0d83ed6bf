// Command fakego stands in for the go command in cmd/gomodls'
// robustness suite (robust_test.go), which puts it first in PATH as "go".
// It records every run — the directory and the arguments, one JSON object
// a line — in the file $GOMODLS_FAKEGO_LOG, so that a test can tell whether
// gomodls ran go at all and where. `go env` is answered by the real go
// command ($GOMODLS_FAKEGO_REAL), because gomodls reads its environment
// that way; any other command runs nothing and instead leaves the mark a
// real go mod tidy or go work init would leave — a line appended to the
// go.mod of its directory, a go.work created for work init — so that a
// test also sees which files a command would have rewritten. Nothing here
// touches the network.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// run is one line of the log.
type run struct {
	Dir  string   `json:"dir"`
	Args []string `json:"args"`
}

func main() {
	dir, err := os.Getwd()
	if err != nil {
		dir = "?" + err.Error()
	}
	if err := record(run{Dir: dir, Args: os.Args[1:]}); err != nil {
		fmt.Fprintf(os.Stderr, "fake go: %v\n", err)
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "env" {
		os.Exit(realGo(os.Args[1:]))
	}
	mark(strings.Join(os.Args[1:], " "))
}

// record appends r to the log. O_APPEND keeps concurrent runs' lines whole.
func record(r run) error {
	path := os.Getenv("GOMODLS_FAKEGO_LOG")
	if path == "" {
		return fmt.Errorf("GOMODLS_FAKEGO_LOG is not set")
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// realGo runs the real go command with args and returns its exit code.
func realGo(args []string) int {
	goCmd := os.Getenv("GOMODLS_FAKEGO_REAL")
	if goCmd == "" {
		fmt.Fprintln(os.Stderr, "fake go: GOMODLS_FAKEGO_REAL is not set")
		return 1
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "fake go: %v\n", err)
		return 1
	}
	return 0
}

// mark leaves in the current directory the trace of the command that
// "ran": go.mod gains a comment line, and work init creates go.work.
func mark(command string) {
	if strings.HasPrefix(command, "work init") {
		if err := os.WriteFile("go.work", []byte("go 1.22\n"), 0o666); err != nil {
			fmt.Fprintf(os.Stderr, "fake go: %v\n", err)
			os.Exit(1)
		}
	}
	f, err := os.OpenFile("go.mod", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return // no go.mod here: nothing to mark
	}
	defer f.Close()
	fmt.Fprintf(f, "// rewritten by the fake go: go %s\n", command)
}
