package modgraph

import "golang.org/x/mod/module"

// Chain returns a shortest chain of requirements from a main module to
// target: the main module (Version ""), the module versions whose go.mod
// lists the next, and last target. It is what `go mod why -m` answers for
// modules rather than packages; asked for a selected version, it says
// why the build uses that version. Nil when no module of the graph
// requires target, or target is a main module.
//
// Ties go to the earlier main module (go.work's use order) and, within a
// go.mod, the earlier requirement, so the answer is stable.
func (g *Graph) Chain(target module.Version) []module.Version {
	if g.IsMain(target.Path) {
		return nil
	}
	from := make(map[module.Version]module.Version)
	seen := make(map[module.Version]bool)
	queue := make([]module.Version, 0, len(g.mains))
	for _, m := range g.mains {
		seen[m] = true
		queue = append(queue, m)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, r := range g.requires(n) {
			if r == target {
				chain := []module.Version{r, n}
				for at := n; at.Version != "" || !g.IsMain(at.Path); {
					at = from[at]
					chain = append(chain, at)
				}
				for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
					chain[i], chain[j] = chain[j], chain[i]
				}
				return chain
			}
			if seen[r] || g.IsMain(r.Path) {
				continue
			}
			seen[r] = true
			if _, ok := g.nodes.Get(r); ok {
				from[r] = n
				queue = append(queue, r)
			}
		}
	}
	return nil
}
