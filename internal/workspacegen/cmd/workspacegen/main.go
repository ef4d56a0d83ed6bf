// Command workspacegen writes a synthetic Go workspace and its module cache
// (package workspacegen) into a directory, and prints where:
//
//	go run ./internal/workspacegen/cmd/workspacegen -n 100 [-r 20] [-vendored 300] [-seed 1] -o /tmp/ws100
//
// prints
//
//	GOMODCACHE=/tmp/ws100/modcache
//	/tmp/ws100/ws
//
// so that `GOMODCACHE=/tmp/ws100/modcache GOFLAGS= GOPROXY=off go run
// ./cmd/gomodls check /tmp/ws100/ws` checks it offline.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gomodls/gomodls/internal/workspacegen"
)

func main() {
	var c workspacegen.Config
	flag.IntVar(&c.Modules, "n", 10, "number of modules the go.work uses")
	flag.IntVar(&c.Requires, "r", 20, "requirements of each module")
	flag.IntVar(&c.Vendored, "vendored", 0, "if above 0, the first module is vendored with this many modules in vendor/modules.txt")
	flag.IntVar(&c.Deps, "deps", 0, "size of the dependency pool (0: max(vendored, 10×r, 50))")
	flag.IntVar(&c.Seed, "seed", 1, "seed of the requirements")
	out := flag.String("o", "", "directory to write into (required; should be empty)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	l, err := workspacegen.Write(*out, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("GOMODCACHE=%s\n%s\n", l.ModCache, l.Root)
}
