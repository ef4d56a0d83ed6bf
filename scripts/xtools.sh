#!/bin/sh
# xtools.sh rebuilds golang.org/x/tools and gopls (two modules, side by
# side) from module zips, with a module cache holding everything go mod
# tidy reads in each, for gomodls's tidy -diff parity test.
#
# Usage: scripts/xtools.sh [tools-version [gopls-version [dir]]]
#
#   tools-version  golang.org/x/tools version (default v0.52.0)
#   gopls-version  golang.org/x/tools/gopls version (default v0.23.0)
#   dir            where to build the tree (default
#                  ${TMPDIR:-/tmp}/gomodls-xtools/tree); it is replaced
#
# The modules go in $dir/tools and $dir/gopls, copied out of the module
# cache, writable. The module cache is $GOMODCACHE_XTOOLS (default
# ${TMPDIR:-/tmp}/gomodls-xtools/modcache), kept out of the user's; then
# scripts/fillcache.sh fills it for go mod tidy in each module.
#
# It runs the go in PATH with GOTOOLCHAIN=local and GOFLAGS=-modcacherw.
#
# Then:
#   GOMODCACHE=${TMPDIR:-/tmp}/gomodls-xtools/modcache GOMODLS_TIDY_TREES="$dir" \
#       go test -run TestTidyParity -v ./cmd/gomodls
set -eu
. "$(dirname "$0")/modtree.sh"

[ $# -le 3 ] || { echo "usage: xtools.sh [tools-version [gopls-version [dir]]]" >&2; exit 2; }
tools=${1:-v0.52.0}
gopls=${2:-v0.23.0}
base=${TMPDIR:-/tmp}/gomodls-xtools
dir=${3:-$base/tree}

export GOFLAGS=-modcacherw GOTOOLCHAIN=local GO111MODULE=on
export GOMODCACHE="${GOMODCACHE_XTOOLS:-$base/modcache}"
mkdir -p "$GOMODCACHE"

rm -rf "$dir"
mkdir -p "$dir"
for m in "golang.org/x/tools@$tools tools" "golang.org/x/tools/gopls@$gopls gopls"; do
	set -- $m
	src=$(moduleDir "$1")
	if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
		echo "xtools.sh: the module proxy has no $1" >&2
		exit 1
	fi
	cp -R "$src" "$dir/$2"
	chmod -R u+w "$dir/$2"
	echo "xtools.sh: $dir/$2: $1" >&2
done
"$(dirname "$0")/fillcache.sh" "$dir"
echo "$dir"
