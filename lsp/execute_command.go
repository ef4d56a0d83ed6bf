package lsp

import (
	"context"
	"encoding/json"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// A commandFunc runs one workspace/executeCommand command. It runs on its
// own goroutine, so it may take long and may call the client (progress,
// applyEdit); ctx ends with the session.
type commandFunc func(ctx context.Context, s *server, args commandArgs) (any, error)

// commands maps the name of each command the server runs to its function;
// initialize advertises exactly these names. Adding a command is adding an
// entry here.
var commands = map[string]commandFunc{}

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
	args, err := s.decodeCommandArgs(params.Arguments)
	if err != nil {
		return nil, err
	}
	return run(ctx, s, args)
}

// decodeCommandArgs decodes the single argument object and checks that its
// directory is inside a workspace folder: commands run go, which writes
// files, and must not be pointed elsewhere.
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
	s.mu.Lock()
	folders := slices.Clone(s.folders)
	s.mu.Unlock()
	if !slices.ContainsFunc(folders, func(f string) bool { return workspace.Within(dir, f) }) {
		return args, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "directory %s is not in a workspace folder", dir)
	}
	return args, nil
}
