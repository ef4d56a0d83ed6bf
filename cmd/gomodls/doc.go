// Command gomodls is a language server and CI checker for Go module files:
// go.mod, go.work, go.sum, go.work.sum and vendor/modules.txt.
//
// Usage:
//
//	gomodls [serve] [-log-file file] [-log-level level]
//	gomodls check [-format text|json|sarif] [-fail-on severity] [-log-level level]
//	              [-max-file-size bytes] [-max-sum-file-size bytes] [-max-per-code N]
//	              [-verify] [-replay=false] [dir]
//	gomodls explain [-format text|json] [-log-level level] [dir]
//	gomodls tidy -diff [-log-level level] [dir]
//	gomodls version
//	gomodls help
//
// # serve
//
// gomodls serve, or gomodls with no command, speaks the Language Server
// Protocol on standard input and output. Logs go to standard error, or to
// -log-file, and never to standard output, which belongs to the protocol.
// -log-level is debug, info (the default), warn or error.
//
// # check
//
// gomodls check reports the problems in the module files under dir (default
// "."), and in nothing else: a go.work in a parent directory is read, as the
// go command would, but its diagnostics belong to that directory's check.
// Every diagnostic has a stable code, documented in docs/diagnostics.md.
//
// -format selects the output:
//
//   - text (the default): one line per diagnostic,
//     "path:line:col: severity: message [code]", followed by one line per
//     related location, "\tpath:line:col: message", and one per fix,
//     "\tfix: title" or, for a fix that runs the go command,
//     "\tfix: title (go command in ./dir)". A diagnostic that
//     belongs to no file (an internal error of gomodls) prints as
//     "gomodls: error: message [internal-error]".
//   - json: the document docs/diagnostics.md specifies, version 1.
//   - sarif: a SARIF 2.1.0 log for code-scanning uploads (see package
//     internal/sarif for how diagnostics map to results).
//
// Paths are relative to dir and slash-separated. Lines and columns are
// 1-based in text and SARIF, 0-based in JSON (the LSP convention). Columns
// count UTF-16 code units in all three formats, so text and SARIF columns are
// the JSON "character" plus one. The go command counts columns in runes: on a
// line with a character outside the Basic Multilingual Plane (an emoji)
// before the error, gomodls's column is one more per such character.
//
// -verify also compares every vendored package with the module cache's
// copy of its module version (vendor-modified): no build and no go mod
// verify does, so a vendored file edited by hand is built unnoticed.
//
// Output is sorted by path, then position. -fail-on (error, warning,
// information or hint; default error) sets the least severe diagnostic that
// makes the check fail; it does not filter the output.
//
// -max-file-size (default 4 MiB) and -max-sum-file-size (default 32 MiB,
// for go.sum and go.work.sum) bound the module files read, in bytes. A
// larger file, one that is not a regular file (a FIFO, a device), and a
// symbolic link out of dir and the module cache are not read: each gets a
// file-skipped warning, and the checks that need it stay silent.
//
// # tidy -diff
//
// gomodls tidy -diff prints what go mod tidy -diff would print for the
// module go finds in dir (the go.mod there, or the first above), byte for
// byte, and exits as go does: 0 when the module is tidy, 1 after printing
// the go.mod and go.sum diffs. It runs no go command and reads the
// module's go.mod, go.sum and Go files (every build tag but ignore, tests
// included, as tidy does) and the module cache: dependencies' go.mod
// files, packages and hashes. Like go mod tidy it ignores go.work. When
// tidy would need what the module cache does not hold (it would download
// it), or look up a module for a package no requirement provides through
// a proxy, or the module's go line is below 1.18 (whose tidy also keeps
// what an older go needs), it says why and exits 2. When go mod tidy
// would fail offline (GOPROXY=off and a package no module provides) it
// says why and exits 1.
//
// # The package index
//
// serve and check keep what Go files import in a small index, so that the
// next process does not parse them again: the module cache's (an extracted
// module never changes) and the workspace's (a file's record serves while
// its size and modification time are unchanged), with what the module
// cache's download area holds (an @v directory's record serves while its
// modification time is unchanged) and what go env printed (while the go
// binary, the GO… variables and the env files are unchanged). check also
// keeps what it derives at length (the go.sum lines go mod tidy keeps for
// each module, each go.sum compared with the module cache) with what each
// was derived from, and uses it only when all of that is unchanged; and
// what it printed, with every look it took at the disk to get there (each
// file's type, size and modification time, each directory's entries, each
// link's target): the next check with the same settings (its flags but
// -log-level and -replay, and dir), working directory, environment and
// gomodls binary takes the same looks again, and when every answer is the
// same prints the same output with the same exit code without checking
// ("replayed" in the debug log), as go test replays a test whose inputs
// are unchanged; -replay=false checks anyway (and records for the next). A file modified less than 2s
// before a check began is never trusted by its look. It is kept in
// $GOMODLS_CACHE when that names an absolute directory, nowhere when it is
// "off" (or relative), else in gomodls/ under the user's cache directory
// (os.UserCacheDir). Files unused for five days are removed; the whole may
// be deleted at any time.
//
// # Exit codes
//
// gomodls exits with
//
//	0  success; for check, no diagnostic at or above -fail-on
//	1  check found a diagnostic at or above -fail-on (internal errors count
//	   as errors); tidy -diff printed a diff, or go mod tidy would fail
//	2  usage error (unknown command, flag or format), dir cannot be read,
//	   tidy -diff cannot tell, or interrupted (SIGINT or SIGTERM)
//
// serve exits 0 when the client shuts the server down, and 1 on a failure.
package main
