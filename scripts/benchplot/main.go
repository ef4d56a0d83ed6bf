// Command benchplot draws BENCHMARKS.md's chart of cost against workspace
// size: it reads lines "series<TAB>N<TAB>milliseconds" on standard input
// and writes an SVG chart (log-log axes, one line per series) on standard
// output. scripts/benchmarks.sh turns the SVG into the PNG with Chromium.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

type point struct{ n, ms float64 }

func main() {
	if err := plot(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchplot:", err)
		os.Exit(1)
	}
}

func plot(in io.Reader, out io.Writer) error {
	series := map[string][]point{}
	var order []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return fmt.Errorf("want series<TAB>N<TAB>ms: %q", line)
		}
		n, err1 := strconv.ParseFloat(f[1], 64)
		ms, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil || n <= 0 || ms <= 0 {
			return fmt.Errorf("want positive numbers: %q", line)
		}
		if _, ok := series[f[0]]; !ok {
			order = append(order, f[0])
		}
		series[f[0]] = append(series[f[0]], point{n, ms})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(order) == 0 {
		return fmt.Errorf("no data")
	}
	minN, maxN, minMS, maxMS := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, ps := range series {
		for _, p := range ps {
			minN, maxN = math.Min(minN, p.n), math.Max(maxN, p.n)
			minMS, maxMS = math.Min(minMS, p.ms), math.Max(maxMS, p.ms)
		}
	}
	// Whole decades on both axes.
	x0, x1 := math.Floor(math.Log10(minN)), math.Ceil(math.Log10(maxN))
	y0, y1 := math.Floor(math.Log10(minMS)), math.Ceil(math.Log10(maxMS))
	if x1 == x0 {
		x1++
	}
	if y1 == y0 {
		y1++
	}
	const w, h, left, right, top, bottom = 760, 460, 80, 230, 30, 60
	px := func(n float64) float64 { return left + (math.Log10(n)-x0)/(x1-x0)*(w-left-right) }
	py := func(ms float64) float64 { return h - bottom - (math.Log10(ms)-y0)/(y1-y0)*(h-top-bottom) }
	colors := []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"}

	fmt.Fprintf(out, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="13">`+"\n", w, h)
	fmt.Fprintf(out, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for d := x0; d <= x1; d++ {
		x := px(math.Pow(10, d))
		fmt.Fprintf(out, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, top, x, h-bottom, x, h-bottom+18, strconv.FormatFloat(math.Pow(10, d), 'f', -1, 64))
	}
	for d := y0; d <= y1; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(out, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s ms</text>`+"\n", left, y, w-right, y, left-6, y+4, strconv.FormatFloat(math.Pow(10, d), 'f', -1, 64))
	}
	fmt.Fprintf(out, `<text x="%d" y="%d" text-anchor="middle">modules in the workspace (N)</text>`+"\n", (left+w-right)/2, h-15)
	for i, name := range order {
		ps := series[name]
		slices.SortFunc(ps, func(a, b point) int { return int(math.Copysign(1, a.n-b.n)) })
		c := colors[i%len(colors)]
		var pts []string
		for _, p := range ps {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(p.n), py(p.ms)))
			fmt.Fprintf(out, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(p.n), py(p.ms), c)
		}
		fmt.Fprintf(out, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), c)
		ly := top + 10 + i*20
		fmt.Fprintf(out, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/><text x="%d" y="%d">%s</text>`+"\n", w-right+12, ly, w-right+32, ly, c, w-right+38, ly+4, escape(name))
	}
	fmt.Fprintln(out, "</svg>")
	return nil
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
