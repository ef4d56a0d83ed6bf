package diagnostics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestFileSkipped(t *testing.T) {
	const dep = "require example.com/dep v1.0.0\n"
	cached := map[string]string{"mod example.com/dep@v1.0.0": "module example.com/dep\n\ngo 1.22\n"}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		links  map[string]string // link → target; $ROOT is the folder, $OUT a directory outside it
		limits workspace.Limits
		want   string
	}{
		{
			name:  "control: an empty go.sum misses the hash (what a skipped one must not say)",
			files: with(cached, "go.mod", mainMod(dep), "go.sum", ""),
			want:  "go.mod:5:1-5:31: error: example.com/dep@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/dep\n(go.sum has no line \"example.com/dep v1.0.0/go.mod h1:…\": there is no go.sum) [sum-missing-gomod]\n",
		},
		{
			name:  "go.sum linked to /dev/zero: skipped, no missing hash",
			files: with(cached, "go.mod", mainMod(dep)),
			links: map[string]string{"go.sum": "/dev/zero"},
			want:  "go.sum:1:1-1:1: warning: go.sum is a symbolic link to /dev/zero, outside the workspace folders and the module cache; gomodls did not read it, and the checks that need it are silent [file-skipped]\n",
		},
		{
			name:  "go.sum linked to a secret outside the folder",
			files: with(cached, "go.mod", mainMod(dep), "$OUT/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n"),
			links: map[string]string{"go.sum": "$OUT/id_rsa"},
			want:  "go.sum:1:1-1:1: warning: go.sum is a symbolic link to $OUT/id_rsa, outside the workspace folders and the module cache; gomodls did not read it, and the checks that need it are silent [file-skipped]\n",
		},
		{
			name:  "go.sum linked to a file inside the folder is read",
			files: with(cached, "go.mod", mainMod(dep), "sums/go.sum", ""),
			links: map[string]string{"go.sum": "sums/go.sum"},
			want:  "go.mod:5:1-5:31: error: example.com/dep@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/dep\n(go.sum has no line \"example.com/dep v1.0.0/go.mod h1:…\": there is no go.sum) [sum-missing-gomod]\n",
		},
		{
			name:   "go.sum over maxSumFileSize",
			files:  with(cached, "go.mod", mainMod(dep), "go.sum", strings.Repeat("\n", 2048)),
			limits: workspace.Limits{SumFileSize: 1024},
			want:   "go.sum:1:1-1:1: warning: go.sum is larger than 1 KiB (1024 bytes); gomodls did not read it, and the checks that need it are silent; the setting maxSumFileSize (gomodls check -max-sum-file-size) raises the limit [file-skipped]\n",
		},
		{
			name:   "go.mod over maxFileSize: no parse error, no stray go.sum",
			files:  map[string]string{"go.mod": mainMod(strings.Repeat("// x\n", 40)), "go.sum": ""},
			limits: workspace.Limits{FileSize: 100},
			want:   "go.mod:1:1-1:1: warning: go.mod is larger than 100 bytes; gomodls did not read it, and the checks that need it are silent; the setting maxFileSize (gomodls check -max-file-size) raises the limit [file-skipped]\n",
		},
		{
			name: "go.work over maxFileSize: its modules are not checked as if alone",
			files: with(cached, "go.work", "go 1.22\n\nuse ./a\n"+strings.Repeat("// x\n", 40),
				"a/go.mod", "module example.com/a\n\ngo 1.22\n\n"+dep),
			limits: workspace.Limits{FileSize: 100},
			want:   "go.work:1:1-1:1: warning: go.work is larger than 100 bytes; gomodls did not read it, and the checks that need it are silent; the setting maxFileSize (gomodls check -max-file-size) raises the limit [file-skipped]\n",
		},
		{
			name: "vendor/modules.txt over maxFileSize: no inconsistent vendoring",
			files: with(cached, "go.mod", mainMod(dep), "go.sum", "",
				"vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit; go 1.22\n"+strings.Repeat("# x\n", 40)),
			limits: workspace.Limits{FileSize: 100},
			want:   "vendor/modules.txt:1:1-1:1: warning: vendor/modules.txt is larger than 100 bytes; gomodls did not read it, and the checks that need it are silent; the setting maxFileSize (gomodls check -max-file-size) raises the limit [file-skipped]\n",
		},
		{
			name:  "a used directory linked out of the folder: its go.mod is skipped, not missing",
			files: map[string]string{"go.work": "go 1.22\n\nuse ./link\n", "$OUT/go.mod": "module example.com/out\n\ngo 1.22\n"},
			links: map[string]string{"link": "$OUT"},
			want:  "link/go.mod:1:1-1:1: warning: go.mod is a symbolic link to $OUT/go.mod, outside the workspace folders and the module cache; gomodls did not read it, and the checks that need it are silent [file-skipped]\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			root, out, modcache := filepath.Join(base, "ws"), filepath.Join(base, "out"), filepath.Join(base, "modcache")
			expand := func(s string) string {
				return strings.NewReplacer("$ROOT", root, "$OUT", out).Replace(s)
			}
			inFolder := map[string]string{}
			for name, content := range tc.files {
				switch {
				case strings.HasPrefix(name, "$OUT/"):
					writeFiles(t, out, map[string]string{strings.TrimPrefix(name, "$OUT/"): content})
				case strings.HasPrefix(name, "mod "):
					p, v, _ := strings.Cut(strings.TrimPrefix(name, "mod "), "@")
					writeFiles(t, modcache, map[string]string{"cache/download/" + p + "/@v/" + v + ".mod": content})
				default:
					inFolder[name] = content
				}
			}
			writeFiles(t, root, inFolder)
			if err := os.MkdirAll(root, 0o755); err != nil {
				t.Fatal(err)
			}
			for link, target := range tc.links {
				if err := os.Symlink(expand(target), filepath.Join(root, filepath.FromSlash(link))); err != nil {
					t.Skipf("symlink: %v", err)
				}
			}
			if _, err := os.Stat("/dev/zero"); err != nil && strings.Contains(tc.name, "/dev/zero") {
				t.Skip("no /dev/zero")
			}
			snap := workspace.LoadWithLimits(workspace.Env{GOMODCACHE: modcache}, []string{root}, tc.limits)
			got := render(t, root, Run(snap, Checks, nil))
			got = strings.ReplaceAll(got, workspace.ResolvePath(out), "$OUT")
			if got != expand(tc.want) && got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
