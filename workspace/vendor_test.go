package workspace

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseVendorManifest(t *testing.T) {
	content := strings.Join([]string{
		"## workspace",                              // 1
		"# example.com/a v1.2.0",                    // 2
		"## explicit; go 1.21",                      // 3
		"example.com/a",                             // 4
		"example.com/a/sub",                         // 5
		"# example.com/b v1.0.0 => ./b",             // 6
		"## explicit",                               // 7
		"## go 1.20; future",                        // 8
		"example.com/b",                             // 9
		"# short",                                   // 10: ignored, section of b continues
		"example.com/b/more",                        // 11
		"# example.com/c master",                    // 12: ignored, ends the section
		"example.com/c",                             // 13: outside any section
		"# example.com/d => example.com/e v1.0.0",   // 14: wildcard replacement
		"# example.com/f v1.0.0 => example.com/g v", // 15: bad replacement
		"two words",                                 // 16
		"-bad",                                      // 17
		"",
	}, "\n")
	vm := ParseVendorManifest(NewFile("/w/vendor/modules.txt", []byte(content), 0))
	if !vm.Workspace {
		t.Error("Workspace = false, want true")
	}
	var got []string
	for _, m := range vm.Modules {
		var pkgs []string
		for _, p := range m.Packages {
			pkgs = append(pkgs, fmt.Sprintf("%s@%d", p.Path, p.Line))
		}
		got = append(got, fmt.Sprintf("%d %v => %v explicit=%v go=%q ann=%d pkgs=%v",
			m.Line, m.Mod, m.Replacement, m.Explicit, m.GoVersion, m.AnnotationLine, pkgs))
	}
	want := []string{
		"2 example.com/a@v1.2.0 =>  explicit=true go=\"1.21\" ann=3 pkgs=[example.com/a@4 example.com/a/sub@5]",
		"6 example.com/b@v1.0.0 => ./b explicit=true go=\"1.20\" ann=8 pkgs=[example.com/b@9 example.com/b/more@11]",
		"14 example.com/d => example.com/e@v1.0.0 explicit=false go=\"\" ann=0 pkgs=[]",
		"15 example.com/f@v1.0.0 =>  explicit=false go=\"\" ann=0 pkgs=[]",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("modules:\n%s\nwant:\n%s", g, w)
	}

	var ignored []string
	for _, e := range vm.Ignored {
		ignored = append(ignored, fmt.Sprintf("%d: %v", e.Pos.Line, e.Err))
	}
	wantIgnored := []string{
		"10: module line needs a path and a version: go ignores it",
		`12: "master" is not a valid module version: go ignores this module line`,
		"13: line outside any module section: go ignores it",
		`15: replacement must be "=> path" or "=> path version": go ignores it`,
		"16: package line must hold exactly one import path: go ignores it",
		`17: invalid package path "-bad": leading dash: go ignores it`,
	}
	if g, w := strings.Join(ignored, "\n"), strings.Join(wantIgnored, "\n"); g != w {
		t.Errorf("ignored:\n%s\nwant:\n%s", g, w)
	}
}

func TestWorkspaceHeader(t *testing.T) {
	// pad is a first line of exactly 512 bytes once ";workspace" follows
	// it, the part of modules.txt cmd/go's modulesTextIsForWorkspace reads.
	pad := "## " + strings.Repeat("x", 512-len("## ")-len(";workspace"))
	for content, want := range map[string]bool{
		"## workspace":                         true,
		"## workspace\n# example.com/a v1.0.0": true,
		"## explicit; workspace":               true,
		"# workspace":                          false,
		"## workspaces":                        false,
		"":                                     false,
		"\n## workspace":                       false,
		// The entry ends at byte 512: go sees it.
		pad + ";workspace":          true,
		pad + ";workspace\n":        true,
		pad + ";workspace;explicit": true,
		// go sees the first line cut at byte 512 as ending in "workspace".
		pad + ";workspaces": true,
		// The entry ends past byte 512: go never sees it.
		pad + "y;workspace":   false,
		pad + "y;workspace\n": false,
	} {
		if got := isWorkspaceHeader([]byte(content)); got != want {
			t.Errorf("isWorkspaceHeader(%q) = %v, want %v", content, got, want)
		}
	}
}

// TestParseVendorManifestWorkspacePast512 shows what gomodls makes of a
// "## workspace" annotation that go does not see: not a workspace's vendor
// directory, and a warning on the line saying why.
func TestParseVendorManifestWorkspacePast512(t *testing.T) {
	first := "## " + strings.Repeat("x", 600) + ";workspace"
	content := first + "\n# example.com/a v1.0.0\n## explicit\nexample.com/a\n"
	vm := ParseVendorManifest(NewFile("/w/vendor/modules.txt", []byte(content), 0))
	if vm.Workspace {
		t.Error("Workspace = true, want false: go reads only the first 512 bytes")
	}
	if len(vm.Ignored) != 1 || vm.Ignored[0].Pos.Line != 1 || !strings.Contains(vm.Ignored[0].Err.Error(), "first 512 bytes") {
		t.Errorf("Ignored = %v, want one error on line 1 about the first 512 bytes", vm.Ignored)
	}
	if len(vm.Modules) != 1 || vm.Modules[0].Mod.Path != "example.com/a" {
		t.Errorf("Modules = %v, want example.com/a", vm.Modules)
	}
}
