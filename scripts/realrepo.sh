#!/bin/sh
# realrepo.sh prepares a real vendored repository for gomodls's acceptance
# check and for the RealRepo benchmarks in cmd/gomodls.
#
# Usage: scripts/realrepo.sh [-bump path@version] [module [version [dir]]]
#
#   module   module path (default github.com/containerd/containerd/v2)
#   version  its version (default v2.4.2)
#   dir      where to build the tree (default
#            ${TMPDIR:-/tmp}/gomodls-realrepo/<last path element>@<version>,
#            with +bump appended when -bump is given); it is replaced
#   -bump    after vendoring, change one require in go.mod to path@version
#            without re-vendoring (go mod edit -require, go mod download),
#            which makes the go command fail with "inconsistent vendoring"
#
# Module zips leave out vendor/, so the script rebuilds it: it downloads the
# module through the module proxy, copies it out of the read-only module
# cache and runs go mod vendor there, which downloads the dependencies. The
# result is what a clone of the repository at that version, with its
# vendor directory, would be (modulo files the module zip drops).
#
# It runs the go in PATH with GOTOOLCHAIN=local and empty GOFLAGS: if the
# module's go line is newer than that go, pick an older version.
#
# Then:
#   go run ./cmd/gomodls check "$dir"         # zero errors unmodified
#   (cd "$dir" && go list -e ./...)           # the go command's verdict
#   GOMODLS_REALREPO="$dir" go test -run '^$' -bench RealRepo -benchtime 5x ./cmd/gomodls
set -eu

bump=
if [ "${1:-}" = -bump ]; then
	[ $# -ge 2 ] || { echo "realrepo.sh: -bump needs path@version" >&2; exit 2; }
	bump=$2
	shift 2
fi
case $bump in
'' | ?*@?*) ;;
*) echo "realrepo.sh: -bump wants path@version, got $bump" >&2; exit 2 ;;
esac
[ $# -le 3 ] || { echo "usage: realrepo.sh [-bump path@version] [module [version [dir]]]" >&2; exit 2; }

mod=${1:-github.com/containerd/containerd/v2}
ver=${2:-v2.4.2}
name=$(basename "$mod")
case $name in
v[0-9]*) name=$(basename "$(dirname "$mod")")-$name ;;
esac
suffix=
[ -z "$bump" ] || suffix=+bump
dir=${3:-${TMPDIR:-/tmp}/gomodls-realrepo/$name@$ver$suffix}

export GOFLAGS= GOTOOLCHAIN=local GOWORK=off GO111MODULE=on

echo "realrepo.sh: $(go version); downloading $mod@$ver" >&2
json=$(cd / && go mod download -json "$mod@$ver")
src=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
	printf '%s\n' "$json" >&2
	echo "realrepo.sh: $mod@$ver has no module directory with a go.mod" >&2
	exit 1
fi

if [ -n "$bump" ]; then
	path=${bump%@*}
	if ! before=$(grep -n "^[[:space:]]*\(require[[:space:]]\{1,\}\)\{0,1\}$path[[:space:]]" "$src/go.mod"); then
		echo "realrepo.sh: $mod@$ver does not require $path; -bump changes an existing require" >&2
		exit 1
	fi
fi

rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
cp -R "$src" "$dir"
chmod -R u+w "$dir"
cd "$dir"
if [ -e vendor ]; then
	echo "realrepo.sh: $src unexpectedly has a vendor directory; vendoring anyway" >&2
fi
echo "realrepo.sh: go mod vendor in $dir" >&2
go mod vendor
go list -e ./... >/dev/null # vendor mode must be consistent before any bump

if [ -n "$bump" ]; then
	echo "realrepo.sh: go.mod:$before" >&2
	go mod edit -require="$bump"
	go mod download "$bump" # records its go.sum lines; vendor/ is left as it was
	echo "realrepo.sh: bumped to $bump without re-vendoring" >&2
fi
echo "$dir"
