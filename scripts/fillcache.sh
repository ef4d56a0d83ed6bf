#!/bin/sh
# fillcache.sh fills the module cache ($GOMODCACHE) with what go mod tidy
# reads in each module of the trees given: in each module (every go.mod
# below, but in testdata/ and vendor/), alone (GOWORK=off), go mod
# download all, which fetches every module of its graph, its go.mod and
# its zip. go.mod and go.sum are restored afterwards, so the trees stay as
# they were. A module go cannot load is reported and skipped.
#
# Usage: GOMODCACHE=cache scripts/fillcache.sh dir...
set -eu
[ $# -ge 1 ] || { echo "usage: fillcache.sh dir..." >&2; exit 2; }
export GOFLAGS=-modcacherw GOTOOLCHAIN=local GO111MODULE=on GOWORK=off
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for tree in "$@"; do
	find "$tree" -name go.mod -not -path '*/testdata/*' -not -path '*/vendor/*' | sort | while read -r gomod; do
		d=$(dirname "$gomod")
		cp "$gomod" "$tmp/go.mod"
		[ -f "$d/go.sum" ] && cp "$d/go.sum" "$tmp/go.sum" || rm -f "$tmp/go.sum"
		if (cd "$d" && go mod download all) >"$tmp/log" 2>&1; then
			echo "fillcache.sh: $d: filled" >&2
		else
			echo "fillcache.sh: $d: go mod download all failed: $(head -c 300 "$tmp/log")" >&2
		fi
		cp "$tmp/go.mod" "$gomod"
		if [ -f "$tmp/go.sum" ]; then cp "$tmp/go.sum" "$d/go.sum"; else rm -f "$d/go.sum"; fi
	done
done
