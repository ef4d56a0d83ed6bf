package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// completion answers textDocument/completion in go.mod and go.work from
// the snapshot and the local module cache, never the network:
//   - a go.work use: the directories below the go.work holding a go.mod
//     that it does not use yet;
//   - a replace's right-hand side: the workspace's module directories, as
//     paths relative to the file;
//   - a module path in require or replace: the module cache's download
//     area, one path element at a time;
//   - a version after a module path: the versions the module cache holds,
//     newest first and prereleases after releases, retracted ones marked.
//
// The line is read as text, not parsed: while the user types it does not
// parse. Elsewhere the list is empty.
func (s *server) completion(_ context.Context, params *protocol.CompletionParams) (*protocol.CompletionList, error) {
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	snap, f := s.fileAt(params.TextDocument.URI)
	if f == nil || (f.Kind != workspace.KindGoMod && f.Kind != workspace.KindGoWork) {
		return list, nil
	}
	line := int(params.Position.Line)
	offset := f.Offset(line, int(params.Position.Character))
	lineStart := f.Offset(line, 0)
	content := string(f.Content())
	verb, args := completionContext(content[:lineStart], content[lineStart:offset])
	// The token being typed, replaced by the item chosen.
	partial := ""
	if len(args) > 0 && !strings.HasSuffix(content[lineStart:offset], " ") && !strings.HasSuffix(content[lineStart:offset], "\t") {
		partial, args = args[len(args)-1], args[:len(args)-1]
	}
	rng := toRange(f, workspace.Span{Start: offset - len(partial), End: offset})
	add := func(label string, kind protocol.CompletionItemKind, detail, sort string, deprecated bool) {
		item := protocol.CompletionItem{
			Label: label, Kind: kind, Detail: detail, SortText: sort,
			TextEdit: &protocol.TextEdit{Range: rng, NewText: label},
		}
		if deprecated {
			item.Tags = []protocol.CompletionItemTag{protocol.CompletionItemTagDeprecated}
		}
		list.Items = append(list.Items, item)
	}
	dir := filepath.Dir(f.Path)
	arrow := slices.Index(args, "=>")
	switch {
	case verb == "use" && f.Kind == workspace.KindGoWork && len(args) == 0:
		lineEnd := len(content)
		if i := strings.IndexByte(content[offset:], '\n'); i >= 0 {
			lineEnd = offset + i
		}
		for _, d := range unusedModuleDirs(snap, dir, content[:lineStart]+content[lineEnd:]) {
			add(d.rel, protocol.CompletionItemKindFolder, d.module, d.rel, false)
		}
	case verb == "replace" && arrow >= 0 && len(args) == arrow+1:
		for _, d := range moduleDirsFrom(snap, dir) {
			add(d.rel, protocol.CompletionItemKindFolder, d.module, d.rel, false)
		}
		addModulePaths(snap, partial, add)
	case (verb == "require" || verb == "replace" || verb == "exclude") && len(args) == 0:
		addModulePaths(snap, partial, add)
	case (verb == "require" || verb == "exclude") && len(args) == 1,
		verb == "replace" && (len(args) == 1 || arrow >= 0 && len(args) == arrow+2):
		addVersions(snap, args[len(args)-1], add)
	}
	return list, nil
}

// completionContext finds the directive the cursor is in from the text
// before its line (a "verb (" block still open) and its line up to the
// cursor: the directive's verb and the words after it before the cursor.
func completionContext(before, line string) (verb string, args []string) {
	for _, l := range strings.Split(before, "\n") {
		if i := strings.Index(l, "//"); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		switch {
		case len(f) == 2 && f[1] == "(", len(f) == 1 && strings.HasSuffix(f[0], "(") && len(f[0]) > 1:
			verb = strings.TrimSuffix(f[0], "(")
		case len(f) > 0 && f[0] == ")":
			verb = ""
		}
	}
	if i := strings.Index(line, "//"); i >= 0 {
		return "", nil // in a comment
	}
	words := strings.Fields(line)
	if verb != "" {
		return verb, words
	}
	if len(words) == 0 {
		return "", nil
	}
	if len(words) == 1 && !strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\t") {
		return "", nil // typing the verb itself
	}
	return words[0], words[1:]
}

// A moduleDir is a directory holding a go.mod, as a path relative to the
// file completed in ("./x", "../y"), with the module path it declares.
type moduleDir struct {
	rel, module string
}

// unusedModuleDirs are the directories below the go.work in dir holding a
// go.mod that it does not use and that no nested go.work claims, as go
// work use -r would add them. What it uses is read from rest, the file
// without the line being completed: that line, half typed, is why the
// snapshot's parse of the file failed.
func unusedModuleDirs(snap *workspace.Snapshot, dir, rest string) []moduleDir {
	w := snap.Work(dir)
	wf, err := modfile.ParseWork(filepath.Join(dir, "go.work"), []byte(rest), nil)
	if w == nil || err != nil {
		return nil
	}
	used := make(map[string]bool)
	for _, u := range wf.Use {
		used[workspace.UseDir(w, u.Path)] = true
	}
	var out []moduleDir
	for _, d := range moduleDirsFrom(snap, dir) {
		abs := filepath.Join(dir, filepath.FromSlash(d.rel))
		if used[abs] || !workspace.Within(abs, dir) || snap.WorkFor(abs) != w {
			continue
		}
		out = append(out, d)
	}
	return out
}

// moduleDirsFrom lists the snapshot's modules outside the module cache but
// the one in dir, relative to dir.
func moduleDirsFrom(snap *workspace.Snapshot, dir string) []moduleDir {
	var out []moduleDir
	modcache := snap.Env.GOMODCACHE
	for _, m := range snap.Modules() {
		if m.Dir == dir || modcache != "" && workspace.Within(m.Dir, filepath.Clean(modcache)) {
			continue
		}
		rel, err := filepath.Rel(dir, m.Dir)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "../") {
			rel = "./" + rel
		}
		d := moduleDir{rel: rel}
		if m.Mod != nil && m.Mod.Module != nil {
			d.module = m.Mod.Module.Mod.Path
		}
		out = append(out, d)
	}
	return out
}

type addItem func(label string, kind protocol.CompletionItemKind, detail, sort string, deprecated bool)

// addModulePaths offers the module cache's paths one element below the
// part of partial before its last slash: a downloaded module as a module,
// a prefix of others (github.com/owner) as a folder ending in a slash.
func addModulePaths(snap *workspace.Snapshot, partial string, add addItem) {
	prefix := ""
	if i := strings.LastIndex(partial, "/"); i >= 0 {
		prefix = partial[:i]
	}
	for _, p := range snap.ModuleCachePathsUnder(prefix) {
		if p.Module {
			add(p.Path, protocol.CompletionItemKindModule, "in the module cache", p.Path, false)
		} else {
			add(p.Path+"/", protocol.CompletionItemKindFolder, "", p.Path+"/", false)
		}
	}
}

// addVersions offers the versions of path the module cache holds: newest
// first, prereleases after releases, pseudo-versions last; a version the
// latest cached go.mod retracts is marked (deprecated tag and detail).
func addVersions(snap *workspace.Snapshot, path string, add addItem) {
	if module.CheckPath(path) != nil {
		return
	}
	versions := slices.Clone(snap.ModuleCacheVersions(path))
	_, latest := modgraph.Latest(snap, path)
	slices.SortStableFunc(versions, func(a, b string) int {
		if ra, rb := modgraph.VersionKind(a), modgraph.VersionKind(b); ra != rb {
			return ra - rb
		}
		return semver.Compare(b, a)
	})
	for i, v := range versions {
		detail := ""
		retracted := false
		if latest != nil {
			if rat, ok := modgraph.RetractedBy(latest, v); ok {
				retracted = true
				detail = "retracted"
				if msg := modgraph.ShortMessage(rat); msg != "" {
					detail += ": " + msg
				}
			}
		}
		if detail == "" && modgraph.VersionKind(v) == modgraph.KindPrerelease {
			detail = "prerelease"
		}
		add(v, protocol.CompletionItemKindValue, detail, fmt.Sprintf("%05d", i), retracted)
	}
}
