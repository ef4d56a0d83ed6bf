package workspace

import (
	"maps"
	"sync/atomic"
)

// A pathMap maps the paths of a snapshot's files to what it holds there
// (the files, the parsed modules, …). A snapshot made by an edit of one
// buffer shares its predecessor's base map and keeps only its changes on
// top (with): copying a thousand-module workspace's maps on every
// keystroke was a third of what an edit's snapshot allocated. The changes
// are folded into a new base once they are many, so a lookup costs at most
// two map lookups.
type pathMap[V any] struct {
	base   map[string]V // never modified once a snapshot holds it
	baseID uint64       // names base: two pathMaps with one baseID share it
	top    map[string]V // changes since base, of paths base holds; nil for none
}

var pathMapBases atomic.Uint64

// pathMapOf is the pathMap of m, which becomes its base.
func pathMapOf[V any](m map[string]V) pathMap[V] {
	return pathMap[V]{base: m, baseID: pathMapBases.Add(1)}
}

// maxPathMapTop is how many changed paths a pathMap keeps on top of its
// base before it makes a new base. Edits come mostly from one buffer,
// whose path is replaced in place on top.
const maxPathMapTop = 8

func newPathMap[V any](size int) pathMap[V] { return pathMapOf(make(map[string]V, size)) }

func (m pathMap[V]) get(path string) V {
	if v, ok := m.top[path]; ok {
		return v
	}
	return m.base[path]
}

func (m pathMap[V]) len() int { return len(m.base) }

// with returns m with v at path, leaving m as it was.
func (m pathMap[V]) with(path string, v V) pathMap[V] {
	_, inBase := m.base[path]
	_, inTop := m.top[path]
	if !inBase || !inTop && len(m.top) >= maxPathMapTop {
		base := maps.Clone(m.base)
		maps.Copy(base, m.top)
		base[path] = v
		return pathMapOf(base)
	}
	top := make(map[string]V, len(m.top)+1)
	maps.Copy(top, m.top)
	top[path] = v
	return pathMap[V]{base: m.base, baseID: m.baseID, top: top}
}

// changedSince returns the paths whose value differs between old and m,
// when m was made from old by with (or old from m) without a new base
// since: the paths either keeps on top. ok is false when they do not share
// a base, and telling would take comparing every path.
func (m pathMap[V]) changedSince(old pathMap[V], same func(a, b V) bool) (paths []string, ok bool) {
	if m.baseID != old.baseID {
		return nil, false
	}
	for path := range m.top {
		if !same(m.get(path), old.get(path)) {
			paths = append(paths, path)
		}
	}
	for path := range old.top {
		if _, both := m.top[path]; !both && !same(m.get(path), old.get(path)) {
			paths = append(paths, path)
		}
	}
	return paths, true
}

// all yields every path and value, in no order.
func (m pathMap[V]) all(yield func(string, V) bool) {
	for path, v := range m.base {
		if t, ok := m.top[path]; ok {
			v = t
		}
		if !yield(path, v) {
			return
		}
	}
}
