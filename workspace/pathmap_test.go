package workspace

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// A pathMap made by with answers as a map changed the same way would, and
// leaves the map it was made from as it was, whether the change stays on
// top or is folded into a new base.
func TestPathMapWith(t *testing.T) {
	want := map[string]int{}
	m := newPathMap[int](0)
	for i := range 20 {
		p := fmt.Sprintf("/w/m%02d/go.mod", i)
		m.base[p], want[p] = i, i
	}
	var history []pathMap[int]
	var wants []map[string]int
	for step := range 40 {
		// Mostly one path, as typing in one buffer; now and then others,
		// past the number kept on top; and once a path the base lacks.
		p := "/w/m03/go.mod"
		switch {
		case step%5 == 4:
			p = fmt.Sprintf("/w/m%02d/go.mod", step%20)
		case step == 17:
			p = "/w/new/go.mod"
		}
		history, wants = append(history, m), append(wants, maps.Clone(want))
		m, want[p] = m.with(p, 100+step), 100+step
		if got := maps.Collect(m.all); !maps.Equal(got, want) {
			t.Fatalf("step %d: all = %v, want %v", step, got, want)
		}
		for p, v := range want {
			if m.get(p) != v {
				t.Fatalf("step %d: get(%s) = %d, want %d", step, p, m.get(p), v)
			}
		}
		if m.len() != len(want) || len(m.top) > maxPathMapTop {
			t.Fatalf("step %d: len %d (want %d), %d on top", step, m.len(), len(want), len(m.top))
		}
	}
	told := 0
	for i, old := range history {
		if got := maps.Collect(old.all); !maps.Equal(got, wants[i]) {
			t.Fatalf("the map of step %d changed: %v, want %v", i, got, wants[i])
		}
		// changedSince tells, where it can, exactly the paths whose
		// values differ between that step and the last.
		paths, ok := m.changedSince(old, func(a, b int) bool { return a == b })
		if !ok {
			if old.baseID == m.baseID {
				t.Errorf("step %d: changedSince cannot tell, with the same base", i)
			}
			continue
		}
		told++
		var want []string
		for p := range differing(wants[i], m) {
			want = append(want, p)
		}
		slices.Sort(paths)
		slices.Sort(want)
		if !slices.Equal(paths, want) {
			t.Errorf("step %d: changed since = %v, want %v", i, paths, want)
		}
	}
	if told == 0 {
		t.Error("changedSince never told")
	}
}

// differing is the set of paths whose values differ between the map then
// and m.
func differing(then map[string]int, m pathMap[int]) map[string]bool {
	out := map[string]bool{}
	for p, v := range m.all {
		if w, ok := then[p]; !ok || w != v {
			out[p] = true
		}
	}
	for p := range then {
		if _, ok := m.base[p]; !ok {
			out[p] = true
		}
	}
	return out
}
