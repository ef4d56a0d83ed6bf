package layered

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// A Map made by With answers as a map changed the same way would, and
// leaves the Map it was made from as it was, whether the change stays on
// top or is folded into a new base; ChangedSince tells, where it can,
// exactly the keys whose values differ.
func TestWith(t *testing.T) {
	want := map[string]int{}
	base := map[string]int{}
	for i := range 20 {
		p := fmt.Sprintf("/w/m%02d/go.mod", i)
		base[p], want[p] = i, i
	}
	m := Of(base)
	var history []Map[string, int]
	var wants []map[string]int
	for step := range 40 {
		// Mostly one key, as typing in one buffer; now and then others,
		// past the number kept on top; and once a key the base lacks.
		p := "/w/m03/go.mod"
		switch {
		case step%5 == 4:
			p = fmt.Sprintf("/w/m%02d/go.mod", step%20)
		case step == 17:
			p = "/w/new/go.mod"
		}
		history, wants = append(history, m), append(wants, maps.Clone(want))
		m, want[p] = m.With(p, 100+step), 100+step
		if got := maps.Collect(m.All()); !maps.Equal(got, want) {
			t.Fatalf("step %d: All = %v, want %v", step, got, want)
		}
		for p, v := range want {
			if got, ok := m.Get(p); !ok || got != v {
				t.Fatalf("step %d: Get(%s) = %d, %v, want %d", step, p, got, ok, v)
			}
		}
		if m.Len() != len(want) || len(m.top) > maxTop {
			t.Fatalf("step %d: Len %d (want %d), %d on top", step, m.Len(), len(want), len(m.top))
		}
	}
	told := 0
	for i, old := range history {
		if got := maps.Collect(old.All()); !maps.Equal(got, wants[i]) {
			t.Fatalf("the Map of step %d changed: %v, want %v", i, got, wants[i])
		}
		keys, ok := m.ChangedSince(old, func(a, b int) bool { return a == b })
		if !ok {
			if old.baseID == m.baseID {
				t.Errorf("step %d: ChangedSince cannot tell, with the same base", i)
			}
			continue
		}
		told++
		var want []string
		for p := range differing(wants[i], m) {
			want = append(want, p)
		}
		slices.Sort(keys)
		slices.Sort(want)
		if !slices.Equal(keys, want) {
			t.Errorf("step %d: changed since = %v, want %v", i, keys, want)
		}
	}
	if told == 0 {
		t.Error("ChangedSince never told")
	}
	var zero Map[string, int]
	if _, ok := zero.Get("x"); ok || zero.Len() != 0 {
		t.Error("the zero Map is not empty")
	}
	if v, ok := zero.With("x", 1).Get("x"); !ok || v != 1 {
		t.Error("With on the zero Map")
	}
}

// differing is the set of keys whose values differ between the map then
// and m.
func differing(then map[string]int, m Map[string, int]) map[string]bool {
	out := map[string]bool{}
	for p, v := range m.All() {
		if w, ok := then[p]; !ok || w != v {
			out[p] = true
		}
	}
	for p := range then {
		if _, ok := m.Get(p); !ok {
			out[p] = true
		}
	}
	return out
}
