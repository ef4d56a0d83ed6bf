// The gomodls extension: starts the gomodls language server for go.mod,
// go.work and go.sum files and gives it the workspace's trust and the
// user's settings as initializationOptions.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';

const installHint =
  'Install it with `go install github.com/gomodls/gomodls/cmd/gomodls@latest` ' +
  'and make sure it is on PATH, or set gomodls.path.';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let checkOutput: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('gomodls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('gomodls.restartServer', () => restart(context)),
    vscode.commands.registerCommand('gomodls.showLogs', () => output.show(true)),
    vscode.commands.registerCommand('gomodls.checkWorkspace', () => checkWorkspace(context)),
    // Trust granted: restart so that the server may run go.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('gomodls.path') ||
        e.affectsConfiguration('gomodls.env') ||
        e.affectsConfiguration('gomodls.allowCommands') ||
        e.affectsConfiguration('gomodls.maxDiagnosticsPerCode') ||
        e.affectsConfiguration('gomodls.network') ||
        e.affectsConfiguration('gomodls.maxFileSize') ||
        e.affectsConfiguration('gomodls.maxSumFileSize')
      ) {
        void restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await deactivate();
  await start(context);
}

function settings() {
  const cfg = vscode.workspace.getConfiguration('gomodls');
  return {
    path: cfg.get<string>('path', '').trim(),
    env: cfg.get<Record<string, string>>('env', {}),
    allowCommands: cfg.get<boolean>('allowCommands', true),
    maxDiagnosticsPerCode: cfg.get<number>('maxDiagnosticsPerCode', 100),
    network: cfg.get<boolean>('network', false),
    maxFileSize: cfg.get<number>('maxFileSize', 4194304),
    maxSumFileSize: cfg.get<number>('maxSumFileSize', 33554432),
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const st = settings();
  const server = findServer(context, st.path);
  if (!server) {
    const why = st.path ? `gomodls.path is set to ${st.path}, which is not an executable file.` : 'gomodls was not found.';
    output.appendLine(`${why} ${installHint}`);
    void vscode.window.showErrorMessage(`${why} ${installHint}`, 'Open Settings', 'Show Logs').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'gomodls.path');
      } else if (choice === 'Show Logs') {
        output.show(true);
      }
    });
    return;
  }
  const trusted = vscode.workspace.isTrusted;
  output.appendLine(`starting ${server} serve (workspace ${trusted ? 'trusted' : 'NOT trusted: no go commands'})`);

  const serverOptions: ServerOptions = { command: server, args: ['serve'] };
  const selector = ['go.mod', 'go.work', 'go.sum'].map((language) => ({ scheme: 'file', language }));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...selector, { scheme: 'file', pattern: '**/go.work.sum' }],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: {
      trusted,
      allowCommands: st.allowCommands,
      maxDiagnosticsPerCode: st.maxDiagnosticsPerCode,
      env: st.env,
      network: st.network,
      maxFileSize: st.maxFileSize,
      maxSumFileSize: st.maxSumFileSize,
    },
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/vendor/modules.txt'),
        vscode.workspace.createFileSystemWatcher('**/go.work.sum'),
      ],
    },
  };
  // The id "gomodls" makes the client read gomodls.trace.server.
  client = new LanguageClient('gomodls', 'gomodls', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`gomodls failed to start: ${err}`);
    void vscode.window.showErrorMessage(`gomodls failed to start: ${err}. ${installHint}`);
  }
}

// findServer returns gomodls.path, else the binary bundled for this
// platform, else gomodls on PATH; undefined when there is none.
function findServer(context: vscode.ExtensionContext, configured: string): string | undefined {
  const exe = process.platform === 'win32' ? 'gomodls.exe' : 'gomodls';
  if (configured) {
    const p = configured.startsWith('~') ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (path.isAbsolute(p) || p.includes(path.sep)) {
      return isExecutable(p) ? p : undefined;
    }
    return lookPath(p);
  }
  const bundled = context.asAbsolutePath(path.join('bin', `${process.platform}-${process.arch}`, exe));
  if (isExecutable(bundled)) {
    return bundled;
  }
  return lookPath(exe);
}

function lookPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) {
      return false;
    }
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// checkWorkspace runs `gomodls check` on each workspace folder and shows
// the report in the "gomodls check" output channel.
async function checkWorkspace(context: vscode.ExtensionContext): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('gomodls: Check Workspace runs the go command (go env); trust the workspace first.');
    return;
  }
  const server = findServer(context, settings().path);
  if (!server) {
    void vscode.window.showErrorMessage(`gomodls was not found. ${installHint}`);
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!checkOutput) {
    checkOutput = vscode.window.createOutputChannel('gomodls check');
    context.subscriptions.push(checkOutput);
  }
  const out = checkOutput;
  out.clear();
  out.show(true);
  if (folders.length === 0) {
    out.appendLine('No workspace folder is open.');
    return;
  }
  const env = { ...process.env, ...settings().env };
  for (const folder of folders) {
    if (folder.uri.scheme !== 'file') {
      continue;
    }
    out.appendLine(`$ gomodls check ${folder.uri.fsPath}`);
    await new Promise<void>((resolve) => {
      execFile(server, ['check', '-fail-on', 'hint', folder.uri.fsPath], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        out.append(stdout);
        out.append(stderr);
        if (!err) {
          out.appendLine('No findings.');
        } else if ((err as { code?: unknown }).code === 1 && stdout) {
          // Exit status 1 with a report: findings, shown above.
        } else if (!stdout) {
          out.appendLine(`gomodls check failed: ${err.message}`);
        }
        out.appendLine('');
        resolve();
      });
    });
  }
}
