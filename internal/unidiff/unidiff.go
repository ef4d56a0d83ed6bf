// Package unidiff writes the unified diff the go command prints for
// `go mod tidy -diff`, `go fmt -d` and the like: an anchored diff (the
// lines that occur exactly once in each text anchor the matching regions;
// between anchors, only a common prefix and suffix are matched) with three
// lines of context. gomodls prints what the go command would, byte for
// byte, so the choices below — which anchors, how hunks are cut and joined,
// the header lines, how a missing final newline shows — are the go
// command's (its src/internal/diff), not a minimal diff's.
package unidiff

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// context is the number of unchanged lines shown around a change.
const context = 3

// Diff returns the unified diff turning old (named oldName) into new
// (newName), or nil when the two are equal.
func Diff(oldName string, old []byte, newName string, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	var out bytes.Buffer
	fmt.Fprintf(&out, "diff %s %s\n--- %s\n+++ %s\n", oldName, newName, oldName, newName)

	var h hunk
	var doneA, doneB int // lines of a and b already written or passed over
	for _, anchor := range anchors(a, b) {
		if anchor.a < doneA {
			continue // inside a run an earlier anchor already extended over
		}
		// The run of equal lines around the anchor, not reaching back
		// before what is done.
		fromA, fromB := anchor.a, anchor.b
		for fromA > doneA && fromB > doneB && a[fromA-1] == b[fromB-1] {
			fromA, fromB = fromA-1, fromB-1
		}
		toA, toB := anchor.a, anchor.b
		for toA < len(a) && toB < len(b) && a[toA] == b[toB] {
			toA, toB = toA+1, toB+1
		}
		h.changed(a[doneA:fromA], b[doneB:fromB])
		equal := toA - fromA
		atEnd := toA == len(a) && toB == len(b)
		// A short run between changes stays inside the hunk: one hunk
		// rather than two whose context would touch.
		if !atEnd && (equal < context || (h.open() && equal < 2*context)) {
			h.same(a[fromA:toA])
			doneA, doneB = toA, toB
			continue
		}
		if h.open() {
			n := min(equal, context)
			h.same(a[fromA : fromA+n])
			h.writeTo(&out)
		}
		if atEnd {
			break
		}
		h.start(toA-context, toB-context)
		h.same(a[toA-context : toA])
		doneA, doneB = toA, toB
	}
	return out.Bytes()
}

// A hunk is the hunk being built: its first line in each text (0-based),
// how many lines of each it spans, and its lines with their prefixes.
type hunk struct {
	startA, startB int
	countA, countB int
	lines          []string
}

func (h *hunk) open() bool { return len(h.lines) > 0 }

func (h *hunk) start(a, b int) { h.startA, h.startB = a, b }

func (h *hunk) changed(removed, added []string) {
	for _, s := range removed {
		h.lines = append(h.lines, "-"+s)
		h.countA++
	}
	for _, s := range added {
		h.lines = append(h.lines, "+"+s)
		h.countB++
	}
}

func (h *hunk) same(lines []string) {
	for _, s := range lines {
		h.lines = append(h.lines, " "+s)
		h.countA++
		h.countB++
	}
}

// writeTo writes the hunk and empties it. Line numbers are 1-based, except
// that a side with no lines keeps its 0 (an empty file is "-0,0").
func (h *hunk) writeTo(out *bytes.Buffer) {
	a, b := h.startA, h.startB
	if h.countA > 0 {
		a++
	}
	if h.countB > 0 {
		b++
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", a, h.countA, b, h.countB)
	for _, s := range h.lines {
		out.WriteString(s)
	}
	h.countA, h.countB, h.lines = 0, 0, h.lines[:0]
}

// splitLines splits text after each newline. A last line without one gets
// it, followed by the line diff and patch use to say so.
func splitLines(text []byte) []string {
	lines := strings.SplitAfter(string(text), "\n")
	last := len(lines) - 1
	if lines[last] == "" {
		return lines[:last]
	}
	lines[last] += "\n\\ No newline at end of file\n"
	return lines
}

// A match is a line index in each text whose lines are equal.
type match struct{ a, b int }

// anchors returns the longest sequence of lines that occur exactly once in
// a and once in b, in the same order in both, between a first match
// {0, 0} and a last {len(a), len(b)}. The sequence is found as a longest
// increasing subsequence (Szymanski's algorithm, the go command's choice)
// and, of equally long ones, the one ending latest at each length.
func anchors(a, b []string) []match {
	// How often each line occurs: in a, 1 or 2 (many); in b, 4 or 8.
	seen := make(map[string]int)
	for _, s := range a {
		if seen[s] < 2 {
			seen[s]++
		}
	}
	for _, s := range b {
		if seen[s]&^3 < 8 {
			seen[s] += 4
		}
	}
	// The unique lines of b in order, and for each unique line of a (in
	// order) the position of its twin among them.
	atB := make(map[string]int)
	var uniqueB []int
	for j, s := range b {
		if seen[s] == 1+4 {
			atB[s] = len(uniqueB)
			uniqueB = append(uniqueB, j)
		}
	}
	var uniqueA, twin []int
	for i, s := range a {
		if k, ok := atB[s]; ok {
			uniqueA = append(uniqueA, i)
			twin = append(twin, k)
		}
	}
	// length[i] is the length of the longest increasing run of twin
	// ending at i; tails[n] the smallest last value of one of length n+1.
	length := make([]int, len(twin))
	var tails []int
	for i, t := range twin {
		n := sort.SearchInts(tails, t)
		if n == len(tails) {
			tails = append(tails, t)
		} else {
			tails[n] = t
		}
		length[i] = n + 1
	}
	longest := len(tails)
	out := make([]match, longest+2)
	out[longest+1] = match{len(a), len(b)}
	for i, n := len(twin)-1, longest; i >= 0 && n > 0; i-- {
		if length[i] == n {
			out[n] = match{uniqueA[i], uniqueB[twin[i]]}
			n--
		}
	}
	return out
}
