#!/bin/sh
# etcd.sh rebuilds etcd's multi-module workspace (its go.work and every
# module it uses, in the repository's layout) from module zips, for
# gomodls's workspace acceptance check and the Etcd test in cmd/gomodls.
#
# Usage: scripts/etcd.sh [version [dir]]
#
#   version  an etcd release (default v3.7.1, the newest that ships a
#            go.work whose go line this Go accepts)
#   dir      where to build the tree (default
#            ${TMPDIR:-/tmp}/gomodls-etcd/etcd@<version>); it is replaced
#
# There is no clone: the script downloads go.etcd.io/etcd/v3@version (the
# repository root, whose zip holds go.work and go.work.sum from v3.7 on)
# through the module proxy, then each module the go.work uses at the same
# version, and copies them into the directories the go.work names. A
# release without a go.work gets one written from the layout that the
# modules' local replace lines (go.etcd.io/etcd/api/v3 => ./api) describe,
# with the highest go line of its modules.
#
# A module the shipped go.work uses that the proxy does not serve at that
# version (etcd does not tag the tools/ modules; cache/v3 may be missing
# from a mirror) gets a stub: a go.mod with its module path, the go.work's
# go line and, for cache, the etcd requirements and replaces it has
# upstream. The script says which modules are stubs. Stubs hold no
# packages: go list -m and go list -m all work, building the packages that
# import them does not. Without a shipped go.work, a replace target the
# proxy does not serve is left out (v3.6's go.etcd.io/etcd =>
# ./FORBIDDEN_DEPENDENCY guard).
#
# Modules are downloaded into a scratch module cache, $GOMODCACHE_ETCD
# (default ${TMPDIR:-/tmp}/gomodls-etcd/modcache), kept out of the user's. The
# script then runs, in the workspace, go list -m (must pass), go list -m
# all (downloads the dependencies' go.mod files), go mod download (their
# zips, some 500 MB: the version-skew check reads which packages a module
# loads, and says nothing when it cannot), and go list -m all again with
# GOPROXY=off to show the tree now judges offline. go.work.sum is restored
# afterwards, so the tree is as the release ships it.
#
# It runs the go in PATH with GOTOOLCHAIN=local and empty GOFLAGS (but
# -modcacherw, so the scratch cache can be deleted).
#
# Then, with GOMODCACHE set to that cache:
#   go run ./cmd/gomodls check "$dir"     # zero errors unmodified
#   (cd "$dir" && go list -m)             # the go command's verdict
#   GOMODLS_ETCD="$dir" go test -run TestEtcd -v ./cmd/gomodls
set -eu
. "$(dirname "$0")/modtree.sh"

[ $# -le 2 ] || { echo "usage: etcd.sh [version [dir]]" >&2; exit 2; }
ver=${1:-v3.7.1}
case $ver in
v3.*) ;;
*) echo "etcd.sh: version $ver is not an etcd v3 release" >&2; exit 2 ;;
esac
base=${TMPDIR:-/tmp}/gomodls-etcd
dir=${2:-$base/etcd@$ver}

export GOFLAGS=-modcacherw GOTOOLCHAIN=local GO111MODULE=on
export GOMODCACHE="${GOMODCACHE_ETCD:-$base/modcache}"
mkdir -p "$GOMODCACHE"

echo "etcd.sh: $(go version); GOMODCACHE=$GOMODCACHE; downloading go.etcd.io/etcd/v3@$ver" >&2
src=$(moduleDir "go.etcd.io/etcd/v3@$ver")
if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
	echo "etcd.sh: the module proxy has no go.etcd.io/etcd/v3@$ver" >&2
	exit 1
fi

rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
cp -R "$src" "$dir"
chmod -R u+w "$dir"
cd "$dir"

# paths: "path dir" for every etcd module whose directory a go.mod names.
paths=$(localReplaces go.mod .)
if [ -f go.work ]; then
	shipped=yes
	uses=$(GOWORK=off go work edit -json go.work | sed -n 's/^[[:space:]]*"DiskPath": "\(.*\)",\{0,1\}$/\1/p')
else
	shipped=
	uses=.
fi

# Fetch the modules, breadth first when the layout comes from replaces.
seen=.      # directories looked at
mod_dirs=.  # those that hold a module
stubs=
todo=$(printf '%s\n' "$uses" "$(printf '%s\n' "$paths" | cut -d' ' -f2)" | grep -v '^\.$' | grep . | sed 's,^\([^.]\),./\1,' | sort -u)
while [ -n "$todo" ]; do
	next=
	for d in $todo; do
		case " $seen " in *" $d "*) continue ;; esac
		seen="$seen $d"
		rel=${d#./}
		path=$(printf '%s\n' "$paths" | awk -v d="$d" '$2 == d { print $1; exit }')
		if [ -z "$path" ]; then
			case $rel in
			tools/mod) path=go.etcd.io/etcd/tools/v3 ;;
			*) path=go.etcd.io/etcd/$rel/v3 ;;
			esac
		fi
		mkdir -p "$rel"
		msrc=$(moduleDir "$path@$ver")
		if [ -n "$msrc" ] && [ -f "$msrc/go.mod" ]; then
			cp -R "$msrc/." "$rel/"
			chmod -R u+w "$rel"
			more=$(localReplaces "$rel/go.mod" "$d")
			paths=$(printf '%s\n%s\n' "$paths" "$more" | grep . | sort -u)
			[ -n "$shipped" ] || next="$next $(printf '%s\n' "$more" | cut -d' ' -f2)"
			echo "etcd.sh: $d: $path@$ver" >&2
			mod_dirs="$mod_dirs $d"
			continue
		fi
		if [ -z "$shipped" ]; then
			# A replace target that is no module at this version, such as
			# the go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY guard of v3.6.
			rmdir "$rel" 2>/dev/null || true
			echo "etcd.sh: $d: $path@$ver not served by the proxy; not a module of the workspace" >&2
			continue
		fi
		stubs="$stubs $d"
		mod_dirs="$mod_dirs $d"
		gover=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.work 2>/dev/null || true)
		[ -n "$gover" ] || gover=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
		{
			echo "// Stub written by gomodls's scripts/etcd.sh: the module proxy does not"
			echo "// serve $path@$ver."
			echo
			echo "module $path"
			echo
			echo "go $gover"
			if [ "$path" = go.etcd.io/etcd/cache/v3 ]; then
				echo
				echo "require ("
				for m in api/v3 client/pkg/v3 client/v3; do printf '\tgo.etcd.io/etcd/%s %s\n' "$m" "$ver"; done
				echo ")"
				echo
				echo "replace ("
				printf '\tgo.etcd.io/etcd/api/v3 => ../api\n'
				printf '\tgo.etcd.io/etcd/client/pkg/v3 => ../client/pkg\n'
				printf '\tgo.etcd.io/etcd/client/v3 => ../client/v3\n'
				echo ")"
			fi
		} >"$rel/go.mod"
		echo "etcd.sh: $d: $path@$ver not served by the proxy; wrote a stub go.mod" >&2
	done
	todo=$(printf '%s\n' $next | grep . | sort -u || true)
done

if [ -z "$shipped" ]; then
	gover=$(for d in $mod_dirs; do sed -n 's/^go \([0-9.]*\)$/\1/p' "$d/go.mod"; done | sort -t. -k1,1n -k2,2n -k3,3n | tail -1)
	{
		echo "go $gover"
		echo
		echo "use ("
		for d in $(printf '%s\n' $mod_dirs | sort); do printf '\t%s\n' "$d"; done
		echo ")"
	} >go.work
	echo "etcd.sh: $ver ships no go.work; wrote one from the layout (go $gover)" >&2
fi

echo "etcd.sh: go.work uses $(GOWORK= go work edit -json | grep -c '"DiskPath"') modules; stubs:${stubs:- none}" >&2
[ ! -f go.work.sum ] || cp go.work.sum "$base/.go.work.sum.$$"
unset GOWORK
echo "etcd.sh: go list -m" >&2
go list -m
echo "etcd.sh: go list -m all (downloading the dependencies' go.mod files)" >&2
go list -m all >/dev/null
echo "etcd.sh: go mod download (the build list's zips: checks read the packages modules provide)" >&2
go mod download
echo "etcd.sh: go list -m all, offline" >&2
GOPROXY=off go list -m all | wc -l | sed 's/^ */etcd.sh: /; s/$/ modules in the build list/' >&2
if [ -f "$base/.go.work.sum.$$" ]; then
	mv "$base/.go.work.sum.$$" go.work.sum
fi
echo "$dir"
