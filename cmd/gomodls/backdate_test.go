package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// backdate is the script command `backdate path...`: it sets the
// modification time of every file and directory at or below each path to
// an hour ago, as a checkout's files are by the time anyone checks them.
// What gomodls keeps between processes (a Go file's record, a check's
// record for a replay) is kept only for files older than a few seconds,
// and a script's files are seconds old.
func backdate(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! backdate")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: backdate path...")
	}
	then := time.Now().Add(-time.Hour)
	for _, arg := range args {
		err := filepath.WalkDir(ts.MkAbs(arg), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink != 0 {
				return nil // its target's time is its own business
			}
			return os.Chtimes(path, then, then)
		})
		ts.Check(err)
	}
}
