package diagnostics

import (
	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// The commands a Fix may carry (Command.Name): each runs the go command in
// Command.Dir, through the language server's workspace/executeCommand, with
// Command.Args among those the command allows.
const (
	// CommandVendor runs go mod vendor, or go work vendor in workspace
	// mode, in the command's Dir. Args: "-v", "-e".
	CommandVendor = "gomodls.vendor"
	// CommandWorkUse runs go work use in the directory of a go.work.
	// Args: "-r", and directories relative to Dir that lie inside it
	// ("-r ." adds every module under Dir and drops uses of directories
	// that are gone).
	CommandWorkUse = "gomodls.workUse"
	// CommandWorkSync runs go work sync in the directory of a go.work: it
	// raises each used module's requirements to the versions the workspace
	// selects. No Args.
	CommandWorkSync = "gomodls.workSync"
	// CommandWorkInit runs go work init in a directory that has no go.work.
	// Args: directories relative to Dir that lie inside it, the modules to
	// use.
	CommandWorkInit = "gomodls.workInit"
	// CommandDownload runs go mod download in a module's directory, for
	// the module paths in Args (no flags): it adds their go.sum lines.
	CommandDownload = "gomodls.download"
	// CommandTidy runs go mod tidy in a module's directory (go.work is
	// ignored, as go mod tidy ignores it). No Args.
	CommandTidy = "gomodls.tidy"
	// CommandVerifyVendor runs no go command: the server compares the
	// vendored packages of the vendor directories in or below Dir with the
	// module cache (VerifyVendor) and shows vendor-modified until the
	// vendor tree changes. It only reads. No Args.
	CommandVerifyVendor = "gomodls.verifyVendor"
)

// GoArgs returns the arguments of the go command that c runs (what follows
// "go"), as the server's command builds them, for showing the command to
// someone who runs it by hand (gomodls check prints it). It is nil for a
// name the server does not run. snap, when not nil, decides between go mod
// vendor and go work vendor as the server does (buildctx.ForDir: work
// vendor where go run in Dir uses a go.work that is in Dir or uses Dir's
// module); without a snapshot it is go mod vendor.
func (c *Command) GoArgs(snap *workspace.Snapshot) []string {
	var sub []string
	switch c.Name {
	case CommandVendor:
		sub = []string{"mod", "vendor"}
		if snap != nil && vendorsWorkspace(snap, c.Dir) {
			sub = []string{"work", "vendor"}
		}
	case CommandWorkUse:
		sub = []string{"work", "use"}
	case CommandWorkSync:
		sub = []string{"work", "sync"}
	case CommandWorkInit:
		sub = []string{"work", "init"}
	case CommandDownload:
		sub = []string{"mod", "download"}
	case CommandTidy:
		sub = []string{"mod", "tidy"}
	default:
		return nil
	}
	return append(sub, c.Args...)
}

// vendorsWorkspace reports whether go run in dir for go mod vendor / go work
// vendor acts on a workspace (buildctx.ForDir, as the server's command does).
func vendorsWorkspace(snap *workspace.Snapshot, dir string) bool {
	c := buildctx.ForDir(snap, dir)
	return c != nil && c.Work != nil
}
