package diagnostics

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
)
