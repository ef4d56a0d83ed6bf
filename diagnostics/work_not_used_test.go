package diagnostics

import (
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestWorkModuleNotUsed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name: "every module used",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t.\n\t./a\n)\n",
				"go.mod":   "module example.com/root\n\ngo 1.22\n",
				"a/go.mod": modA,
			},
		},
		{
			name: "two unused modules: information on each, a hint on go.work",
			files: map[string]string{
				"go.work":        "go 1.22\n\nuse (\n\t./a\n)\n",
				"a/go.mod":       modA,
				"c/go.mod":       "module example.com/c\n\ngo 1.22\n",
				"tools/d/go.mod": "// tools\nmodule example.com/d\n",
			},
			want: "c/go.mod:1:1-1:21: information: directory c is contained in a module that is not one of the workspace modules listed in go.work (../go.work); add it to the workspace using: go work use c [gowork-module-not-used]\n" +
				"\trelated go.work:3: the workspace's use directives\n" +
				"\tfix quickfix: Add ./c to go.work\n" +
				"go.work:3:1-3:6: hint: 2 modules under this directory are not in the workspace: ./c, ./tools/d [gowork-module-not-used]\n" +
				"\trelated c/go.mod:1: example.com/c is not used\n" +
				"\trelated tools/d/go.mod:2: example.com/d is not used\n" +
				"\tfix quickfix: Add all modules (go work use -r .)\n" +
				"\tcmd gomodls.workUse . -r .\n" +
				"tools/d/go.mod:2:1-2:21: information: directory tools/d is contained in a module that is not one of the workspace modules listed in go.work (../../go.work); add it to the workspace using: go work use tools/d [gowork-module-not-used]\n" +
				"\trelated go.work:3: the workspace's use directives\n" +
				"\tfix quickfix: Add ./tools/d to go.work\n",
		},
		{
			name: "left alone: skipped directories, replacement targets and their paths, ambiguous paths, nested go.work",
			files: map[string]string{
				"go.work":                 "go 1.22\n\nuse ./a\n\nreplace example.com/w => ./wrep\n",
				"a/go.mod":                "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../localdep\n",
				"localdep/go.mod":         "module example.com/dep\n",
				"otherdep/go.mod":         "module example.com/dep\n", // the same path as a replacement
				"wrep/go.mod":             "module example.com/w\n",
				"twin1/go.mod":            "module example.com/twin\n",
				"twin2/go.mod":            "module example.com/twin\n",
				"a/testdata/m/go.mod":     "module example.com/t\n",
				"_old/go.mod":             "module example.com/old\n",
				".hidden/go.mod":          "module example.com/hidden\n",
				"a/vendor/x/go.mod":       "module example.com/x\n",
				"nested/go.work":          "go 1.22\n\nuse ./n\n",
				"nested/n/go.mod":         "module example.com/n\n",
				"nested/unused/go.mod":    "module example.com/nu\n",
				"notparsed/go.mod":        "modul example.com/np\n",
				"nomodule/go.mod":         "go 1.22\n",
				"nested/unused/README.md": "",
			},
			// Only the nested go.work's own unused module.
			want: "nested/go.work:3:1-3:8: hint: 1 module under this directory is not in the workspace: ./unused [gowork-module-not-used]\n" +
				"\trelated nested/unused/go.mod:1: example.com/nu is not used\n" +
				"\tfix quickfix: Add all modules (go work use -r .)\n" +
				"\tcmd gomodls.workUse nested -r .\n" +
				"nested/unused/go.mod:1:1-1:22: information: directory unused is contained in a module that is not one of the workspace modules listed in go.work (../go.work); add it to the workspace using: go work use unused [gowork-module-not-used]\n" +
				"\trelated nested/go.work:3: the workspace's use directives\n" +
				"\tfix quickfix: Add ./unused to go.work\n",
		},
		{
			name: "a sibling module that a used module replaces itself with is not a patched copy",
			files: map[string]string{
				"go.work":       "go 1.22\n\nuse ./server\n",
				"server/go.mod": "module go.etcd.io/etcd/server/v3\n\nrequire go.etcd.io/etcd/api/v3 v3.6.0\n\nreplace go.etcd.io/etcd/api/v3 => ../api\n",
				"api/go.mod":    "module go.etcd.io/etcd/api/v3\n",
			},
			want: "api/go.mod:1:1-1:30: information: directory api is contained in a module that is not one of the workspace modules listed in go.work (../go.work); add it to the workspace using: go work use api [gowork-module-not-used]\n" +
				"\trelated go.work:3: the workspace's use directives\n" +
				"\tfix quickfix: Add ./api to go.work\n" +
				"go.work:3:1-3:13: hint: 1 module under this directory is not in the workspace: ./api [gowork-module-not-used]\n" +
				"\trelated api/go.mod:1: go.etcd.io/etcd/api/v3 is not used\n" +
				"\tfix quickfix: Add all modules (go work use -r .)\n" +
				"\tcmd gomodls.workUse . -r .\n",
		},
		{
			name: "no use directive: the hint goes on line 1",
			files: map[string]string{
				"go.work": "go 1.22\n",
				"go.mod":  "module example.com/root\n\ngo 1.22\n",
			},
			want: "go.mod:1:1-1:24: information: directory . is contained in a module that is not one of the workspace modules listed in go.work (go.work); add it to the workspace using: go work use . [gowork-module-not-used]\n" +
				"\trelated go.work:1: the workspace's use directives\n" +
				"\tfix quickfix: Add . to go.work\n" +
				"go.work:1:1-1:8: hint: 1 module under this directory is not in the workspace: . [gowork-module-not-used]\n" +
				"\trelated go.mod:1: example.com/root is not used\n" +
				"\tfix quickfix: Add all modules (go work use -r .)\n" +
				"\tcmd gomodls.workUse . -r .\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, tc.files)
			got := renderWork(t, root, runWorkCheck(snap, workNotUsedCheck))
			if want := strings.ReplaceAll(tc.want, "$ROOT", root); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestWorkModuleNotUsedFix(t *testing.T) {
	for _, tc := range []struct {
		name, work, mod, title, want string
	}{
		{
			name:  "into the use block",
			work:  "go 1.22\n\nuse (\n\t./a // the app\n)\n",
			mod:   "module example.com/c\n\ngo 1.22\n",
			title: "Add ./c to go.work",
			want:  "go 1.22\n\nuse (\n\t./a // the app\n\t./c\n)\n",
		},
		{
			name:  "a single use becomes a block, the go line rises, as go work use ./c does",
			work:  "// ws\ngo 1.21\n\ntoolchain go1.21.5\n\nuse ./a // app\n",
			mod:   "module example.com/c\n\ngo 1.22\n",
			title: "Add ./c to go.work",
			want:  "// ws\ngo 1.22\n\nuse (\n\t./a // app\n\t./c\n)\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, snap := load(t, map[string]string{"go.work": tc.work, "a/go.mod": "module example.com/a\n\ngo 1.21\n", "c/go.mod": tc.mod})
			if got := applyTitled(t, runWorkCheck(snap, workNotUsedCheck), CodeGoWorkModuleNotUsed, tc.title); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestWorkModuleNotUsedInAVendoringWorkspace(t *testing.T) {
	_, snap := load(t, map[string]string{
		"go.work":            "go 1.22\n\nuse ./a\n",
		"a/go.mod":           modA,
		"c/go.mod":           "module example.com/c\n\ngo 1.22\n",
		"vendor/modules.txt": "## workspace\n",
	})
	for _, d := range runWorkCheck(snap, workNotUsedCheck) {
		for _, f := range d.Fixes {
			if f.Kind == KindFixAll {
				t.Errorf("%s: fix %q is fix-all-safe, but go work vendor must follow it", d.Code, f.Title)
			}
		}
	}
}

func TestWorkMissing(t *testing.T) {
	project := map[string]string{
		"app/go.mod":  "module example.com/proj/app\n\ngo 1.22\n\nrequire example.com/proj/lib v0.0.0\n\nreplace example.com/proj/lib => ../lib\n",
		"lib/go.mod":  "module example.com/proj/lib\n\ngo 1.22\n\nrequire example.com/proj/util v0.0.0\n\nreplace example.com/proj/util v0.0.0 => ../util\n",
		"util/go.mod": "module example.com/proj/util\n\ngo 1.22\n",
	}
	// Not linked: its replace points at a module of another project.
	fork := map[string]string{
		"fork/go.mod":               "module example.com/fork\n\ngo 1.22\n\nrequire github.com/x/y v1.0.0\n\nreplace github.com/x/y => ./third_party/y\n",
		"fork/third_party/y/go.mod": "module github.com/x/y\n",
	}
	// moby's shape: a vendored root module requiring ./api and ./client,
	// and ./client requiring ../api.
	moby := map[string]string{
		"go.mod":             "module github.com/moby/moby/v2\n\ngo 1.24\n\nrequire (\n\tgithub.com/moby/moby/api v1.52.0\n\tgithub.com/moby/moby/client v0.1.0\n)\n\nreplace (\n\tgithub.com/moby/moby/api => ./api\n\tgithub.com/moby/moby/client => ./client\n)\n",
		"vendor/modules.txt": "# github.com/moby/moby/api v1.52.0 => ./api\n## explicit; go 1.23\n# github.com/moby/moby/client v0.1.0 => ./client\n## explicit; go 1.23\n",
		"api/go.mod":         "module github.com/moby/moby/api\n\ngo 1.23\n",
		"client/go.mod":      "module github.com/moby/moby/client\n\ngo 1.23\n\nrequire github.com/moby/moby/api v1.52.0\n\nreplace github.com/moby/moby/api => ../api\n",
	}
	// Three groups of linked modules, whose innermost directories are the
	// folder, ./propagators and ./instrumentation/net/http (the shape of
	// opentelemetry-go-contrib, which got six go work init advices for one
	// directory).
	const contrib = "go.opentelemetry.io/contrib/"
	nested := map[string]string{
		"otelconf/go.mod":                                         "module " + contrib + "otelconf\n\ngo 1.23\n\nrequire " + contrib + "exporters/autoexport v0.60.0\n\nreplace " + contrib + "exporters/autoexport => ../exporters/autoexport\n",
		"exporters/autoexport/go.mod":                             "module " + contrib + "exporters/autoexport\n\ngo 1.23\n",
		"propagators/autoprop/go.mod":                             "module " + contrib + "propagators/autoprop\n\ngo 1.23\n\nrequire " + contrib + "propagators/b3 v1.35.0\n\nreplace " + contrib + "propagators/b3 => ../b3\n",
		"propagators/b3/go.mod":                                   "module " + contrib + "propagators/b3\n\ngo 1.23\n",
		"instrumentation/net/http/otelhttp/go.mod":                "module " + contrib + "instrumentation/net/http/otelhttp\n\ngo 1.23\n",
		"instrumentation/net/http/httptrace/otelhttptrace/go.mod": "module " + contrib + "instrumentation/net/http/httptrace/otelhttptrace\n\ngo 1.23\n\nrequire " + contrib + "instrumentation/net/http/otelhttp v0.60.0\n\nreplace " + contrib + "instrumentation/net/http/otelhttp => ../../otelhttp\n",
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		env   workspace.Env
		want  string
	}{
		{
			name:  "three modules of one project linked by replaces: said once, on the first replace",
			files: project,
			want: "app/go.mod:7:1-7:39: information: no go.work: 3 modules of this folder require each other through directory replaces (./app, ./lib, ./util); a go.work would make them one workspace: go work init ./app ./lib ./util [gowork-missing]\n" +
				"\trelated lib/go.mod:1: example.com/proj/lib is part of it\n" +
				"\trelated util/go.mod:1: example.com/proj/util is part of it\n" +
				"\tfix quickfix: Create go.work (go work init ./app ./lib ./util)\n" +
				"\tcmd gomodls.workInit . ./app ./lib ./util\n",
		},
		{
			name:  "quiet where the go.work would leave a module out (go refuses to build there)",
			files: with(project, maps2(fork)...),
		},
		{
			name:  "in a directory holding only linked modules: a go.work there",
			files: with(fork, prefixed("proj/", project)...),
			want: "proj/app/go.mod:7:1-7:39: information: no go.work: 3 modules under proj require each other through directory replaces (./app, ./lib, ./util); a go.work in proj would make them one workspace: go work init ./app ./lib ./util [gowork-missing]\n" +
				"\trelated proj/lib/go.mod:1: example.com/proj/lib is part of it\n" +
				"\trelated proj/util/go.mod:1: example.com/proj/util is part of it\n" +
				"\tfix quickfix: Create proj/go.work (go work init ./app ./lib ./util)\n" +
				"\tcmd gomodls.workInit proj ./app ./lib ./util\n",
		},
		{
			name:  "quiet where a module that does not parse would be left out",
			files: withFile(project, "broken/go.mod", "modul example.com/proj/broken\n"),
		},
		{
			name:  "quiet with a go.work",
			files: withFile(project, "go.work", "go 1.22\n\nuse ./app\n"),
		},
		{
			name:  "quiet with GOWORK=off",
			files: project,
			env:   workspace.Env{GOWORK: "off"},
		},
		{
			name:  "quiet with GOFLAGS=-mod=mod, which workspace mode refuses",
			files: project,
			env:   workspace.Env{GOFLAGS: "-mod=mod"},
		},
		{
			name: "quiet on a replace without the require",
			files: map[string]string{
				"app/go.mod": "module example.com/proj/app\n\ngo 1.22\n\nreplace example.com/proj/lib => ../lib\n",
				"lib/go.mod": "module example.com/proj/lib\n\ngo 1.22\n",
			},
		},
		{
			name: "quiet on a module that vendors",
			files: map[string]string{
				"app/go.mod":             "module example.com/proj/app\n\ngo 1.22\n\nrequire example.com/proj/lib v0.0.0\n\nreplace example.com/proj/lib => ../lib\n",
				"app/vendor/modules.txt": "# example.com/proj/lib v0.0.0 => ../lib\n## explicit\n",
				"lib/go.mod":             "module example.com/proj/lib\n\ngo 1.22\n",
			},
		},
		{
			name:  "moby: quiet over a vendored root module",
			files: moby,
		},
		{
			name:  "moby without vendor/, its root module requiring neither: quiet, the root module would be left out",
			files: with(moby, "vendor/modules.txt", "", "go.mod", "module github.com/moby/moby/v2\n\ngo 1.24\n"),
		},
		{
			name:  "moby without vendor/: one go.work of all three",
			files: with(moby, "vendor/modules.txt", ""),
			want: "go.mod:11:2-11:35: information: no go.work: 3 modules of this folder require each other through directory replaces (., ./api, ./client); a go.work would make them one workspace: go work init . ./api ./client [gowork-missing]\n" +
				"\trelated api/go.mod:1: github.com/moby/moby/api is part of it\n" +
				"\trelated client/go.mod:1: github.com/moby/moby/client is part of it\n" +
				"\tfix quickfix: Create go.work (go work init . ./api ./client)\n" +
				"\tcmd gomodls.workInit . . ./api ./client\n",
		},
		{
			name:  "nested groups: one advice, at the outermost directory, with every module under it",
			files: nested,
			want: "instrumentation/net/http/httptrace/otelhttptrace/go.mod:7:1-7:88: information: no go.work: 6 modules of this folder require each other through directory replaces (./exporters/autoexport, ./instrumentation/net/http/httptrace/otelhttptrace, ./instrumentation/net/http/otelhttp, ./otelconf, ./propagators/autoprop, ./propagators/b3); a go.work would make them one workspace: go work init ./exporters/autoexport ./instrumentation/net/http/httptrace/otelhttptrace ./instrumentation/net/http/otelhttp ./otelconf ./propagators/autoprop ./propagators/b3 [gowork-missing]\n" +
				"\trelated exporters/autoexport/go.mod:1: go.opentelemetry.io/contrib/exporters/autoexport is part of it\n" +
				"\trelated instrumentation/net/http/otelhttp/go.mod:1: go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp is part of it\n" +
				"\trelated otelconf/go.mod:1: go.opentelemetry.io/contrib/otelconf is part of it\n" +
				"\trelated propagators/autoprop/go.mod:1: go.opentelemetry.io/contrib/propagators/autoprop is part of it\n" +
				"\trelated propagators/b3/go.mod:1: go.opentelemetry.io/contrib/propagators/b3 is part of it\n" +
				"\tfix quickfix: Create go.work (go work init ./exporters/autoexport ./instrumentation/net/http/httptrace/otelhttptrace ./instrumentation/net/http/otelhttp ./otelconf ./propagators/autoprop ./propagators/b3)\n" +
				"\tcmd gomodls.workInit . ./exporters/autoexport ./instrumentation/net/http/httptrace/otelhttptrace ./instrumentation/net/http/otelhttp ./otelconf ./propagators/autoprop ./propagators/b3\n",
		},
		{
			name:  "nested groups under a module linked to none: one advice in each inner directory that holds only linked modules",
			files: withFile(nested, "tools/go.mod", "module "+contrib+"tools\n\ngo 1.23\n"),
			want: "instrumentation/net/http/httptrace/otelhttptrace/go.mod:7:1-7:88: information: no go.work: 2 modules under instrumentation/net/http require each other through directory replaces (./httptrace/otelhttptrace, ./otelhttp); a go.work in instrumentation/net/http would make them one workspace: go work init ./httptrace/otelhttptrace ./otelhttp [gowork-missing]\n" +
				"\trelated instrumentation/net/http/otelhttp/go.mod:1: go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp is part of it\n" +
				"\tfix quickfix: Create instrumentation/net/http/go.work (go work init ./httptrace/otelhttptrace ./otelhttp)\n" +
				"\tcmd gomodls.workInit instrumentation/net/http ./httptrace/otelhttptrace ./otelhttp\n" +
				"propagators/autoprop/go.mod:7:1-7:60: information: no go.work: 2 modules under propagators require each other through directory replaces (./autoprop, ./b3); a go.work in propagators would make them one workspace: go work init ./autoprop ./b3 [gowork-missing]\n" +
				"\trelated propagators/b3/go.mod:1: go.opentelemetry.io/contrib/propagators/b3 is part of it\n" +
				"\tfix quickfix: Create propagators/go.work (go work init ./autoprop ./b3)\n" +
				"\tcmd gomodls.workInit propagators ./autoprop ./b3\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadEnv(t, tc.env, tc.files)
			var missing []Diagnostic
			for _, d := range runWorkCheck(snap, workNotUsedCheck) {
				if d.Code == CodeGoWorkMissing {
					missing = append(missing, d)
				}
			}
			got := renderWork(t, root, missing)
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// maps2 flattens files into with's name, content pairs.
func maps2(files map[string]string) []string {
	var kv []string
	for k, v := range files {
		kv = append(kv, k, v)
	}
	return kv
}

// prefixed is files moved under dir, as with's name, content pairs.
func prefixed(dir string, files map[string]string) []string {
	var kv []string
	for k, v := range files {
		kv = append(kv, dir+k, v)
	}
	return kv
}

func withFile(files map[string]string, name, content string) map[string]string {
	out := map[string]string{name: content}
	for k, v := range files {
		out[k] = v
	}
	return out
}
