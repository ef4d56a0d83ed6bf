// Builds gomodls from this repository (go build ./cmd/gomodls) into
// bin/<platform>-<arch>/gomodls, where the extension looks for a bundled
// server: process.platform and process.arch name the directory, so the
// vsix carries the binary for the machine it was packaged on. Set
// GOMODLS_SKIP_SERVER=1 to package without one (the extension then uses
// gomodls.path or gomodls on PATH).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ext = resolve(here, '..');
const repo = resolve(ext, '..', '..');
rmSync(join(ext, 'bin'), { recursive: true, force: true });
if (process.env.GOMODLS_SKIP_SERVER === '1') {
  console.log('build-server: GOMODLS_SKIP_SERVER=1, not bundling gomodls');
  process.exit(0);
}
const goos = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd' }[process.platform];
const goarch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch];
if (!goos || !goarch) {
  console.error(`build-server: no Go port for ${process.platform}-${process.arch}`);
  process.exit(1);
}
const out = join(ext, 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'gomodls.exe' : 'gomodls');
mkdirSync(dirname(out), { recursive: true });
execFileSync('go', ['build', '-trimpath', '-o', out, './cmd/gomodls'], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: '0', GOOS: goos, GOARCH: goarch },
});
console.log(`build-server: ${out}`);
