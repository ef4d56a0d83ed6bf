package diagnostics

import (
	"bytes"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// lineHunks returns the edits that turn f's content into next, one per run
// of changed lines, each replacing whole lines: the common prefix and suffix
// are skipped, and the middle is aligned on a longest common subsequence of
// lines (unless it is too large for that, when it is replaced at once).
func lineHunks(f *workspace.File, next []byte) []Edit {
	a, b := splitLines(string(f.Content())), splitLines(string(next))
	offset := 0
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		offset += len(a[pre])
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	if len(a)*len(b) > 1<<20 {
		return []Edit{{File: f, Span: workspace.Span{Start: offset, End: offset + totalLen(a)}, NewText: strings.Join(b, "")}}
	}
	// lcs[i][j] is the length of a longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var edits []Edit
	var pending *Edit
	flush := func() {
		if pending != nil {
			edits = append(edits, *pending)
			pending = nil
		}
	}
	hunk := func() *Edit {
		if pending == nil {
			pending = &Edit{File: f, Span: workspace.Span{Start: offset, End: offset}}
		}
		return pending
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			offset += len(a[i])
			i++
			j++
		case j == len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			h := hunk()
			offset += len(a[i])
			h.Span.End = offset
			i++
		default:
			hunk().NewText += b[j]
			j++
		}
	}
	flush()
	return edits
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func totalLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	return n
}

// editWork computes a fix to a go.work the way the go command edits one
// (go work use, go work edit): it parses a private copy of the file (the
// snapshot's parse is shared and never modified), applies edit with
// modfile's API, formats, and returns the difference as edits, so the
// user's comments and layout survive: one edit of whole lines per changed
// place (lineHunks), so that a fix raising the go line and adding a use
// edits those two places and composes with the file's other fixes in a
// fix-all. It fails if the file does not parse.
func editWork(w *workspace.Work, edit func(*modfile.WorkFile) error) ([]Edit, error) {
	wf, err := modfile.ParseWork(w.File.Path, w.File.Content(), nil)
	if err != nil {
		return nil, err
	}
	if err := edit(wf); err != nil {
		return nil, err
	}
	wf.Cleanup()
	return lineHunks(w.File, modfile.Format(wf.Syntax)), nil
}

// editMod is editWork for a go.mod.
func editMod(m *workspace.Module, edit func(*modfile.File) error) ([]Edit, error) {
	mf, err := modfile.Parse(m.File.Path, m.File.Content(), nil)
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
	return lineHunks(m.File, next), nil
}

// requireVersionEditor computes the fixes that set one requirement's
// version (go get path@v), for the many such fixes one check makes in one
// go.mod. editMod re-parses and formats the whole file per fix, so a
// thousand fixes in a large go.mod cost the square of its size; when the
// file is already formatted as modfile formats it — checked once, on the
// first fix — and path has one require line, the fix editMod would compute
// is that line with its version token replaced (modfile prints each line
// from its own tokens, and lineHunks then keeps every other line), so it is
// made from the line alone. Otherwise it falls back to editMod.
type requireVersionEditor struct {
	m         *workspace.Module
	formatted func() bool
}

func newRequireVersionEditor(m *workspace.Module) *requireVersionEditor {
	return &requireVersionEditor{m: m, formatted: sync.OnceValue(func() bool {
		mf, err := modfile.Parse(m.File.Path, m.File.Content(), nil)
		if err != nil {
			return false
		}
		mf.Cleanup()
		next, err := mf.Format()
		return err == nil && bytes.Equal(next, m.File.Content())
	})}
}

// setVersion returns the edits that require path at version v.
func (e *requireVersionEditor) setVersion(path, v string) ([]Edit, error) {
	if rs := e.m.Index().Requires(path); len(rs) == 1 && e.formatted() {
		if edits, ok := tokenEdit(e.m.File, rs[0].Syntax, modfile.AutoQuote(v)); ok {
			return edits, nil
		}
	}
	return editMod(e.m, func(f *modfile.File) error { return setRequireVersion(f, path, v) })
}

// tokenEdit is lineHunks' edit for replacing line's last token with tok in
// a formatted file: the whole line, up to and including its newline, with
// the token replaced; no edit when tok is the token already. ok is false
// when the file's text is not what that assumes.
func tokenEdit(f *workspace.File, line *modfile.Line, tok string) (edits []Edit, ok bool) {
	content := f.Content()
	if len(line.Token) == 0 {
		return nil, false
	}
	old := line.Token[len(line.Token)-1]
	end := line.End.Byte
	start := end - len(old)
	if start < 0 || end > len(content) || string(content[start:end]) != old {
		return nil, false
	}
	if tok == old {
		return nil, true
	}
	lineStart := bytes.LastIndexByte(content[:start], '\n') + 1
	nl := bytes.IndexByte(content[end:], '\n')
	if nl < 0 {
		return nil, false
	}
	lineEnd := end + nl + 1
	text := string(content[lineStart:start]) + tok + string(content[end:lineEnd])
	return []Edit{{File: f, Span: workspace.Span{Start: lineStart, End: lineEnd}, NewText: text}}, true
}

// Rewrite returns the edits that turn f's content into next: whole lines,
// one edit per run of changed lines, so that an editor applying them keeps
// the cursor, folds and undo history of the lines that did not change. The
// language server applies what the go command wrote this way.
func Rewrite(f *workspace.File, next []byte) []Edit { return lineHunks(f, next) }
