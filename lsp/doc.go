// Package lsp is gomodls's language server: it speaks the Language Server
// Protocol (3.16, as modelled by go.lsp.dev/protocol) over one connection
// and is the only package that imports go.lsp.dev.
//
// # Contract
//
//   - [Serve] reads messages until the client sends exit, the connection
//     closes or the context ends. It never writes anything but protocol
//     messages to the connection; logs go to [Options.Logger].
//   - Messages take effect in the order they arrive. A workspace load (the
//     walk of the folders) runs off the reader goroutine with later messages
//     queued behind it (load.go), so shutdown, exit and $/cancelRequest are
//     answered however long it takes.
//   - Bad input never ends a session: a body that is not JSON, or nests
//     more than 1,000 levels deep, gets a ParseError reply (under the
//     request's id when it can be read without decoding, else null), an
//     unknown request MethodNotFound, an unknown notification is ignored,
//     and a handler that panics is logged and answers InternalError. A
//     Content-Length that disagrees with its body costs that message at
//     most: the reader resynchronises on the next Content-Length header
//     (package lsp/internal/framing).
//   - Every change (an edit, a save, a file watcher event, a workspace
//     folder change) makes a new [workspace.Snapshot]; the newest snapshot's
//     diagnostics are published for every file that has some, and an empty
//     list clears a file that had some. Open buffers win over disk.
//   - Disk changes come from the client's file watchers when it can register
//     them dynamically, otherwise from the server's own (fsnotify).
//   - Code actions come from the current snapshot's diagnostics through
//     package codeactions; commands are dispatched through a registry.
//   - Hover, inlay hints, completion, links and formatting read the
//     current snapshot (and, for completion, the module cache's directory
//     listings) and never run go: hover.go renders package explain's facts
//     of the line, completion.go reads the line as text, formatting.go is
//     go mod edit -fmt (diagnostics.Format).
//   - A client that can pull diagnostics (textDocument/diagnostic and
//     workspace/diagnostic/refresh, LSP 3.17) pulls them for its open
//     documents and is never pushed them there; files it has not opened
//     are still pushed. A change asks it to pull again (refresh).
//   - Commands run the go command (internal/gocommand) only inside the
//     workspace folders and never over unsaved module files, one at a time,
//     with $/progress (cancellable) and the output in the client's log;
//     $/cancelRequest or the progress's cancel kills it and is answered
//     RequestCancelled. A failure is reported once, as the error of the
//     request; a success with a short message. A go.mod or go.work open in
//     the editor is never rewritten behind it: go writes a private copy (or,
//     for go work sync, the file is put back) and the result reaches the
//     buffer as a versioned workspace/applyEdit (private_copy.go); go.sum
//     files and vendor/ go straight to disk.
//   - initializationOptions {"trusted": bool, "allowCommands": bool,
//     "env": {K: V}} (init_options.go; both default true): untrusted means
//     no go process at all (no go env, the environment comes from the
//     process; no command fixes offered, executeCommand refuses);
//     allowCommands false turns off the command fixes alone; env is added
//     to go env's and the commands' environment; "goCommand" names the go
//     binary (a name is looked up in the PATH of that environment, not the
//     server's own); without one the server says so once and runs no go,
//     as if untrusted; maxFileSize and
//     maxSumFileSize (bytes) bound the module files read
//     (workspace.Limits).
//
// # Layout
//
// One file per LSP method or concern, as terraform-ls does: serve.go holds
// [Serve] and the session's state; handler.go the method table and the
// panic and lifecycle guards; initialize.go, shutdown.go,
// text_document_sync.go, code_action.go, hover.go, completion.go,
// formatting.go, document_link.go, inlay_hint.go, pull_diagnostics.go
// (protocol317.go: the LSP 3.17 types go.lsp.dev lacks),
// execute_command.go, workspace_folders.go and watched_files.go the
// handlers; go_command.go runs the go command for commands,
// private_copy.go brings what it wrote to the editor, vendor_command.go is
// gomodls.vendor, confinement.go the rule for where a command may run and
// write; load.go runs workspace loads off the reader goroutine;
// publish_diagnostics.go the diagnose-and-publish loop; file_watcher.go the
// server-side watcher; progress.go $/progress reporting; protocol.go the
// conversions between byte spans and LSP positions, paths and URIs.
// internal/framing reads and writes messages; lsptest is the test harness.
package lsp
