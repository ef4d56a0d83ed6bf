package workspace

import (
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// A dependency's go.mod from the module cache is read for what a module
// graph and the checks use of it: its module path and deprecation, its go
// line, its requirements and its retractions (the go command ignores the
// rest of a dependency's go.mod). leanGoMod keeps just that, without the
// syntax tree, which is most of a parse's memory; and the download index
// keeps it as a digest (goModDigest), so that the next process reads it
// without the file and without parsing it again: parsing the go.mod files
// of etcd's module graph was a tenth of a check's CPU.
//
// A lean file has no Syntax: it must never serve a position. Files the
// snapshot holds (the workspace's modules) are never lean.

// leanGoMod is what the module graph and the checks read of f, a
// dependency's go.mod parsed by modfile.ParseLax; nil for nil.
func leanGoMod(f *modfile.File) *modfile.File {
	if f == nil {
		return nil
	}
	lean := new(modfile.File)
	if f.Module != nil {
		lean.Module = &modfile.Module{Mod: module.Version{Path: f.Module.Mod.Path}, Deprecated: f.Module.Deprecated}
	}
	if f.Go != nil {
		lean.Go = &modfile.Go{Version: f.Go.Version}
	}
	reqs := make([]modfile.Require, len(f.Require))
	for i, r := range f.Require {
		reqs[i] = modfile.Require{Mod: r.Mod, Indirect: r.Indirect}
	}
	lean.Require = pointersTo(reqs)
	rets := make([]modfile.Retract, len(f.Retract))
	for i, r := range f.Retract {
		rets[i] = modfile.Retract{VersionInterval: r.VersionInterval, Rationale: r.Rationale}
	}
	lean.Retract = pointersTo(rets)
	return lean
}

// pointersTo returns a pointer to each of vals, nil for none: a
// modfile.File's lists are of pointers, here into one array each.
func pointersTo[T any](vals []T) []*T {
	if len(vals) == 0 {
		return nil
	}
	ps := make([]*T, len(vals))
	for i := range vals {
		ps[i] = &vals[i]
	}
	return ps
}

// The digest of a go.mod: the go.sum hash of its bytes (goModHash), then
// what leanGoMod keeps, as space-separated words, every string quoted as
// strconv.Quote does (so no tab or newline appears in it):
//
//	<hash> unparsable                      (modfile.ParseLax failed)
//	<hash> [m <path> <deprecated>] [g <go version>]
//	       [r <path> <version>|ri <path> <version>]… [x <low> <high> <rationale>]…
//
// r is a requirement, ri an indirect one, x a retraction.

// goModDigest is the digest of a go.mod whose bytes hash to hash and whose
// lean parse is f (nil: it did not parse).
func goModDigest(hash string, f *modfile.File) string {
	b := []byte(hash)
	if f == nil {
		return string(append(b, " unparsable"...))
	}
	word := func(w string, quoted ...string) {
		b = append(b, ' ')
		b = append(b, w...)
		for _, q := range quoted {
			b = append(b, ' ')
			b = strconv.AppendQuote(b, q)
		}
	}
	if f.Module != nil {
		word("m", f.Module.Mod.Path, f.Module.Deprecated)
	}
	if f.Go != nil {
		word("g", f.Go.Version)
	}
	for _, r := range f.Require {
		if r.Indirect {
			word("ri", r.Mod.Path, r.Mod.Version)
		} else {
			word("r", r.Mod.Path, r.Mod.Version)
		}
	}
	for _, r := range f.Retract {
		word("x", r.Low, r.High, r.Rationale)
	}
	return string(b)
}

// parseGoModDigest reads a digest back: the hash and the lean file (nil
// when the go.mod did not parse); ok is false when digest is not what
// goModDigest writes.
func parseGoModDigest(digest string) (hash string, f *modfile.File, ok bool) {
	hash, _, _ = strings.Cut(digest, " ")
	rest := digest[len(hash):] // each word after the hash begins with its space
	if hash == "" {
		return "", nil, false
	}
	if rest == " unparsable" {
		return hash, nil, true
	}
	// quoted reads n quoted strings from the start of rest into args.
	var args [3]string
	quoted := func(n int) bool {
		for i := range n {
			if len(rest) < 3 || rest[0] != ' ' {
				return false
			}
			q, err := strconv.QuotedPrefix(rest[1:])
			if err != nil {
				return false
			}
			if args[i], err = strconv.Unquote(q); err != nil {
				return false
			}
			rest = rest[1+len(q):]
		}
		return true
	}
	f = new(modfile.File)
	var reqs []modfile.Require
	var rets []modfile.Retract
	for rest != "" {
		if rest[0] != ' ' {
			return "", nil, false
		}
		w := rest[1:]
		if i := strings.IndexByte(w, ' '); i >= 0 {
			w = w[:i]
		}
		rest = rest[1+len(w):]
		switch w {
		case "m":
			if f.Module != nil || !quoted(2) {
				return "", nil, false
			}
			f.Module = &modfile.Module{Mod: module.Version{Path: args[0]}, Deprecated: args[1]}
		case "g":
			if f.Go != nil || !quoted(1) {
				return "", nil, false
			}
			f.Go = &modfile.Go{Version: args[0]}
		case "r", "ri":
			if !quoted(2) {
				return "", nil, false
			}
			reqs = append(reqs, modfile.Require{Mod: module.Version{Path: args[0], Version: args[1]}, Indirect: w == "ri"})
		case "x":
			if !quoted(3) {
				return "", nil, false
			}
			rets = append(rets, modfile.Retract{VersionInterval: modfile.VersionInterval{Low: args[0], High: args[1]}, Rationale: args[2]})
		default:
			return "", nil, false
		}
	}
	f.Require, f.Retract = pointersTo(reqs), pointersTo(rets)
	return hash, f, true
}
