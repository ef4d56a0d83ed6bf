package diagnostics

import (
	"fmt"
	"path/filepath"

	"github.com/gomodls/gomodls/workspace"
)

// CodeFileSkipped is reported on a module file gomodls did not read.
const CodeFileSkipped = "file-skipped"

// fileSkippedCheck reports each module file that was found but not read
// (workspace.File.Skipped): not a regular file, larger than its limit, or a
// symbolic link leading out of the workspace folders and the module cache.
// The file has no content in the snapshot, so the diagnostic sits at its
// start; the checks that would read it stay silent (it parses as a file
// that failed to parse, and the go.sum and vendor checks skip it), which
// this diagnostic explains.
var fileSkippedCheck = Check{
	Name:  "fileSkipped",
	Codes: []string{CodeFileSkipped},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		var diags []Diagnostic
		for _, f := range snap.Skipped() {
			diags = append(diags, Diagnostic{
				Code:     CodeFileSkipped,
				Severity: SeverityWarning,
				File:     f,
				Message:  skippedMessage(f),
			})
		}
		return diags
	},
}

func skippedMessage(f *workspace.File) string {
	why := f.Skipped
	name := filepath.Base(f.Path)
	if f.Kind == workspace.KindVendorManifest {
		name = "vendor/modules.txt"
	}
	silent := "; gomodls did not read it, and the checks that need it are silent"
	switch why.Reason {
	case workspace.SkipNotRegular:
		return fmt.Sprintf("%s is not a regular file (%s)%s (a go command reading it may block or fail)", name, why.FileType(), silent)
	case workspace.SkipTooLarge:
		setting, flag := "maxFileSize", "-max-file-size"
		if why.Kind == workspace.KindGoSum || why.Kind == workspace.KindGoWorkSum {
			setting, flag = "maxSumFileSize", "-max-sum-file-size"
		}
		return fmt.Sprintf("%s is larger than %s%s; the setting %s (gomodls check %s) raises the limit", name, byteSize(why.Limit), silent, setting, flag)
	case workspace.SkipOutside:
		return fmt.Sprintf("%s is a symbolic link to %s, outside the workspace folders and the module cache%s", name, why.Target, silent)
	}
	return name + " was not read: " + why.Error()
}

// byteSize writes n bytes in the largest binary unit it is a whole number
// of ("4 MiB (4194304 bytes)"), or in bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB (%d bytes)", n>>30, n)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB (%d bytes)", n>>10, n)
	}
	return fmt.Sprintf("%d bytes", n)
}
