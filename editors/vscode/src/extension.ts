// The gomodls extension: starts the gomodls language server for go.mod,
// go.work and go.sum files and gives it the workspace's trust and the
// user's settings as initializationOptions.
//
// Two output channels: "gomodls", what the server tells the user
// (window/logMessage: the go commands it runs and their output), the
// client's errors and the LSP trace; and "gomodls server", the server's own
// log (its stderr). vscode-languageclient writes both into one channel, and
// the server logs each line of go's output to both: every line showed
// twice.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  StreamInfo,
} from 'vscode-languageclient/node';
import { Reporter } from './report';

// The module is not published yet: `go install <module>/cmd/gomodls@latest`
// fails, so the hint is the install from a checkout.
const installHint =
  'Install it from a checkout of https://github.com/gomodls/gomodls with `go install ./cmd/gomodls` ' +
  '(or `go install github.com/gomodls/gomodls/cmd/gomodls@latest` once the module is published) ' +
  'and make sure it is on PATH, or set gomodls.path.';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let serverLog: vscode.OutputChannel;
let reporter: Reporter;
// serverProcess is the last gomodls serve started, to stop it if it
// outlives its client.
let serverProcess: ChildProcess | undefined;
let checkOutput: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('gomodls');
  serverLog = vscode.window.createOutputChannel('gomodls server');
  reporter = new Reporter(output, vscode.window);
  context.subscriptions.push(
    output,
    serverLog,
    vscode.commands.registerCommand('gomodls.restartServer', () => restart(context)),
    vscode.commands.registerCommand('gomodls.showLogs', () => output.show(true)),
    vscode.commands.registerCommand('gomodls.checkWorkspace', () => checkWorkspace(context)),
    // Trust granted: restart so that the server may run go.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('gomodls.path') ||
        e.affectsConfiguration('gomodls.goCommand') ||
        e.affectsConfiguration('gomodls.env') ||
        e.affectsConfiguration('gomodls.allowCommands') ||
        e.affectsConfiguration('gomodls.maxDiagnosticsPerCode') ||
        e.affectsConfiguration('gomodls.network') ||
        e.affectsConfiguration('gomodls.maxFileSize') ||
        e.affectsConfiguration('gomodls.maxSumFileSize') ||
        // The Go extension's settings that choose the go command.
        e.affectsConfiguration('go.alternateTools') ||
        e.affectsConfiguration('go.goroot')
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
    await c.stop().catch((err) => output.appendLine(`stopping gomodls: ${err}`));
  }
  // stop has sent shutdown and exit: the server ends by itself, else here.
  const p = serverProcess;
  serverProcess = undefined;
  if (p && p.exitCode === null && p.signalCode === null) {
    const exited = new Promise<boolean>((resolve) => {
      p.once('exit', () => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    if (!(await exited)) {
      p.kill();
    }
  }
}

// spawnServer starts `server serve` with its stderr in the gomodls server
// channel (the client would copy it into the gomodls channel), in the
// first workspace folder as the client would.
async function spawnServer(server: string): Promise<StreamInfo> {
  const cwd = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const p = spawn(server, ['serve'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    p.once('spawn', resolve);
    p.once('error', reject);
  });
  p.stderr.setEncoding('utf8');
  p.stderr.on('data', (data: string) => serverLog.append(data));
  p.on('exit', (code, signal) => serverLog.appendLine(`gomodls serve exited (${signal ?? `status ${code}`})`));
  serverProcess = p;
  return { reader: p.stdout, writer: p.stdin };
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await deactivate();
  await start(context);
}

function settings() {
  const cfg = vscode.workspace.getConfiguration('gomodls');
  return {
    path: cfg.get<string>('path', '').trim(),
    goCommand: cfg.get<string>('goCommand', '').trim(),
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
  // In an untrusted workspace the server runs no go command: none to name.
  const go = trusted ? goCommand(st.goCommand) : undefined;
  if (go) {
    output.appendLine(`go command: ${go.command} (from ${go.from})`);
  }

  const serverOptions: ServerOptions = () => spawnServer(server);
  const selector = ['go.mod', 'go.work', 'go.sum'].map((language) => ({ scheme: 'file', language }));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...selector, { scheme: 'file', pattern: '**/go.work.sum' }],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      executeCommand: (command, args) => reporter.executeCommand(c, command, args),
    },
    initializationOptions: {
      trusted,
      allowCommands: st.allowCommands,
      maxDiagnosticsPerCode: st.maxDiagnosticsPerCode,
      env: st.env,
      network: st.network,
      maxFileSize: st.maxFileSize,
      maxSumFileSize: st.maxSumFileSize,
      ...(go ? { goCommand: go.command } : {}),
    },
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/vendor/modules.txt'),
        vscode.workspace.createFileSystemWatcher('**/go.work.sum'),
      ],
    },
  };
  // The id "gomodls" makes the client read gomodls.trace.server.
  const c = new LanguageClient('gomodls', 'gomodls', serverOptions, clientOptions);
  client = c;
  reporter.attach(c);
  try {
    await c.start();
  } catch (err) {
    output.appendLine(`gomodls failed to start: ${err}`);
    void vscode.window.showErrorMessage(`gomodls failed to start: ${err}. ${installHint}`);
  }
}

// goCommand returns the go command for the server and the setting it
// comes from: gomodls.goCommand; else, when the Go extension is installed,
// its go.alternateTools entry for "go", else <go.goroot>/bin/go; else
// undefined (the server runs "go" from the PATH). A name without a path
// separator is passed on as it is: the server looks it up on the PATH of
// gomodls.env.
function goCommand(configured: string): { command: string; from: string } | undefined {
  if (configured) {
    return { command: expand(configured), from: 'gomodls.goCommand' };
  }
  if (!vscode.extensions.getExtension('golang.go')) {
    return undefined;
  }
  const goCfg = vscode.workspace.getConfiguration('go');
  const alternate = goCfg.get<Record<string, unknown>>('alternateTools', {})?.['go'];
  if (typeof alternate === 'string' && alternate.trim()) {
    return { command: expand(alternate.trim()), from: 'go.alternateTools' };
  }
  const goroot = goCfg.get<string>('goroot', '')?.trim();
  if (goroot) {
    const exe = process.platform === 'win32' ? 'go.exe' : 'go';
    return { command: path.join(expand(goroot), 'bin', exe), from: 'go.goroot' };
  }
  return undefined;
}

// expand replaces a leading ~ and ${workspaceFolder} (the first folder),
// as the Go extension does in the paths of its settings.
function expand(p: string): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (folder) {
    p = p.replace(/\$\{(workspaceFolder|workspaceRoot)\}/g, folder);
  }
  return p;
}

// findServer returns gomodls.path, else the binary bundled for this
// platform, else gomodls on PATH; undefined when there is none.
function findServer(context: vscode.ExtensionContext, configured: string): string | undefined {
  const exe = process.platform === 'win32' ? 'gomodls.exe' : 'gomodls';
  if (configured) {
    const p = expand(configured);
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
  const st = settings();
  const env: NodeJS.ProcessEnv = { ...process.env, ...st.env };
  // gomodls check has no go-command flag: the directory of a go command
  // given as a path to a binary named go goes first on its PATH.
  const go = goCommand(st.goCommand);
  if (go && path.isAbsolute(go.command) && path.basename(go.command) === (process.platform === 'win32' ? 'go.exe' : 'go')) {
    const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    env[key] = path.dirname(go.command) + path.delimiter + (env[key] ?? '');
  }
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
