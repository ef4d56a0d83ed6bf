// How the extension tells the user about the server's messages and about
// failed commands: one notification per failure, short, with a Show Logs
// button; the full text stays in the gomodls output, logged once.
//
// Left to vscode-languageclient, a failed command (a quick fix that runs go)
// made two notifications: the server's window/showMessage, and VS Code's
// own for the command's rejected promise (the code action controller shows
// the error of a failed command). Neither had a way to the log, and VS
// Code joins a message's lines into one, so go's output became one long
// line. The client also logged the error response, go's output a third
// time in the output channel.
//
// This file imports only types: scripts/check-report.mjs runs it under
// node with a fake client and a fake window.
import type * as vscode from 'vscode';

// The LSP names and codes used here (the protocol's, spelled out so that
// nothing is loaded at run time).
const executeCommand = 'workspace/executeCommand';
const showMessage = 'window/showMessage';
const messageError = 1;
const messageWarning = 2;
const requestCancelled = -32800;

// Client is what Reporter needs of a LanguageClient.
export interface Client {
  sendRequest(method: string, params: unknown): Promise<unknown>;
  onNotification(method: string, handler: (params: { type: number; message: string }) => void): unknown;
}

// Window is what Reporter needs of vscode.window.
export type Window = Pick<typeof vscode.window, 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage'>;

// At most this many of go's lines follow the first line in a notification,
// and at most maxChars characters in all: the rest is in the log.
const maxDetailLines = 3;
const maxChars = 400;

// Reporter shows the server's messages and the errors of its commands.
export class Reporter {
  // shown counts the server's error and warning messages shown, so that a
  // command whose failure the server has already shown is not shown twice.
  private shown = 0;

  constructor(
    private readonly output: Pick<vscode.OutputChannel, 'appendLine' | 'show'>,
    private readonly window: Window,
  ) {}

  // attach replaces the client's window/showMessage handler (which shows
  // the message as it is, without actions); call it before client.start().
  attach(client: Client): void {
    client.onNotification(showMessage, (p) => {
      switch (p.type) {
        case messageError:
          this.shown++;
          this.show('error', p.message);
          break;
        case messageWarning:
          this.shown++;
          this.show('warning', p.message);
          break;
        default:
          void this.window.showInformationMessage(summary(p.message));
      }
    });
  }

  // executeCommand is the executeCommand middleware: it runs the command
  // and, when it fails, shows the error once, unless the server has shown
  // a message of its own meanwhile (which the server also logs). It does
  // not rethrow: VS Code would show the error again. A cancelled command is
  // not an error.
  async executeCommand(client: Client, command: string, args: unknown[]): Promise<unknown> {
    const before = this.shown;
    try {
      // Not the client's own executeCommand: it logs the error response in
      // full, and rethrows.
      return await client.sendRequest(executeCommand, { command, arguments: args });
    } catch (err) {
      if ((err as { code?: unknown })?.code === requestCancelled) {
        return undefined;
      }
      if (this.shown === before) {
        const message = err instanceof Error ? err.message : String(err);
        this.output.appendLine(`[Error - ${new Date().toLocaleTimeString()}] ${command} failed: ${message}`);
        // gomodls words its errors itself ("gomodls: go mod vendor failed
        // in …"): shown as they are; others get the command's name.
        this.show('error', message.startsWith('gomodls: ') ? message : `gomodls: ${command} failed: ${message}`);
      }
      return undefined;
    }
  }

  private show(kind: 'error' | 'warning', message: string): void {
    const shown =
      kind === 'error'
        ? this.window.showErrorMessage(summary(message), 'Show Logs')
        : this.window.showWarningMessage(summary(message), 'Show Logs');
    void shown.then((choice) => {
      if (choice === 'Show Logs') {
        this.output.show(true);
      }
    });
  }
}

// summary is message as one notification line: its first line, then the
// first few lines of the rest (go's output) separated by " · ".
export function summary(message: string): string {
  const lines = message.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) {
    return message;
  }
  const head = lines[0].replace(/:$/, '');
  const detail = lines.slice(1, 1 + maxDetailLines);
  let text = detail.length > 0 ? `${head}: ${detail.join(' · ')}` : head;
  if (lines.length > 1 + maxDetailLines) {
    text += ' …';
  }
  if (text.length > maxChars) {
    text = text.slice(0, maxChars - 1) + '…';
  }
  return text;
}
