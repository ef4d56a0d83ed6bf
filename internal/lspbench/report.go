package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A report is the program's output; its JSON form is -json's.
type report struct {
	Workspace string         `json:"workspace"`
	File      string         `json:"file"` // relative to the workspace
	Require   string         `json:"require"`
	Change    string         `json:"change"`
	Edits     int            `json:"edits"`
	SettleMS  float64        `json:"settle_ms"` // the longest wait after the last edit for the server to be idle
	Runs      int            `json:"runs"`
	Servers   []serverReport `json:"servers"`
	// Ratios maps "gopls/<server>" to each number of gopls divided by
	// the server's (when -compare-gopls).
	Ratios map[string]ratios `json:"ratios,omitempty"`
}

type serverReport struct {
	Name    string      `json:"name"`
	Command []string    `json:"command"`
	Median  numbers     `json:"median"` // of each number over the runs
	Runs    []runReport `json:"runs"`
}

// numbers are what one run measures, or their medians; times in
// milliseconds, sizes in bytes.
type numbers struct {
	InitializeMS       float64 `json:"initialize_ms"`
	FirstPublishMS     float64 `json:"first_publish_ms"`
	FirstFilePublishMS float64 `json:"first_file_publish_ms"`
	EditP50MS          float64 `json:"edit_p50_ms"`
	EditP90MS          float64 `json:"edit_p90_ms"`
	EditP99MS          float64 `json:"edit_p99_ms"`
	EditMaxMS          float64 `json:"edit_max_ms"`
	Samples            float64 `json:"samples"`  // edits answered
	Timeouts           float64 `json:"timeouts"` // edits not answered within -edit-timeout
	PeakRSS            float64 `json:"peak_rss_bytes"`
	TreePeakRSS        float64 `json:"tree_peak_rss_bytes"`
	Wait4MaxRSS        float64 `json:"wait4_maxrss_bytes"`
}

type runReport struct {
	numbers
	EditsMS         []float64      `json:"edits_ms"`
	Publishes       int            `json:"publishes"`
	Settled         bool           `json:"settled"`          // idle before shutdown, within -settle
	FileDiagnostics int            `json:"file_diagnostics"` // in the opened file's last publish
	ServerRequests  map[string]int `json:"server_requests"`
}

// ratios are gopls's numbers divided by the server's; 0 where the server's
// is 0.
type ratios struct {
	InitializeMS       float64 `json:"initialize_ms"`
	FirstPublishMS     float64 `json:"first_publish_ms"`
	FirstFilePublishMS float64 `json:"first_file_publish_ms"`
	EditP50MS          float64 `json:"edit_p50_ms"`
	EditP90MS          float64 `json:"edit_p90_ms"`
	EditP99MS          float64 `json:"edit_p99_ms"`
	EditMaxMS          float64 `json:"edit_max_ms"`
	PeakRSS            float64 `json:"peak_rss_bytes"`
	TreePeakRSS        float64 `json:"tree_peak_rss_bytes"`
	Wait4MaxRSS        float64 `json:"wait4_maxrss_bytes"`
}

func newReport(w workload, rel string, runs int, servers []benchedServer) report {
	rep := report{Workspace: w.Workspace, File: rel, Require: w.Plan.Require, Change: w.Plan.Change, Edits: w.Edits, SettleMS: ms(w.Settle), Runs: runs}
	for _, s := range servers {
		sr := serverReport{Name: s.Name, Command: s.Command}
		var all []numbers
		for _, m := range s.Runs {
			r := runReport{numbers: numbersOf(m), Publishes: m.Publishes, Settled: m.Settled, FileDiagnostics: m.FileDiagnostics, ServerRequests: m.ServerRequests}
			for _, d := range m.Edits {
				r.EditsMS = append(r.EditsMS, ms(d))
			}
			sr.Runs = append(sr.Runs, r)
			all = append(all, r.numbers)
		}
		sr.Median = medianNumbers(all)
		rep.Servers = append(rep.Servers, sr)
	}
	if len(rep.Servers) == 2 {
		a, g := rep.Servers[0].Median, rep.Servers[1].Median
		div := func(x, y float64) float64 {
			if y == 0 {
				return 0
			}
			return x / y
		}
		rep.Ratios = map[string]ratios{rep.Servers[1].Name + "/" + rep.Servers[0].Name: {
			InitializeMS:       div(g.InitializeMS, a.InitializeMS),
			FirstPublishMS:     div(g.FirstPublishMS, a.FirstPublishMS),
			FirstFilePublishMS: div(g.FirstFilePublishMS, a.FirstFilePublishMS),
			EditP50MS:          div(g.EditP50MS, a.EditP50MS),
			EditP90MS:          div(g.EditP90MS, a.EditP90MS),
			EditP99MS:          div(g.EditP99MS, a.EditP99MS),
			EditMaxMS:          div(g.EditMaxMS, a.EditMaxMS),
			PeakRSS:            div(g.PeakRSS, a.PeakRSS),
			TreePeakRSS:        div(g.TreePeakRSS, a.TreePeakRSS),
			Wait4MaxRSS:        div(g.Wait4MaxRSS, a.Wait4MaxRSS),
		}}
	}
	return rep
}

func numbersOf(m measurement) numbers {
	sorted := slices.Clone(m.Edits)
	slices.Sort(sorted)
	return numbers{
		InitializeMS:       ms(m.Initialize),
		FirstPublishMS:     ms(m.FirstPublish),
		FirstFilePublishMS: ms(m.FirstFilePublish),
		EditP50MS:          ms(percentile(sorted, 50)),
		EditP90MS:          ms(percentile(sorted, 90)),
		EditP99MS:          ms(percentile(sorted, 99)),
		EditMaxMS:          ms(percentile(sorted, 100)),
		Samples:            float64(len(m.Edits)),
		Timeouts:           float64(m.Timeouts),
		PeakRSS:            float64(m.PeakRSS),
		TreePeakRSS:        float64(m.TreePeakRSS),
		Wait4MaxRSS:        float64(m.ChildMaxRSS),
	}
}

// percentile is the nearest-rank percentile p of sorted (0 if empty).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// medianNumbers is each number's median over the runs (the mean of the
// middle two for an even count).
func medianNumbers(runs []numbers) numbers {
	med := func(get func(numbers) float64) float64 {
		var v []float64
		for _, r := range runs {
			v = append(v, get(r))
		}
		if len(v) == 0 {
			return 0
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return numbers{
		InitializeMS:       med(func(n numbers) float64 { return n.InitializeMS }),
		FirstPublishMS:     med(func(n numbers) float64 { return n.FirstPublishMS }),
		FirstFilePublishMS: med(func(n numbers) float64 { return n.FirstFilePublishMS }),
		EditP50MS:          med(func(n numbers) float64 { return n.EditP50MS }),
		EditP90MS:          med(func(n numbers) float64 { return n.EditP90MS }),
		EditP99MS:          med(func(n numbers) float64 { return n.EditP99MS }),
		EditMaxMS:          med(func(n numbers) float64 { return n.EditMaxMS }),
		Samples:            med(func(n numbers) float64 { return n.Samples }),
		Timeouts:           med(func(n numbers) float64 { return n.Timeouts }),
		PeakRSS:            med(func(n numbers) float64 { return n.PeakRSS }),
		TreePeakRSS:        med(func(n numbers) float64 { return n.TreePeakRSS }),
		Wait4MaxRSS:        med(func(n numbers) float64 { return n.Wait4MaxRSS }),
	}
}

// writeTable writes the report for people: one column per server, and the
// ratio column when there are two.
func (rep report) writeTable(w io.Writer) error {
	runs := "1 run"
	if rep.Runs > 1 {
		runs = fmt.Sprintf("median of %d runs", rep.Runs)
	}
	fmt.Fprintf(w, "%s in %s\n%d edits of require %s (%s), %s, shutdown once idle (at most %v after the last)\n\n", rep.File, rep.Workspace, rep.Edits, rep.Require, rep.Change, runs, time.Duration(rep.SettleMS*float64(time.Millisecond)))
	var ratio *ratios
	head := []string{""}
	for _, s := range rep.Servers {
		head = append(head, s.Name)
	}
	for name, r := range rep.Ratios {
		head = append(head, name)
		ratio = &r
	}
	rows := [][]string{head}
	row := func(label string, get func(numbers) string, r func(ratios) float64) {
		cells := []string{label}
		for _, s := range rep.Servers {
			cells = append(cells, get(s.Median))
		}
		if ratio != nil {
			cell := ""
			if r != nil {
				cell = fmt.Sprintf("%.1f×", r(*ratio))
			}
			cells = append(cells, cell)
		}
		rows = append(rows, cells)
	}
	dur := func(get func(numbers) float64) func(numbers) string {
		return func(n numbers) string { return formatMS(get(n)) }
	}
	size := func(get func(numbers) float64) func(numbers) string {
		return func(n numbers) string { return formatBytes(get(n)) }
	}
	row("initialize → answer", dur(func(n numbers) float64 { return n.InitializeMS }), func(r ratios) float64 { return r.InitializeMS })
	row("initialize → first diagnostics, any file", dur(func(n numbers) float64 { return n.FirstPublishMS }), func(r ratios) float64 { return r.FirstPublishMS })
	row("initialize → first diagnostics, the file", dur(func(n numbers) float64 { return n.FirstFilePublishMS }), func(r ratios) float64 { return r.FirstFilePublishMS })
	row("edit → diagnostics p50", dur(func(n numbers) float64 { return n.EditP50MS }), func(r ratios) float64 { return r.EditP50MS })
	row("                   p90", dur(func(n numbers) float64 { return n.EditP90MS }), func(r ratios) float64 { return r.EditP90MS })
	row("                   p99", dur(func(n numbers) float64 { return n.EditP99MS }), func(r ratios) float64 { return r.EditP99MS })
	row("                   max", dur(func(n numbers) float64 { return n.EditMaxMS }), func(r ratios) float64 { return r.EditMaxMS })
	row("edits answered / timed out", func(n numbers) string { return fmt.Sprintf("%g / %g", n.Samples, n.Timeouts) }, nil)
	row("peak RSS: server (VmHWM)", size(func(n numbers) float64 { return n.PeakRSS }), func(r ratios) float64 { return r.PeakRSS })
	row("peak RSS: server + children (sampled)", size(func(n numbers) float64 { return n.TreePeakRSS }), func(r ratios) float64 { return r.TreePeakRSS })
	row("ru_maxrss (wait4)", size(func(n numbers) float64 { return n.Wait4MaxRSS }), func(r ratios) float64 { return r.Wait4MaxRSS })

	// The labels left-aligned, the numbers right-aligned, two spaces apart.
	widths := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatMS(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2fs", v/1000)
	case v >= 10:
		return fmt.Sprintf("%.0fms", v)
	default:
		return fmt.Sprintf("%.2fms", v)
	}
}

func formatBytes(v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", v/(1<<20))
}
