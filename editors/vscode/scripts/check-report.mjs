// Checks src/report.ts (npm run check runs it): how a failed command and
// the server's messages reach the user. It bundles report.ts with esbuild
// and drives a Reporter with a fake client and a fake vscode.window, the
// messages in the order the server sends them on one connection.
//
// Exits 1 with every failure listed.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(ext, 'src', 'report.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const { Reporter, summary } = await import('data:text/javascript,' + encodeURIComponent(out.outputFiles[0].text));

const failures = [];
function check(what, got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) {
    failures.push(`${what}:\n    got  ${g}\n    want ${w}`);
  }
}

// A go command's failure as the server reports it (lsp/go_command.go's
// failureMessage) and as its error response says it (gocommand.Error).
const failure = 'gomodls: go mod vendor -e -v failed in /w/m (exit status 1):\n' +
  'go: example.com/x@v1.0.0: missing go.sum entry\n' +
  'go: example.com/y@v1.0.0: missing go.sum entry\n' +
  'go: example.com/z@v1.0.0: missing go.sum entry\n' +
  'go: more';
const responseError = Object.assign(new Error('go mod vendor -e -v: exit status 1\ngo: example.com/x@v1.0.0: missing go.sum entry'), { code: -32803 });

// setup returns a Reporter attached to a fake client whose command sends
// the notifications in before, then answers with result or rejects with
// err; and the record of what the user was shown.
function setup({ before = [], result, err, choose }) {
  const shown = [];
  const logged = [];
  let opened = 0;
  const notify = (kind) => (message, ...items) => {
    shown.push({ kind, message, items });
    return Promise.resolve(choose);
  };
  const window = { showErrorMessage: notify('error'), showWarningMessage: notify('warning'), showInformationMessage: notify('info') };
  const output = { appendLine: (l) => logged.push(l), show: () => opened++ };
  const reporter = new Reporter(output, window);
  let handler;
  const client = {
    onNotification: (method, h) => {
      if (method === 'window/showMessage') {
        handler = h;
      }
    },
    sendRequest: async (method, params) => {
      if (method !== 'workspace/executeCommand' || params.command !== 'gomodls.vendor') {
        throw new Error(`unexpected request ${method} ${JSON.stringify(params)}`);
      }
      for (const n of before) {
        handler(n);
      }
      if (err) {
        throw err;
      }
      return result;
    },
  };
  reporter.attach(client);
  const run = () => reporter.executeCommand(client, 'gomodls.vendor', [{ dir: 'file:///w/m', args: [] }]);
  return { run, shown, logged, opened: () => opened, notify: (n) => handler(n) };
}

const failureSummary = 'gomodls: go mod vendor -e -v failed in /w/m (exit status 1): ' +
  'go: example.com/x@v1.0.0: missing go.sum entry · go: example.com/y@v1.0.0: missing go.sum entry · ' +
  'go: example.com/z@v1.0.0: missing go.sum entry …';

{
  // The server shows the failure, then answers with an error: one
  // notification, the server's, with Show Logs; the command does not
  // reject (VS Code would show the error again); nothing more is logged
  // (the server logged its message with window/logMessage).
  const t = setup({ before: [{ type: 1, message: failure }], err: responseError });
  check('failure shown by the server: result', await t.run(), undefined);
  check('failure shown by the server: notifications', t.shown, [{ kind: 'error', message: failureSummary, items: ['Show Logs'] }]);
  check('failure shown by the server: log', t.logged, []);
}
{
  // Only the error response: one notification made of it, logged once.
  const t = setup({ err: responseError });
  check('failure not shown by the server: result', await t.run(), undefined);
  check('failure not shown by the server: notifications', t.shown, [{
    kind: 'error',
    message: 'gomodls: gomodls.vendor failed: go mod vendor -e -v: exit status 1: go: example.com/x@v1.0.0: missing go.sum entry',
    items: ['Show Logs'],
  }]);
  check('failure not shown by the server: log lines', t.logged.length, 1);
  check('failure not shown by the server: logged in full', t.logged[0]?.endsWith('gomodls.vendor failed: ' + responseError.message), true);
}
{
  // The error response as gomodls sends it (lsp/go_command.go: the one
  // report of a failure; no message before it): shown as worded, the
  // first line and go's lines joined, with Show Logs.
  const t = setup({ err: Object.assign(new Error(failure), { code: -32803 }) });
  check('failure reported by the error alone: result', await t.run(), undefined);
  check('failure reported by the error alone: notifications', t.shown, [{ kind: 'error', message: failureSummary, items: ['Show Logs'] }]);
  check('failure reported by the error alone: log lines', t.logged.length, 1);
}
{
  // A refusal shown by a server before its error response: the warning
  // only.
  const t = setup({ before: [{ type: 2, message: 'gomodls: not running go mod vendor: save go.mod first' }], err: responseError });
  await t.run();
  check('refusal: notifications', t.shown, [{ kind: 'warning', message: 'gomodls: not running go mod vendor: save go.mod first', items: ['Show Logs'] }]);
}
{
  // Cancelled by the user: nothing shown.
  const t = setup({ err: Object.assign(new Error('cancelled'), { code: -32800 }) });
  check('cancelled: result', await t.run(), undefined);
  check('cancelled: notifications', t.shown, []);
}
{
  // Success: the result, nothing shown.
  const t = setup({ result: { ok: true } });
  check('success: result', await t.run(), { ok: true });
  check('success: notifications', t.shown, []);
}
{
  // Show Logs opens the gomodls output.
  const t = setup({ err: responseError, choose: 'Show Logs' });
  await t.run();
  await new Promise((resolve) => setTimeout(resolve, 0));
  check('Show Logs: output opened', t.opened(), 1);
}
{
  // An information message is shown as one line, without buttons.
  const t = setup({});
  t.notify({ type: 3, message: 'gomodls: vendor/ matches\nthe module cache' });
  check('info: notifications', t.shown, [{ kind: 'info', message: 'gomodls: vendor/ matches: the module cache', items: [] }]);
}
check('summary of one line', summary('gomodls: go work sync failed'), 'gomodls: go work sync failed');
check('summary of a long line', summary('x'.repeat(1000)).length, 400);

if (failures.length > 0) {
  console.error(`check-report: ${failures.length} failure(s):\n` + failures.map((f) => `- ${f}`).join('\n'));
  process.exit(1);
}
console.log('check-report: a failed, refused, cancelled and successful command, and the server\'s messages, are shown as expected');
