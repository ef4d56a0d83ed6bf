package lsp_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

const (
	logServerWatcher = "watching files with fsnotify"
	logClientWatcher = "watching files through the client"
)

// A client that cannot register file watchers (Neovim on Linux) still gets
// diagnostics for files changed on disk: the server watches them itself.
func TestServerWatchesDiskForClientWithoutDynamicRegistration(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- go.mod --\n" + fixedGoMod,
		Options: lsp.Options{WatchDebounce: 10 * time.Millisecond},
	})
	caps := lsptest.AllCapabilities
	caps.DynamicWatchers = false
	c.Initialize(caps)
	c.Await("the server's file watcher", func() bool { return c.Logs().FilterMessage(logServerWatcher).Len() > 0 })

	c.WriteFile("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	c.WriteFile("go.mod", fixedGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

	// A module created in a new directory is found, though the directory
	// did not exist when watching began.
	c.WriteFile("sub/deeper/go.mod", brokenGoMod)
	c.AwaitDiagnostics("sub/deeper/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	// Deleting the directory forgets its files.
	c.RemoveAll("sub")
	c.AwaitDiagnostics("sub/deeper/go.mod", lsptest.NoDiagnostics)

	if regs := c.Registrations(); len(regs) != 0 {
		t.Errorf("server registered %v with a client that cannot register", regs)
	}
}

// A client that can watch files is asked to, with the module file globs and
// a delete-only vendor glob, and the server does not watch by itself.
func TestClientWatchersAreRegistered(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.mod --
module example.com/m

go 1.22
-- vendor/modules.txt --
# example.com/a v1.0.0
## explicit
example.com/a
stray line
`})
	c.Initialize(lsptest.AllCapabilities)
	c.Await("file watcher registration", func() bool { return len(c.Registrations()) > 0 })
	reg := c.Registrations()[0]
	if reg.Method != protocol.MethodWorkspaceDidChangeWatchedFiles {
		t.Fatalf("registered %q, want %q", reg.Method, protocol.MethodWorkspaceDidChangeWatchedFiles)
	}
	var opts protocol.DidChangeWatchedFilesRegistrationOptions
	raw, _ := json.Marshal(reg.RegisterOptions)
	if err := json.Unmarshal(raw, &opts); err != nil {
		t.Fatal(err)
	}
	want := []protocol.FileSystemWatcher{
		{GlobPattern: "**/go.mod"}, {GlobPattern: "**/go.work"}, {GlobPattern: "**/go.sum"},
		{GlobPattern: "**/go.work.sum"}, {GlobPattern: "**/vendor/modules.txt"}, {GlobPattern: "**/*.go"},
		{GlobPattern: "**/vendor", Kind: protocol.WatchKindDelete},
	}
	if !slices.Equal(opts.Watchers, want) {
		t.Errorf("watchers = %+v, want %+v", opts.Watchers, want)
	}
	c.Await("the log line", func() bool { return c.Logs().FilterMessage(logClientWatcher).Len() > 0 })
	if n := c.Logs().FilterMessage(logServerWatcher).Len(); n != 0 {
		t.Errorf("server watches files itself although the client does")
	}

	// The client reports changes; the server re-reads.
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.HasCode(diagnostics.CodeVendorTxtMalformed))
	c.WriteFile("go.mod", brokenGoMod)
	c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))

	// Deleting vendor/ is reported for the directory alone.
	c.RemoveAll("vendor")
	c.DidChangeWatchedFiles(protocol.FileChangeTypeDeleted, "vendor")
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.NoDiagnostics)
}

// A saved .go file changes what go mod tidy writes: the client's watcher
// reports it, and the tidy diagnostics follow, from the saved file's
// imports (the server never reads .go buffers).
func TestGoFileSaveUpdatesTidyDiagnostics(t *testing.T) {
	for _, dynamic := range []bool{true, false} {
		name := "client watcher"
		if !dynamic {
			name = "server watcher"
		}
		t.Run(name, func(t *testing.T) {
			cache, sum := cachedDep(t)
			env := cacheEnv(t, cache)
			c := lsptest.New(t, lsptest.Config{
				Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n" +
					"-- m.go --\npackage m\n\nimport _ \"example.com/dep\"\n" +
					"-- other.go --\npackage m\n\nimport _ \"fmt\"\n" +
					"-- go.sum --\n" + sum,
				Options: lsp.Options{Env: &env, WatchDebounce: 10 * time.Millisecond},
			})
			caps := lsptest.AllCapabilities
			caps.DynamicWatchers = dynamic
			c.Initialize(caps)
			if !dynamic {
				c.Await("the server's file watcher", func() bool { return c.Logs().FilterMessage(logServerWatcher).Len() > 0 })
			}
			c.Open("go.mod")
			c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

			// m.go no longer imports dep: the requirement is unused.
			c.WriteFile("m.go", "package m\n")
			if dynamic {
				c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "m.go")
			}
			c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeTidyUnusedRequire))

			// A new file imports it again.
			c.WriteFile("again.go", "package m\n\nimport _ \"example.com/dep\"\n")
			if dynamic {
				c.DidChangeWatchedFiles(protocol.FileChangeTypeCreated, "again.go")
			}
			c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
		})
	}
}
