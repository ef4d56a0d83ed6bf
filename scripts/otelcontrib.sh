#!/bin/sh
# otelcontrib.sh rebuilds part of opentelemetry-go-contrib — several of its
# modules, laid out as in the repository, with the local replaces between
# them (../../otelhttp and the like) — from module zips, for gomodls's
# acceptance check on many local replaces and the OtelContrib test in
# cmd/gomodls.
#
# Usage: scripts/otelcontrib.sh [dir]
#
#   dir  where to build the tree (default
#        ${TMPDIR:-/tmp}/gomodls-otel/contrib); it is replaced
#
# There is no clone. Every module of the repository has the path
# go.opentelemetry.io/contrib/<dir> and lives in <dir>. The script
# downloads the seed modules below (the newest release of each, all from one
# release of the repository) through the module proxy and copies them into
# their directories; then, for each replace of a module by a relative
# directory (go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp =>
# ../../otelhttp), the replaced module at the version that go.mod requires,
# into the directory the replace names, and so on until every local replace
# has its directory. There is no go.work: each module is built on its own,
# as the repository's CI does.
#
# Modules are downloaded into a scratch module cache, $GOMODCACHE_OTEL
# (default ${TMPDIR:-/tmp}/gomodls-otel/modcache), kept out of the user's.
# The script then runs, in each module, go list -m all (downloads the
# dependencies' go.mod files) and go mod download (their zips), and go
# build ./... with GOPROXY=off to show the tree builds offline.
#
# It runs the go in PATH with GOTOOLCHAIN=local and GOFLAGS=-modcacherw.
#
# Then, with GOMODCACHE set to that cache:
#   go run ./cmd/gomodls check "$dir"       # zero errors unmodified
#   GOMODLS_OTEL="$dir" go test -run TestOtelContrib -v ./cmd/gomodls
set -eu
. "$(dirname "$0")/modtree.sh"

[ $# -le 1 ] || { echo "usage: otelcontrib.sh [dir]" >&2; exit 2; }
base=${TMPDIR:-/tmp}/gomodls-otel
dir=${1:-$base/contrib}
prefix=go.opentelemetry.io/contrib

export GOFLAGS=-modcacherw GOTOOLCHAIN=local GO111MODULE=on GOWORK=off
export GOMODCACHE="${GOMODCACHE_OTEL:-$base/modcache}"
mkdir -p "$GOMODCACHE"

# The seeds: modules of one release with local replaces.
seeds="otelconf propagators/autoprop exporters/autoexport
instrumentation/net/http/httptrace/otelhttptrace
instrumentation/github.com/emicklei/go-restful/otelrestful"

# required prints the version go.mod $1 requires of path $2.
required() {
	awk -v p="$2" '{ sub(/^[[:space:]]*require[[:space:]]+/, "") } $1 == p && $2 ~ /^v/ { print $2; exit }' "$1"
}

rm -rf "$dir"
mkdir -p "$dir"
echo "otelcontrib.sh: $(go version); GOMODCACHE=$GOMODCACHE" >&2

# place path@version rel copies the module into $dir/rel.
place() {
	src=$(moduleDir "$1")
	if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
		echo "otelcontrib.sh: the module proxy has no $1" >&2
		exit 1
	fi
	mkdir -p "$dir/$2"
	cp -R "$src/." "$dir/$2/"
	chmod -R u+w "$dir/$2"
	echo "otelcontrib.sh: ./$2: $1" >&2
}

mods=
todo=
for s in $seeds; do
	place "$prefix/$s@latest" "$s"
	mods="$mods ./$s"
	todo="$todo ./$s"
done
while [ -n "$todo" ]; do
	next=
	for d in $todo; do
		for pair in $(localReplaces "$dir/${d#./}/go.mod" "$d" | tr ' ' '='); do
			path=${pair%%=*} target=${pair#*=}
			case " $mods " in *" $target "*) continue ;; esac
			v=$(required "$dir/${d#./}/go.mod" "$path")
			if [ -z "$v" ]; then
				echo "otelcontrib.sh: $d replaces $path, which it does not require; skipped" >&2
				continue
			fi
			want=$prefix/${target#./}
			[ "$target" != . ] || want=$prefix
			[ "$want" = "$path" ] || echo "otelcontrib.sh: note: $path => $target (not its repository directory)" >&2
			place "$path@$v" "${target#./}"
			mods="$mods $target"
			next="$next $target"
		done
	done
	todo=$next
done

echo "otelcontrib.sh: modules:$mods" >&2
for d in $mods; do
	(
		cd "$dir/${d#./}"
		go list -m all >/dev/null
		go mod download
		GOPROXY=off go build ./... >/dev/null
	) || echo "otelcontrib.sh: $d: go failed (see above)" >&2
done
echo "$dir"
