package diagnostics

import (
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// contentEdits returns the edits that turn f's content into next: a single
// replacement of what lies between their longest common prefix and suffix
// (none when they are equal). It is how a fix computed on a whole file
// becomes a small, reviewable edit.
func contentEdits(f *workspace.File, next []byte) []Edit {
	old := f.Content
	pre := 0
	for pre < len(old) && pre < len(next) && old[pre] == next[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(next)-pre && old[len(old)-1-suf] == next[len(next)-1-suf] {
		suf++
	}
	if pre == len(old) && pre == len(next) {
		return nil
	}
	return []Edit{{File: f, Span: workspace.Span{Start: pre, End: len(old) - suf}, NewText: string(next[pre : len(next)-suf])}}
}

// editWork computes a fix to a go.work the way the go command edits one
// (go work use, go work edit): it parses a private copy of the file (the
// snapshot's parse is shared and never modified), applies edit with
// modfile's API, formats, and returns the difference as edits, so the
// user's comments and layout survive. It fails if the file does not parse.
func editWork(w *workspace.Work, edit func(*modfile.WorkFile) error) ([]Edit, error) {
	wf, err := modfile.ParseWork(w.File.Path, w.File.Content, nil)
	if err != nil {
		return nil, err
	}
	if err := edit(wf); err != nil {
		return nil, err
	}
	wf.Cleanup()
	return contentEdits(w.File, modfile.Format(wf.Syntax)), nil
}

// editMod is editWork for a go.mod.
func editMod(m *workspace.Module, edit func(*modfile.File) error) ([]Edit, error) {
	mf, err := modfile.Parse(m.File.Path, m.File.Content, nil)
	if err != nil {
		return nil, err
	}
	if err := edit(mf); err != nil {
		return nil, err
	}
	mf.Cleanup()
	next, err := mf.Format()
	if err != nil {
		return nil, err
	}
	return contentEdits(m.File, next), nil
}
