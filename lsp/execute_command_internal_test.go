package lsp

import (
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
)

// Every command the server runs has a go command line that gomodls check
// can print with its fix (diagnostics.Command.GoArgs), but those that run
// no go command.
func TestCommandsHaveGoArgs(t *testing.T) {
	for _, name := range commandNames() {
		if readOnlyCommands[name] {
			continue
		}
		if args := (&diagnostics.Command{Name: name}).GoArgs(nil); len(args) == 0 {
			t.Errorf("%s: diagnostics.Command.GoArgs knows no go command for it", name)
		}
	}
}
