// Package layered provides Map, a map that its versions share: a version
// made by changing a few keys keeps them on top of its predecessor's map
// instead of copying it. gomodls makes a new snapshot, and new module
// graphs, on every keystroke; copying their maps of a thousand modules
// for each was most of what an edit allocated.
package layered

import (
	"iter"
	"maps"
	"sync/atomic"
)

// A Map is an immutable map from K to V. The zero Map is empty.
//
// It is a base map, shared by the versions made from one another by With,
// and the keys changed since, on top (at most maxTop; then With makes a
// new base), so Get costs at most two lookups in plain maps.
type Map[K comparable, V any] struct {
	base   map[K]V // never modified once a Map holds it
	baseID uint64  // names base: two Maps with one baseID share it
	top    map[K]V // changes since base, of keys base holds; nil for none
}

// maxTop is how many changed keys a Map keeps on top of its base. Edits
// come mostly from one buffer, whose key is replaced in place on top.
const maxTop = 8

var bases atomic.Uint64

// Of returns the Map holding m, which it takes: m must not be modified
// afterwards.
func Of[K comparable, V any](m map[K]V) Map[K, V] {
	return Map[K, V]{base: m, baseID: bases.Add(1)}
}

// Get returns the value at k, and whether there is one.
func (m Map[K, V]) Get(k K) (V, bool) {
	if v, ok := m.top[k]; ok {
		return v, true
	}
	v, ok := m.base[k]
	return v, ok
}

// Len returns the number of keys.
func (m Map[K, V]) Len() int { return len(m.base) }

// With returns m with v at k, leaving m as it was.
func (m Map[K, V]) With(k K, v V) Map[K, V] {
	_, inBase := m.base[k]
	_, inTop := m.top[k]
	if !inBase || !inTop && len(m.top) >= maxTop {
		base := make(map[K]V, len(m.base)+1)
		maps.Copy(base, m.base)
		maps.Copy(base, m.top)
		base[k] = v
		return Of(base)
	}
	top := make(map[K]V, len(m.top)+1)
	maps.Copy(top, m.top)
	top[k] = v
	return Map[K, V]{base: m.base, baseID: m.baseID, top: top}
}

// All yields every key and value, in no order.
func (m Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m.base {
			if t, ok := m.top[k]; ok {
				v = t
			}
			if !yield(k, v) {
				return
			}
		}
	}
}

// ChangedSince returns the keys whose values differ (by same) between old
// and m, when one was made from the other by With without a new base since:
// the keys either keeps on top. ok is false when they share no base, and
// telling would take comparing every key.
func (m Map[K, V]) ChangedSince(old Map[K, V], same func(a, b V) bool) (keys []K, ok bool) {
	if m.baseID != old.baseID || m.base == nil {
		return nil, false
	}
	differs := func(k K) bool {
		a, _ := m.Get(k)
		b, _ := old.Get(k)
		return !same(a, b)
	}
	for k := range m.top {
		if differs(k) {
			keys = append(keys, k)
		}
	}
	for k := range old.top {
		if _, both := m.top[k]; !both && differs(k) {
			keys = append(keys, k)
		}
	}
	return keys, true
}
