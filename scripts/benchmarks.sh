#!/bin/sh
# benchmarks.sh measures what BENCHMARKS.md reports, in one run so that the
# numbers compare: gomodls at HEAD against gomodls at an earlier commit
# (and gopls, when asked), over stdio with internal/lspbench, on generated
# workspaces of N = 10, 100 and 1,000 modules and on the etcd tree
# scripts/etcd.sh builds; then the Go benchmarks on generated workspaces.
#
# Usage: scripts/benchmarks.sh [-base REV] [-gopls PATH] [-edits E] [-out DIR]
#
#   -base REV    also time gomodls built at REV (a commit, in a temporary
#                worktree): the "before" column
#   -gopls PATH  also time this gopls binary (go install
#                golang.org/x/tools/gopls@v0.23.0) on etcd
#   -edits E     edits per lspbench run (default 30)
#   -out DIR     where to write the reports, the TSV of cost against N and
#                the chart (default ${TMPDIR:-/tmp}/gomodls-benchmarks)
#
# The etcd runs need the tree and its filled module cache:
# scripts/etcd.sh, then its go mod download (the script does both). They
# are skipped when ${TMPDIR:-/tmp}/gomodls-etcd/etcd@v3.7.1 is missing.
# Everything runs offline: GOPROXY=off, GOFLAGS empty, GOTOOLCHAIN=local.
#
# The chart is drawn by scripts/benchplot (SVG) and turned into a PNG by
# Chromium in headless mode when it is on PATH (as chromium).
set -eu

base="" gopls="" edits=30 out=${TMPDIR:-/tmp}/gomodls-benchmarks
while [ $# -gt 0 ]; do
	case $1 in
	-base) base=$2; shift 2 ;;
	-gopls) gopls=$2; shift 2 ;;
	-edits) edits=$2; shift 2 ;;
	-out) out=$2; shift 2 ;;
	*) echo "usage: benchmarks.sh [-base REV] [-gopls PATH] [-edits E] [-out DIR]" >&2; exit 2 ;;
	esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
cd "$repo"
export GOFLAGS= GOTOOLCHAIN=local
# The servers keep their package index here, not in the user's cache
# directory: empty at the start of each run of this script, so a
# lspbench report's first run starts with none and later runs with the
# index it wrote (a user's every start after the first).
rm -rf "$out/index"
export GOMODLS_CACHE=$out/index
go build -o "$out/gomodls" ./cmd/gomodls
go build -o "$out/lspbench" ./internal/lspbench
servers="now=$out/gomodls"
if [ -n "$base" ]; then
	rm -rf "$out/base-worktree"
	git worktree add -q --detach "$out/base-worktree" "$base"
	(cd "$out/base-worktree" && go build -o "$out/gomodls-base" ./cmd/gomodls)
	git worktree remove --force "$out/base-worktree"
	servers="before=$out/gomodls-base $servers"
fi

# lspbench runs one server on one workspace, editing the version of one
# requirement in file; its JSON report goes to $out/lsp-NAME.json and one
# line of its numbers to $out/lsp.txt.
lspbench() { # name server workspace modcache file require version
	"$out/lspbench" -workspace "$3" -file "$5" -require "$6" -alt-version "$7" \
		-edits "$edits" -gomodcache "$4" -env GOFLAGS= -env GOPROXY=off -env GOTOOLCHAIN=local \
		-json -- $2 >"$out/lsp-$1.json"
	printf '%s:' "$1" >>"$out/lsp.txt"
	for k in first_file_publish_ms edit_p50_ms edit_p90_ms edit_p99_ms peak_rss_bytes; do
		printf ' %s=%s' "$k" "$(number "$out/lsp-$1.json" "$k")" >>"$out/lsp.txt"
	done
	echo >>"$out/lsp.txt"
}

# median_ms runs a command (in the etcd tree) 5 times and prints the
# median wall time in milliseconds.
median_ms() {
	for _ in 1 2 3 4 5; do
		start=$(date +%s%N)
		(cd "$etcd" && "$@" >/dev/null 2>&1) || true
		echo $(( ($(date +%s%N) - start) / 1000000 ))
	done | sort -n | sed -n 3p
}

# number prints the first (the median's) value of key in a lspbench report.
number() { sed -n "s/.*\"$2\": *\([0-9.e+]*\).*/\1/p" "$1" | head -n 1; }

: >"$out/cost.tsv"
: >"$out/lsp.txt"
: >"$out/check-etcd.txt"
for n in 10 100 1000; do
	ws=$out/ws$n
	if [ ! -d "$ws/ws" ]; then
		rm -rf "$ws"
		go run ./internal/workspacegen/cmd/workspacegen -n "$n" -vendored 100 -o "$ws" >/dev/null
	fi
	mid=$(printf 'm%04d' $((n / 2)))
	req=$(awk '/^\texample\.org\// { print $1; exit }' "$ws/ws/$mid/go.mod")
	ver=$(awk -v r="$req" '$1 == r { print $2; exit }' "$ws/ws/$mid/go.mod")
	alt=v1.1.0
	[ "$ver" = v1.1.0 ] && alt=v1.0.0
	for s in $servers; do
		name=${s%%=*} bin=${s#*=}
		lspbench "$name-N$n" "$bin serve" "$ws/ws" "$ws/modcache" "$mid/go.mod" "$req" "$alt"
		printf 'edit → publish p50, %s\t%s\t%s\n' "$name" "$n" "$(number "$out/lsp-$name-N$n.json" edit_p50_ms)" >>"$out/cost.tsv"
		printf 'first diagnostics, %s\t%s\t%s\n' "$name" "$n" "$(number "$out/lsp-$name-N$n.json" first_file_publish_ms)" >>"$out/cost.tsv"
	done
done

etcd=${TMPDIR:-/tmp}/gomodls-etcd/etcd@v3.7.1
if [ -d "$etcd" ]; then
	cache=${TMPDIR:-/tmp}/gomodls-etcd/modcache
	for s in $servers; do
		name=${s%%=*} bin=${s#*=}
		lspbench "$name-etcd" "$bin serve" "$etcd" "$cache" server/go.mod github.com/stretchr/testify v1.7.0
	done
	if [ -n "$gopls" ]; then
		lspbench gopls-etcd "$gopls" "$etcd" "$cache" server/go.mod github.com/stretchr/testify v1.7.0
	fi
	# gomodls check with an empty package index (the first check on a
	# machine), then with the index that run wrote (every later one):
	# replayed where the binary replays an unchanged check, and with
	# -replay=false, checking anyway.
	for s in $servers; do
		name=${s%%=*} bin=${s#*=}
		rm -rf "$out/index-check"
		start=$(date +%s%N)
		(cd "$etcd" && GOMODLS_CACHE=$out/index-check GOMODCACHE=$cache GOPROXY=off "$bin" check -format json . >/dev/null || true)
		echo "gomodls check, $name, empty index: $(( ($(date +%s%N) - start) / 1000000 )) ms" >>"$out/check-etcd.txt"
		echo "gomodls check, $name, median of 5: $(median_ms env GOMODLS_CACHE="$out/index-check" GOMODCACHE="$cache" GOPROXY=off "$bin" check -format json .) ms" >>"$out/check-etcd.txt"
		if "$bin" check -h 2>&1 | grep -q -- -replay; then
			echo "gomodls check -replay=false, $name, median of 5: $(median_ms env GOMODLS_CACHE="$out/index-check" GOMODCACHE="$cache" GOPROXY=off "$bin" check -replay=false -format json .) ms" >>"$out/check-etcd.txt"
		fi
	done
	echo "go list -m all, median of 5: $(median_ms env GOMODCACHE="$cache" GOPROXY=off go list -m all) ms" >>"$out/check-etcd.txt"
fi

go test -run '^$' -bench 'BenchmarkWorkspace$|BenchmarkMVS2000|BenchmarkGoSum20k|BenchmarkVendor3k' \
	-benchtime=3x -benchmem ./diagnostics/ ./modgraph/ >"$out/go-bench.txt"

go run ./scripts/benchplot <"$out/cost.tsv" >"$out/cost.svg"
if command -v chromium >/dev/null; then
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=760,460 \
		--screenshot="$out/cost.png" "file://$out/cost.svg" >/dev/null 2>&1 || true
fi
echo "reports in $out"
