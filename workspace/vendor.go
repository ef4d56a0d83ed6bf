package workspace

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// VendorManifest is a parsed vendor/modules.txt.
//
// It reads the file exactly as cmd/go's readVendorList
// (cmd/go/internal/modload/vendor.go) does, so that checks see what the go
// command sees, and additionally records where everything is and which lines
// the go command silently ignores (Ignored): such a line usually means the
// file was edited by hand, and what go makes of it surprises the user later,
// as "inconsistent vendoring".
type VendorManifest struct {
	File *File
	// Workspace reports whether the first line is "## workspace", written by
	// go work vendor (Go 1.22+).
	Workspace bool
	// Modules holds one entry per "# path version" or "# path => ..." line,
	// in file order.
	Modules []*VendorModule
	// Ignored holds one error per line that the go command skips without
	// complaint, with the reason.
	Ignored modfile.ErrorList
}

// VendorModule is one module section of modules.txt.
type VendorModule struct {
	// Mod is the module. Version is empty for a wildcard replacement line
	// ("# path => target").
	Mod module.Version
	// Replacement is the "=> path [version]" part; zero if absent.
	Replacement module.Version
	Explicit    bool   // "## explicit" annotation
	GoVersion   string // "## go X" annotation; empty if absent
	Packages    []VendorPackage
	Line        int  // 1-based line of the "# " module line
	Span        Span // that line
	// AnnotationLine is the 1-based line of the last "## " line of this
	// section; 0 if there is none.
	AnnotationLine int
}

// VendorPackage is a package line inside a module section.
type VendorPackage struct {
	Path string
	Line int
	Span Span
}

// ParseVendorManifest parses vendor/modules.txt. It never fails: lines the go
// command would ignore are reported in Ignored and otherwise skipped exactly
// as the go command skips them.
func ParseVendorManifest(f *File) *VendorManifest {
	vm := &VendorManifest{File: f}
	ignore := func(lineno int, format string, args ...any) {
		span := f.LineSpan(lineno)
		vm.Ignored = append(vm.Ignored, modfile.Error{
			Filename: f.Path,
			Pos:      modfile.Position{Line: lineno, LineRune: 1, Byte: span.Start},
			Err:      fmt.Errorf(format, args...),
		})
	}

	vm.Workspace = isWorkspaceHeader(f.Content())
	var cur *VendorModule // nil: no module line yet, or the last one was ignored
	lines := strings.Split(string(f.Content()), "\n")
	for i, line := range lines {
		lineno := i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "# ") {
			fields := strings.Fields(line)
			if len(fields) < 3 {
				// cmd/go skips such a line without ending the current
				// module's section: package lines below still belong to it.
				ignore(lineno, "module line needs a path and a version: go ignores it")
				continue
			}
			cur = nil
			m := &VendorModule{Line: lineno, Span: f.LineSpan(lineno)}
			switch {
			case semver.IsValid(fields[2]):
				m.Mod = module.Version{Path: fields[1], Version: fields[2]}
				fields = fields[3:]
			case fields[2] == "=>":
				m.Mod = module.Version{Path: fields[1]}
				fields = fields[2:]
			default:
				ignore(lineno, "%q is not a valid module version: go ignores this module line", fields[2])
				continue
			}
			if len(fields) >= 2 && fields[0] == "=>" {
				switch {
				case len(fields) == 2:
					m.Replacement = module.Version{Path: fields[1]}
				case len(fields) == 3 && semver.IsValid(fields[2]):
					m.Replacement = module.Version{Path: fields[1], Version: fields[2]}
				default:
					ignore(lineno, "replacement must be \"=> path\" or \"=> path version\": go ignores it")
				}
			} else if len(fields) > 0 {
				ignore(lineno, "unexpected %q after the module version: go ignores it", strings.Join(fields, " "))
			}
			vm.Modules = append(vm.Modules, m)
			cur = m
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if cur == nil {
			if lineno == 1 && vm.Workspace {
				continue
			}
			if lineno == 1 && hasWorkspaceEntry(line) {
				ignore(lineno, "the workspace annotation ends past byte %d, and go reads only the first %d bytes to find it: go does not treat this vendor directory as a workspace's", workspaceHeaderBytes, workspaceHeaderBytes)
				continue
			}
			ignore(lineno, "line outside any module section: go ignores it")
			continue
		}
		if annotations, ok := strings.CutPrefix(line, "## "); ok {
			cur.AnnotationLine = lineno
			for entry := range strings.SplitSeq(annotations, ";") {
				entry = strings.TrimSpace(entry)
				if entry == "explicit" {
					cur.Explicit = true
				}
				if v, ok := strings.CutPrefix(entry, "go "); ok {
					cur.GoVersion = v
				}
				// Other entries are reserved for future use, as in cmd/go.
			}
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 1 {
			ignore(lineno, "package line must hold exactly one import path: go ignores it")
			continue
		}
		if err := module.CheckImportPath(fields[0]); err != nil {
			var pathErr *module.InvalidPathError
			if errors.As(err, &pathErr) {
				err = pathErr.Err
			}
			ignore(lineno, "invalid package path %q: %v: go ignores it", fields[0], err)
			continue
		}
		cur.Packages = append(cur.Packages, VendorPackage{Path: fields[0], Line: lineno, Span: f.LineSpan(lineno)})
	}
	return vm
}

// workspaceHeaderBytes is how much of modules.txt cmd/go reads to find the
// "## workspace" line: modulesTextIsForWorkspace (cmd/go/internal/modload
// init.go, Go 1.26) makes one Read into a [512]byte buffer.
const workspaceHeaderBytes = 512

// isWorkspaceHeader reports whether modules.txt marks a workspace vendor
// directory, as cmd/go's modulesTextIsForWorkspace decides: the first line of
// the first 512 bytes is a "## " line with a "workspace" entry. go never sees
// an entry past byte 512, and judges a longer first line as cut there (so
// "## ...;workspace" cut right after "workspace" counts).
func isWorkspaceHeader(content []byte) bool {
	head := content[:min(len(content), workspaceHeaderBytes)]
	line, _, _ := strings.Cut(string(head), "\n")
	return hasWorkspaceEntry(line)
}

// hasWorkspaceEntry reports whether line is a "## " line with a "workspace"
// entry.
func hasWorkspaceEntry(line string) bool {
	annotations, ok := strings.CutPrefix(line, "## ")
	if !ok {
		return false
	}
	for entry := range strings.SplitSeq(annotations, ";") {
		if strings.TrimSpace(entry) == "workspace" {
			return true
		}
	}
	return false
}
