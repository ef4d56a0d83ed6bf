package lsp

import (
	"context"
	"encoding/json"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
)

// A commandFunc runs one workspace/executeCommand command. It runs on its
// own goroutine, so it may take long and may call the client (progress,
// applyEdit); ctx ends with the session or when the client cancels the
// request.
type commandFunc func(s *server, ctx context.Context, args commandArgs) (any, error)

// commands maps the name of each command the server runs to its function;
// initialize advertises exactly these names. Adding a command is adding an
// entry here.
var commands = map[string]commandFunc{
	diagnostics.CommandVendor:   (*server).vendorCommand,
	diagnostics.CommandWorkUse:  (*server).workUseCommand,
	diagnostics.CommandWorkSync: (*server).workSyncCommand,
	diagnostics.CommandWorkInit: (*server).workInitCommand,
	diagnostics.CommandDownload: (*server).downloadCommand,
	diagnostics.CommandTidy:     (*server).tidyCommand,

	diagnostics.CommandVerifyVendor: (*server).verifyVendorCommand,
}

// readOnlyCommands run no go command and write nothing: they need no trust
// (the allowCommands setting).
var readOnlyCommands = map[string]bool{diagnostics.CommandVerifyVendor: true}

func commandNames() []string {
	names := []string{} // an empty list, never null
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// commandArgs is the one argument every gomodls command takes (see
// toCommand): the directory to run in and the go command's arguments.
type commandArgs struct {
	Dir  protocol.DocumentURI `json:"dir"`
	Args []string             `json:"args"`

	dir string // Dir as a path, in a workspace folder (decodeCommandArgs)
}

// toCommand converts a fix's command into the LSP form clients invoke with
// workspace/executeCommand: arguments [{"dir": URI, "args": [...]}].
func toCommand(c *diagnostics.Command, fallbackTitle string) *protocol.Command {
	title := c.Title
	if title == "" {
		title = fallbackTitle
	}
	args := c.Args
	if args == nil {
		args = []string{}
	}
	return &protocol.Command{
		Title:     title,
		Command:   c.Name,
		Arguments: []any{commandArgs{Dir: uriFromPath(c.Dir), Args: args}},
	}
}

// executeCommandParams is ExecuteCommandParams with the arguments kept raw
// for the command to decode.
type executeCommandParams struct {
	Command   string            `json:"command"`
	Arguments []json.RawMessage `json:"arguments"`
}

// executeCommand runs a registered command after checking that its
// directory lies in a workspace folder.
func (s *server) executeCommand(ctx context.Context, params *executeCommandParams) (any, error) {
	run, ok := commands[params.Command]
	if !ok {
		return nil, errorf("command %q is not implemented yet", params.Command)
	}
	if why := s.commandsRefusal(); why != "" && !readOnlyCommands[params.Command] {
		return nil, s.refuse(why)
	}
	args, err := s.decodeCommandArgs(params.Arguments)
	if err != nil {
		return nil, err
	}
	return run(s, ctx, args)
}

// decodeCommandArgs decodes the single argument object and checks that its
// directory is inside a workspace folder, symbolic links resolved (see
// confinement.go): commands run go, which writes files, and must not be
// pointed elsewhere. commandSnapshot checks the rest of what the command
// would touch.
func (s *server) decodeCommandArgs(raw []json.RawMessage) (commandArgs, error) {
	var args commandArgs
	if len(raw) != 1 {
		return args, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "want one argument object {\"dir\": URI, \"args\": [...]}, got %d arguments", len(raw))
	}
	if err := json.Unmarshal(raw[0], &args); err != nil {
		return args, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid command argument: %v", err)
	}
	dir, err := pathFromURI(args.Dir)
	if err != nil {
		return args, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid command directory: %v", err)
	}
	if why := s.outsideFolders([]string{dir}); why != "" {
		return args, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "command directory %s", why)
	}
	args.dir = dir
	return args, nil
}
