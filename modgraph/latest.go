package modgraph

import (
	"strings"
	"unicode"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/workspace"
)

// This file answers, from the module cache alone, what the go command's
// "latest" query and the retractions and deprecations it reads say about a
// module (cmd/go/internal/modload: queryLatest, CheckRetractions,
// CheckDeprecation). The go command asks the proxy; gomodls never does, so
// "latest" is the latest version whose go.mod the cache holds.

// Latest returns the latest version of path that the module cache holds
// a go.mod of, and that go.mod; "" and nil when it holds none.
func Latest(snap *workspace.Snapshot, path string) (string, *modfile.File) {
	latest := LatestVersion(snap.ModuleCacheVersions(path))
	if latest == "" {
		return "", nil
	}
	gm := snap.DependencyGoMod(snap.ModuleCacheGoMod(module.Version{Path: path, Version: latest}))
	if gm == nil {
		return "", nil
	}
	return latest, gm
}

// The kinds of version, in the go command's order of preference for
// "latest": a release over a prerelease over a pseudo-version.
const (
	KindRelease = iota
	KindPrerelease
	KindPseudo
)

// VersionKind is v's kind: KindRelease, KindPrerelease or KindPseudo.
func VersionKind(v string) int {
	switch {
	case module.IsPseudoVersion(v):
		return KindPseudo
	case semver.Prerelease(v) != "":
		return KindPrerelease
	}
	return KindRelease
}

// LatestVersion is what the go command's "latest" query would pick among
// versions (sorted): the highest release, else the highest prerelease,
// else the highest pseudo-version.
func LatestVersion(versions []string) string {
	var highest [3]string // by kind
	for _, v := range versions {
		highest[VersionKind(v)] = v
	}
	for _, v := range highest {
		if v != "" {
			return v
		}
	}
	return ""
}

// RetractedBy returns the rationale of the first retract line of gm that
// covers v (bounds inclusive).
func RetractedBy(gm *modfile.File, v string) (string, bool) {
	for _, r := range gm.Retract {
		if semver.Compare(r.Low, v) <= 0 && semver.Compare(v, r.High) <= 0 {
			return r.Rationale, true
		}
	}
	return "", false
}

// ShortMessage is modfetch's ShortMessage: the first line of an author's
// message, or a placeholder when it is too long or not printable; "" when
// it is empty.
func ShortMessage(msg string) string {
	const maxLen = 500
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	if len(msg) > maxLen {
		return "(message omitted: too long)"
	}
	for _, r := range msg {
		if !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return "(message omitted: contains non-printable characters)"
		}
	}
	return msg
}
