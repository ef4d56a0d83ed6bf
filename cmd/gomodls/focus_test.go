package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// TestFocusedRunIsFiltered holds every check to the promise the server's
// first publish after an edit relies on: the diagnostics a run focused on
// one file returns (diagnostics.RunFocused, at the cost of that file's
// checks) are exactly those the whole run places on it, on every fixture
// the testscripts and the demo hold. The focused runs share one snapshot,
// as the server's do, and the whole run is on another of the same files,
// so that neither reuses what the other memoized.
func TestFocusedRunIsFiltered(t *testing.T) {
	forEachFixture(t, func(t *testing.T, name string, snap *workspace.Snapshot) {
		whole := workspace.Load(snap.Env, snap.Folders)
		want := make(map[string][]string)
		var fileless []string
		for _, d := range diagnostics.Run(whole, cliChecks, nil) {
			if d.File == nil {
				fileless = append(fileless, render(d))
				continue
			}
			want[d.File.Path] = append(want[d.File.Path], render(d))
		}
		for _, f := range snap.Files() {
			focused, err := diagnostics.RunFocused(context.Background(), snap, cliChecks, diagnostics.FocusOn(f.Path), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var gotFileless []string
			for _, d := range focused {
				if d.File == nil {
					gotFileless = append(gotFileless, render(d))
					continue
				}
				got = append(got, render(d))
			}
			if g, w := strings.Join(got, "\n"), strings.Join(want[f.Path], "\n"); g != w {
				t.Errorf("%s: focused on %s, the run returned\n%s\nwhile the whole run places there\n%s", name, f.Path, g, w)
			}
			if g, w := strings.Join(gotFileless, "\n"), strings.Join(fileless, "\n"); g != w {
				t.Errorf("%s: focused on %s, the diagnostics without a file are\n%s\nnot\n%s", name, f.Path, g, w)
			}
		}
	})
}

// render is every field of d, files by path: two snapshots of the same
// files render their diagnostics alike.
func render(d diagnostics.Diagnostic) string {
	var b strings.Builder
	path := func(f *workspace.File) string {
		if f == nil {
			return "-"
		}
		return f.Path
	}
	fmt.Fprintf(&b, "%s %s:%v %s %q tags=%v", d.Severity, path(d.File), d.Span, d.Code, d.Message, d.Tags)
	for _, r := range d.Related {
		fmt.Fprintf(&b, "\n\trelated %s:%v %q", path(r.File), r.Span, r.Message)
	}
	for _, f := range d.Fixes {
		fmt.Fprintf(&b, "\n\tfix %q %s", f.Title, f.Kind)
		for _, e := range f.Edits {
			fmt.Fprintf(&b, "\n\t\tedit %s:%v %q", path(e.File), e.Span, e.NewText)
		}
		if c := f.Command; c != nil {
			fmt.Fprintf(&b, "\n\t\tcommand %s %q %s %q", c.Name, c.Title, c.Dir, c.Args)
		}
	}
	return b.String()
}
