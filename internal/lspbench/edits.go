package main

import (
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
)

// An editPlan is the buffer content after each edit of the benchmark: one
// require line of the opened go.mod alternates between a changed form (odd
// edits) and the text on disk (even edits), as a user trying a version and
// going back would.
type editPlan struct {
	Require string // the module path of the require line edited
	Change  string // what an odd edit does to that line, for the report
	texts   func(n int) string
}

// text is the buffer content after edit n (1-based).
func (p editPlan) text(n int) string { return p.texts(n) }

// planEdits finds the require line to edit in the go.mod content (the one
// requiring requirePath, or else the first direct require without a
// comment, or the first direct one, or the first) and plans the edits.
//
// With altVersion, odd edits write altVersion as that require's version.
// Without, they append a "// lspbench N" comment (N the edit's number) to
// the line, or extend its comment: the buffer changes, with a new content
// at every odd edit, but what the go.mod means does not — the require keeps
// its version and its "// indirect" marking (modfile's isIndirect accepts
// "// indirect; anything"), so the server's answer should be as cheap as it
// can make an edit, and its diagnostics stay the same.
func planEdits(path string, content []byte, requirePath, altVersion string) (editPlan, error) {
	f, err := modfile.Parse(path, content, nil)
	if err != nil {
		return editPlan{}, fmt.Errorf("parsing %s: %w", path, err)
	}
	r := chooseRequire(f.Require, requirePath)
	if r == nil {
		if requirePath != "" {
			return editPlan{}, fmt.Errorf("%s has no require of %s", path, requirePath)
		}
		return editPlan{}, fmt.Errorf("%s has no require line to edit", path)
	}
	orig := string(content)
	line := r.Syntax
	plan := editPlan{Require: r.Mod.Path}
	if altVersion != "" {
		// The version is the line's last token ("require m v" or "m v" in
		// a block), maybe quoted; End is where it ends.
		tok := line.Token[len(line.Token)-1]
		start, end := line.End.Byte-len(tok), line.End.Byte
		before, after := orig[:start], orig[end:]
		plan.Change = fmt.Sprintf("version %s → %s", r.Mod.Version, altVersion)
		plan.texts = func(n int) string {
			if n%2 == 0 {
				return orig
			}
			return before + altVersion + after
		}
		return plan, nil
	}
	// Without a comment, insert one after the last token; with one,
	// extend it.
	at, suffix := line.End.Byte, func(n int) string { return fmt.Sprintf(" // lspbench %d", n) }
	plan.Change = `"// lspbench N" comment appended`
	if len(line.Suffix) > 0 {
		c := line.Suffix[0]
		at = c.Start.Byte + len(c.Token)
		sep := " "
		if strings.TrimSpace(strings.TrimPrefix(c.Token, "//")) == "indirect" {
			sep = "; " // "// indirect lspbench 1" would no longer mark it indirect
		}
		suffix = func(n int) string { return fmt.Sprintf("%slspbench %d", sep, n) }
		plan.Change = fmt.Sprintf("comment %q extended with %q", c.Token, sep+"lspbench N")
	}
	before, after := orig[:at], orig[at:]
	plan.texts = func(n int) string {
		if n%2 == 0 {
			return orig
		}
		return before + suffix(n) + after
	}
	return plan, nil
}

func chooseRequire(reqs []*modfile.Require, path string) *modfile.Require {
	if path != "" {
		for _, r := range reqs {
			if r.Mod.Path == path {
				return r
			}
		}
		return nil
	}
	for _, r := range reqs {
		if !r.Indirect && len(r.Syntax.Suffix) == 0 {
			return r
		}
	}
	for _, r := range reqs {
		if !r.Indirect {
			return r
		}
	}
	if len(reqs) > 0 {
		return reqs[0]
	}
	return nil
}
