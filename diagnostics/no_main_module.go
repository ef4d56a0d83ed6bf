package diagnostics

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// CodeEnvNoMainModule: Go files outside every module.
const CodeEnvNoMainModule = "env-no-main-module"

// NoMainModuleCheck reports, on line 1 of the first .go file of each
// directory of Go files that no go.mod contains, that the go command run
// there fails: in module mode, with no go.mod in the directory or a parent
// (modload.Init: findModuleRoot) and no go.work, it has no main module
// (modload.die, noMainModulesError). The fix is go mod init, with the module
// path guessed (see moduleInit).
//
// It is not in Checks: only `gomodls check` runs it. In an editor, a
// repository with a stray directory of Go scripts would carry an error the
// user did not ask about on every keystroke in a go.mod.
var NoMainModuleCheck = Check{
	Name:  "noMainModule",
	Codes: []string{CodeEnvNoMainModule},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		// GO111MODULE=off is GOPATH mode; with auto, no go.mod means GOPATH
		// mode too (modload.Init). Any other value is an error of its own.
		if mods := buildctx.ModulesOf(snap.Env); mods.NoGoModMeansGOPATH() || mods.Invalid {
			return nil
		}
		// A GOWORK naming a file is workspace mode from every directory,
		// and there the go command fails otherwise ("outside modules listed
		// in go.work"), or not at all.
		if gw := buildctx.GoWorkOf(snap.Env); gw.File != "" || gw.Relative {
			return nil
		}
		var dirs []*workspace.GoDirWithoutModule
		for _, d := range snap.GoDirsWithoutModule() {
			if snap.WorkFor(d.Dir) == nil {
				dirs = append(dirs, d)
			}
		}
		inits := moduleInits(snap, dirs)
		var diags []Diagnostic
		for _, d := range dirs {
			mi := inits[d]
			cmd := "go mod init " + mi.path
			cd, where := "", ""
			if mi.root != d.Dir {
				rel, err := filepath.Rel(d.Dir, mi.root)
				if err != nil {
					rel = mi.root
				}
				cd, where = "cd "+filepath.ToSlash(rel)+" && ", " in "+filepath.ToSlash(rel)
			}
			goSays := "go.mod file not found in current directory or any parent directory"
			if d.Repo != "" {
				goSays = "cannot find main module, but found .git/config in " + d.Repo
			}
			diags = append(diags, Diagnostic{
				Code:     CodeEnvNoMainModule,
				Severity: SeverityError,
				File:     d.File,
				Span:     d.File.LineSpan(1),
				Message: fmt.Sprintf("no go.mod in this directory or any parent: the go command fails here with \"%s\"; create the module: %s%s (%s)",
					goSays, cd, cmd, mi.why),
				Fixes: []Fix{{Title: "Run " + cmd + where, Kind: KindQuickFix}},
			})
		}
		return diags
	},
}

// A moduleInit is the go mod init that would put a directory in a module.
type moduleInit struct {
	root string // where to run it
	path string // the module path
	why  string // where the path comes from, for the message
}

// moduleInits decides where to run go mod init for each directory, and
// with which path. The directories of one repository (or, outside any, of
// one workspace folder) share one module, rooted at their deepest common
// directory: one go mod init fixes them all, rather than one module per
// package. The path is, first, the repository's remote (github.com/o/r for
// git@github.com:o/r.git) joined with the root's directory inside the
// repository; then the root's import path under $GOPATH/src, which go mod
// init itself would pick (modload.findModulePath); otherwise
// example.com/<root's name>, a placeholder.
func moduleInits(snap *workspace.Snapshot, dirs []*workspace.GoDirWithoutModule) map[*workspace.GoDirWithoutModule]moduleInit {
	groups := make(map[string][]*workspace.GoDirWithoutModule)
	var keys []string
	for _, d := range dirs {
		key := d.Repo
		if key == "" {
			key = folderOf(snap, d.Dir)
		}
		if groups[key] == nil {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], d)
	}
	inits := make(map[*workspace.GoDirWithoutModule]moduleInit)
	for _, key := range keys {
		group := groups[key]
		root := group[0].Dir
		for _, d := range group[1:] {
			root = commonDir(root, d.Dir)
		}
		mi := moduleInit{root: root}
		repo := group[0].Repo
		if p := remoteModulePath(group[0].RemoteURL); p != "" {
			if rel, err := filepath.Rel(repo, root); err == nil && rel != "." {
				p += "/" + filepath.ToSlash(rel)
			}
			if module.CheckImportPath(p) == nil {
				mi.path, mi.why = p, "the path of the git remote"
			}
		}
		if mi.path == "" {
			if p := gopathImportPath(snap.Env.GOPATH, root); p != "" {
				mi.path, mi.why = p, "the import path of the directory in GOPATH, which go mod init would pick too"
			}
		}
		if mi.path == "" {
			mi.path = "example.com/" + filepath.Base(root)
			if module.CheckImportPath(mi.path) != nil {
				mi.path = "example.com/m"
			}
			mi.why = mi.path + " is a placeholder: use the path the module will be imported by"
		}
		for _, d := range group {
			inits[d] = mi
		}
	}
	return inits
}

// folderOf is the innermost workspace folder holding dir.
func folderOf(snap *workspace.Snapshot, dir string) string {
	best := dir
	for _, f := range snap.Folders {
		if workspace.Within(dir, f) && (best == dir || len(f) > len(best)) {
			best = f
		}
	}
	return best
}

// commonDir is the deepest directory holding both a and b (clean, absolute).
func commonDir(a, b string) string {
	for !workspace.Within(b, a) {
		parent := filepath.Dir(a)
		if parent == a {
			return a
		}
		a = parent
	}
	return a
}

// remoteModulePath turns a git remote URL into the module path the
// repository is fetched by: host and path, without ".git", for URLs
// (https://github.com/o/r.git, ssh://git@github.com/o/r) and scp-like
// addresses (git@github.com:o/r.git). It is "" for a local remote (a path,
// file://) or a result that is not a module path (module.CheckPath: the
// first element must be a host name with a dot).
func remoteModulePath(remote string) string {
	var host, p string
	if strings.Contains(remote, "://") {
		u, err := url.Parse(remote)
		if err != nil || u.Scheme == "file" {
			return ""
		}
		host, p = u.Hostname(), u.Path
	} else {
		// scp-like: [user@]host:path, with no slash before the colon.
		before, after, ok := strings.Cut(remote, ":")
		if !ok || strings.Contains(before, "/") {
			return ""
		}
		if _, h, ok := strings.Cut(before, "@"); ok {
			before = h
		}
		host, p = before, after
	}
	p = strings.TrimSuffix(strings.Trim(p, "/"), ".git")
	if host == "" || p == "" {
		return ""
	}
	mod := strings.ToLower(host) + "/" + p
	if module.CheckPath(mod) != nil {
		return ""
	}
	return mod
}

// gopathImportPath is dir's import path under the src directory of a
// GOPATH entry, as modload.findModulePath computes it (and checks it with
// module.CheckImportPath); "" when dir is not below one.
func gopathImportPath(gopath, dir string) string {
	for _, entry := range filepath.SplitList(gopath) {
		if entry == "" {
			continue
		}
		src := filepath.Join(entry, "src")
		rel, err := filepath.Rel(src, dir)
		if err != nil || rel == "." || !workspace.Within(dir, src) {
			continue
		}
		p := filepath.ToSlash(rel)
		if module.CheckImportPath(p) != nil {
			return ""
		}
		return p
	}
	return ""
}
