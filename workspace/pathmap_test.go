package workspace

import (
	"fmt"
	"maps"
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
	for i, old := range history {
		if got := maps.Collect(old.all); !maps.Equal(got, wants[i]) {
			t.Fatalf("the map of step %d changed: %v, want %v", i, got, wants[i])
		}
	}
}
