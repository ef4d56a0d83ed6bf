package diagnostics

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the go.work use checks (cmd/go/internal/modload/init.go:
// LoadWorkFile, loadModFile, makeMainModules).
const (
	CodeGoWorkUseMissingDir    = "gowork-use-missing-dir"
	CodeGoWorkUseNoGoMod       = "gowork-use-no-gomod"
	CodeGoWorkUseNotDir        = "gowork-use-not-dir"
	CodeGoWorkUseDuplicatePath = "gowork-use-duplicate-path"
	CodeGoWorkModuleDuplicate  = "gowork-module-duplicate"
)

// workUseCheck predicts the errors the go command stops on while loading a
// go.work's modules: a use path that is not a directory holding a go.mod
// (modload's loadModFile: "cannot load module X listed in go.work file"),
// a directory used twice (LoadWorkFile), and two used directories declaring
// one module path (makeMainModules). Each is reported on the use line, with
// a fix that removes the line.
var workUseCheck = Check{
	Name: "workUse",
	Codes: []string{
		CodeGoWorkUseMissingDir, CodeGoWorkUseNoGoMod, CodeGoWorkUseNotDir,
		CodeGoWorkUseDuplicatePath, CodeGoWorkModuleDuplicate,
	},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return workUses(context.Background(), snap, nil) },
	RunFocused: workUses,
}

// workUses is the check on the files of focus (every file when focus is nil).
func workUses(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, w := range worksInEffect(snap) {
		if focus.Has(w.File) { // every diagnostic is on a use line
			diags = append(diags, useDiagnostics(snap, w)...)
		}
	}
	return diags
}

// worksInEffect returns the go.work files the go command reads
// (buildctx.WorksInEffect). A go.work that GOWORK switches off or
// overrides fails nothing (env-gowork-off and env-gowork-elsewhere say so
// instead).
func worksInEffect(snap *workspace.Snapshot) []*workspace.Work { return buildctx.WorksInEffect(snap) }

// A workUse is a use line of a go.work and the directory it names.
type workUse struct {
	use *modfile.Use
	dir string
	mod *workspace.Module // the go.mod in dir; nil if the snapshot has none
}

// uniqueUses returns w's use lines in order, minus those naming a directory
// an earlier line already names (the go command stops at those), and the
// duplicates with the line they repeat. Five checks ask, so it is made once
// per snapshot, from the directories resolved once per parse of the go.work
// (Work.UseDirs).
// The result is shared: never modify it.
func uniqueUses(snap *workspace.Snapshot, w *workspace.Work) (uses []workUse, dups [][2]workUse) {
	type result struct {
		work *workspace.Work
		mark workspace.ModulesMark
		uses []workUse
		dups [][2]workUse
	}
	r := snap.Memo("diagnostics.uniqueUses\x00"+w.File.Path, func(prev any) any {
		// After an edit of a few go.mod files, the previous snapshot's
		// lines with their modules looked up again: looking up each of a
		// thousand was a tenth of a focused run.
		if p, ok := prev.(*result); ok && p.work == w {
			if lines, ok := snap.ChangedUseLines(w, p.mark); ok {
				// No directory named twice: the uses are the lines.
				_, gomods := w.UseDirs()
				r := &result{work: w, mark: snap.ModulesMark(), uses: p.uses}
				if len(lines) > 0 {
					r.uses = slices.Clone(p.uses)
				}
				for _, line := range lines {
					r.uses[line].mod = snap.ModuleAt(gomods[line])
				}
				return r
			}
		}
		// Which lines repeat which is worked out once per parse
		// (Work.FirstUse); a snapshot only looks up each line's module.
		dirs, gomods := w.UseDirs()
		all := make([]workUse, len(w.Work.Use))
		r := result{work: w, mark: snap.ModulesMark(), uses: all}
		for i, u := range w.Work.Use {
			all[i] = workUse{use: u, dir: dirs[i], mod: snap.ModuleAt(gomods[i])}
		}
		if _, repeats := w.FirstUse(0); repeats {
			r.uses = make([]workUse, 0, len(all))
			for i, wu := range all {
				if first, _ := w.FirstUse(i); first != i {
					r.dups = append(r.dups, [2]workUse{all[first], wu})
					continue
				}
				r.uses = append(r.uses, wu)
			}
		}
		return &r
	}).(*result)
	return r.uses, r.dups
}

func useDiagnostics(snap *workspace.Snapshot, w *workspace.Work) []Diagnostic {
	uses, dups := uniqueUses(snap, w)
	var diags []Diagnostic
	blocks := soleLineBlocks(w.Work.Syntax) // for dropUseLine, once: a scan per fix costs the square of the uses
	for _, d := range dups {
		diags = append(diags, duplicateUse(w, blocks, d[0], d[1]))
	}
	byPath := make(map[string][]workUse)
	var paths []string
	for _, wu := range uses {
		gomod := filepath.Join(wu.dir, "go.mod")
		// The go command runs in the go.work's directory, as far as its
		// messages are concerned: paths are shortened relative to it.
		var code, osErr string
		switch snap.UsePathKind(wu.dir) {
		case workspace.PathMissing:
			code, osErr = CodeGoWorkUseMissingDir, fmt.Sprintf("open %s: no such file or directory", goShortPath(w.Dir, gomod))
		case workspace.PathFile:
			// Stat of dir/go.mod fails with ENOTDIR, which base.ShortPath
			// does not take for "both missing": the path stays absolute.
			code, osErr = CodeGoWorkUseNotDir, fmt.Sprintf("open %s: not a directory", gomod)
		case workspace.PathDir:
			if wu.mod == nil {
				code, osErr = CodeGoWorkUseNoGoMod, fmt.Sprintf("open %s: no such file or directory", goShortPath(w.Dir, gomod))
			}
		}
		if code != "" {
			kind := KindQuickFix
			if code == CodeGoWorkUseMissingDir {
				kind = KindFixAll // nothing there to lose
			}
			diags = append(diags, Diagnostic{
				Code:     code,
				Severity: SeverityError,
				File:     w.File,
				Span:     lineSpan(wu.use.Syntax),
				Message:  fmt.Sprintf("cannot load module %s listed in go.work file: %s", goShortPath(w.Dir, wu.dir), osErr),
				Fixes:    []Fix{{Title: "Remove use of " + wu.use.Path, Kind: kind, Edits: dropUseLine(w, blocks, wu.use)}},
			})
			continue
		}
		if wu.mod != nil && wu.mod.Mod != nil && wu.mod.Mod.Module != nil {
			p := wu.mod.Mod.Module.Mod.Path
			if byPath[p] == nil {
				paths = append(paths, p)
			}
			byPath[p] = append(byPath[p], wu)
		}
	}
	for _, p := range paths {
		if same := byPath[p]; len(same) > 1 {
			diags = append(diags, duplicateModule(w, blocks, p, same)...)
		}
	}
	return diags
}

// duplicateUse reports the second line naming a directory, as go does (it
// gives that line's number).
func duplicateUse(w *workspace.Work, blocks map[*modfile.Line]*modfile.LineBlock, first, dup workUse) Diagnostic {
	title := "Remove duplicate use of " + dup.use.Path
	kind := KindQuickFix
	if dup.use.Path == first.use.Path {
		kind = KindFixAll // the very same line twice
	}
	return Diagnostic{
		Code:     CodeGoWorkUseDuplicatePath,
		Severity: SeverityError,
		File:     w.File,
		Span:     lineSpan(dup.use.Syntax),
		Message:  fmt.Sprintf("path %s appears multiple times in workspace", dup.dir),
		Related:  []Related{{File: w.File, Span: lineSpan(first.use.Syntax), Message: "first used here, as " + first.use.Path}},
		Fixes:    []Fix{{Title: title, Kind: kind, Edits: dropUseLine(w, blocks, dup.use)}},
	}
}

// duplicateModule reports each use line of directories whose go.mod files
// declare one module path, related to the others. Which one to keep is the
// user's call: each line offers its own removal.
func duplicateModule(w *workspace.Work, blocks map[*modfile.Line]*modfile.LineBlock, path string, same []workUse) []Diagnostic {
	var diags []Diagnostic
	for i, wu := range same {
		d := Diagnostic{
			Code:     CodeGoWorkModuleDuplicate,
			Severity: SeverityError,
			File:     w.File,
			Span:     lineSpan(wu.use.Syntax),
			Message:  fmt.Sprintf("module %s appears multiple times in workspace", path),
			Fixes:    []Fix{{Title: "Remove use of " + wu.use.Path, Kind: KindQuickFix, Edits: dropUseLine(w, blocks, wu.use)}},
		}
		for j, other := range same {
			if i == j {
				continue
			}
			d.Related = append(d.Related,
				Related{File: w.File, Span: lineSpan(other.use.Syntax), Message: fmt.Sprintf("%s is also used as %s", path, other.use.Path)},
				Related{File: other.mod.File, Span: lineSpan(other.mod.Mod.Module.Syntax), Message: "declared here too"})
		}
		diags = append(diags, d)
	}
	return diags
}

// goShortPath is path as the go command prints it when run in cwd
// (base.ShortPath): relative if that is shorter.
func goShortPath(cwd, path string) string {
	if rel, err := filepath.Rel(cwd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}

// dropUseLine deletes the line of u from w, whole: the line itself rather
// than what modfile's DropUse and Format would print, because DropUse drops
// every line with that path (a duplicate must lose only its second line)
// and because a deletion confined to its own line composes with the other
// fixes of the file in a fix-all. A block left empty goes too, and so does
// a blank line that would otherwise double another or end the file. The
// comments above the line stay: they may say more than the line did.
// blocks is soleLineBlocks of w.
func dropUseLine(w *workspace.Work, blocks map[*modfile.Line]*modfile.LineBlock, u *modfile.Use) []Edit {
	f := w.File
	first, last := u.Syntax.Start.Line, u.Syntax.End.Line
	if b := blocks[u.Syntax]; b != nil &&
		len(u.Syntax.Before) == 0 && len(b.LParen.Suffix) == 0 && len(b.RParen.Before) == 0 {
		first, last = b.Start.Line, b.RParen.Pos.Line
	}
	start, end := f.LineSpan(first).Start, lineEnd(f, last)
	if first > 1 && blankLine(f, first-1) && (end == f.Size() || blankLine(f, last+1)) {
		start = f.LineSpan(first - 1).Start
	}
	return []Edit{{File: f, Span: workspace.Span{Start: start, End: end}}}
}

// soleLineBlocks returns the blocks of syntax that hold one line, by that
// line.
func soleLineBlocks(syntax *modfile.FileSyntax) map[*modfile.Line]*modfile.LineBlock {
	blocks := make(map[*modfile.Line]*modfile.LineBlock)
	for _, stmt := range syntax.Stmt {
		if b, ok := stmt.(*modfile.LineBlock); ok && len(b.Line) == 1 {
			blocks[b.Line[0]] = b
		}
	}
	return blocks
}

// lineEnd is the offset just past 1-based line n and its terminator.
func lineEnd(f *workspace.File, n int) int {
	if n >= f.LineCount() {
		return f.Size()
	}
	return f.LineSpan(n + 1).Start
}

// blankLine reports whether 1-based line n holds only white space (a line
// past the end counts as blank).
func blankLine(f *workspace.File, n int) bool {
	if n > f.LineCount() {
		return true
	}
	sp := f.LineSpan(n)
	return strings.TrimSpace(string(f.Content()[sp.Start:sp.End])) == ""
}
