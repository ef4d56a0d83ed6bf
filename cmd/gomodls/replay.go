package main

import (
	"flag"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/gomodls/gomodls/workspace"
)

// A check whose every input is as it was when the same check last ran
// prints what it printed then, without checking again: the record of the
// last check (workspace.Recording) says what it looked at on disk, and
// looking at those things again costs a system call each, a few
// milliseconds where the check costs a few tens without the package
// index and about as long as `go list -m all` with it (BENCHMARKS.md).
// `go test` replays a test whose inputs are unchanged the same way. The
// record is the package index's ($GOMODLS_CACHE; "off" checks afresh
// every time).

// outputSettings are the check's flags that shape what it prints, each
// name=value (a flag added later counts, unless it is named here), and
// the directory checked: -log-level says only what goes to stderr, and
// -replay whether to replay, so a check with either records for a check
// without.
func outputSettings(fs *flag.FlagSet, root string) []string {
	var settings []string
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "log-level" && f.Name != "replay" {
			settings = append(settings, f.Name+"="+f.Value.String())
		}
	})
	return append(settings, "dir="+root)
}

// checkRecordKey says what a check's output depends on besides the disk:
// the gomodls binary, the settings (outputSettings), the working
// directory, the process environment and the go environment read from
// it. ok is false when the binary cannot be told apart from another
// build (no look at it): such a check is neither recorded nor replayed.
func checkRecordKey(env, settings []string, goEnv workspace.Env) (key string, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	info, err := os.Stat(exe)
	if err != nil {
		return "", false
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	var b strings.Builder
	b.WriteString("gomodls check\n")
	b.WriteString(exe + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10) + "\n")
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.String())
	}
	b.WriteString("\x00settings\n")
	for _, a := range settings {
		b.WriteString(strconv.Quote(a) + "\n")
	}
	b.WriteString("\x00cwd " + strconv.Quote(cwd) + "\n")
	b.WriteString("\x00env\n")
	for _, kv := range sortedEnv(env) {
		b.WriteString(strconv.Quote(kv) + "\n")
	}
	b.WriteString("\x00go env\n")
	b.WriteString(goEnv.Key())
	return b.String(), true
}

// sortedEnv is env without the variables a shell changes on its own
// (OLDPWD at every cd, _ at every command), which no check reads, sorted.
func sortedEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if strings.HasPrefix(kv, "OLDPWD=") || strings.HasPrefix(kv, "_=") {
			continue
		}
		out = append(out, kv)
	}
	slices.Sort(out)
	return out
}

// A check's payload is what it printed on stdout, after one byte saying
// whether it failed (errFindings).
func checkPayload(stdout []byte, failed bool) []byte {
	p := make([]byte, 0, len(stdout)+1)
	if failed {
		p = append(p, '1')
	} else {
		p = append(p, '0')
	}
	return append(p, stdout...)
}

func splitCheckPayload(p []byte) (stdout []byte, failed bool, ok bool) {
	if len(p) == 0 || p[0] != '0' && p[0] != '1' {
		return nil, false, false
	}
	return p[1:], p[0] == '1', true
}
