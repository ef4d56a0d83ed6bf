# Shared by the scripts that rebuild a real multi-module repository from the
# module proxy (etcd.sh, otelcontrib.sh). Source it; it defines functions
# only.

# moduleDir path@version prints the module's directory in the module cache,
# after downloading it, or nothing when the proxy does not have it.
moduleDir() {
	json=$(cd / && GOWORK=off go mod download -json "$1" 2>/dev/null) || true
	printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# localReplaces prints "path dir" for each replace in go.mod $1 whose target
# is a relative directory, the directory cleaned and relative to the root
# (given $2, the module's directory relative to the root).
localReplaces() {
	awk '
	/=>/ {
		sub(/^[[:space:]]*replace[[:space:]]+/, "")
		split($0, side, "=>")
		n = split(side[1], old, " ")
		m = split(side[2], new, " ")
		if (m != 1 || new[1] !~ /^\.\.?(\/|$)/) next
		print old[1], new[1]
	}' "$1" | while read -r path target; do
		printf '%s %s\n' "$path" "$(printf '%s/%s\n' "$2" "$target" | awk -F/ '{
			n = 0
			for (i = 1; i <= NF; i++) {
				if ($i == "" || $i == ".") continue
				if ($i == ".." && n > 0) { n--; continue }
				p[++n] = $i
			}
			s = "."
			for (i = 1; i <= n; i++) s = s "/" p[i]
			print s
		}')"
	done
}
