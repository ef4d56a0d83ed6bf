package explain

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// A Line is one labelled statement of an explanation.
type Line struct {
	Label string // "Mode", "GOMOD", "GOWORK", "-mod", "Toolchain", …
	Text  string
}

// Summary is the explanation in a few labelled sentences: mode, GOMOD,
// go.work in effect, main modules, -mod and why, the toolchain, and the
// environment variables set away from their default. It is the one wording
// of an explanation: `gomodls explain` prints it (followed by the
// requirements and every variable), the server's hover renders it as
// markdown.
func Summary(e *Explanation) []Line {
	var lines []Line
	add := func(label, format string, args ...any) {
		lines = append(lines, Line{label, fmt.Sprintf(format, args...)})
	}
	add("Mode", "%s", modeText(e))
	if e.Mode.Error != "" {
		add("Error", "%s", e.Mode.Error)
	}
	switch {
	case e.GOMOD == "":
		add("GOMOD", "none: GOPATH mode reads no go.mod")
	case e.GOMOD == os.DevNull:
		add("GOMOD", "%s: no go.mod in %s or any parent directory", os.DevNull, e.Dir)
	default:
		add("GOMOD", "%s", e.GOMOD)
	}
	add("GOWORK", "%s", workText(e))
	if len(e.Mains) > 0 {
		var mains []string
		for _, m := range e.Mains {
			mains = append(mains, m.Path+" ("+m.Dir+")")
		}
		add("Main modules", "%s", strings.Join(mains, ", "))
	}
	if e.Mod != nil {
		text := "-mod=" + e.Mod.Value + ": " + e.Mod.Reason
		if e.Mod.Error != "" {
			text += "; the go command rejects it: " + e.Mod.Error
		}
		add("-mod", "%s", text)
	}
	add("Toolchain", "%s", toolchainText(e.Toolchain))
	var set []string
	for _, v := range e.Vars {
		if !v.Default {
			set = append(set, fmt.Sprintf("%s=%s (%s)", v.Name, v.Value, v.Origin))
		}
	}
	if len(set) > 0 {
		add("Set", "%s", strings.Join(set, "; "))
	}
	return lines
}

func modeText(e *Explanation) string {
	g := "GO111MODULE is unset (" + e.Mode.Origin + ")"
	if e.Mode.GO111MODULE != "" {
		g = "GO111MODULE=" + e.Mode.GO111MODULE + " (" + e.Mode.Origin + ")"
	}
	switch e.Mode.Name {
	case "gopath":
		if e.Mode.GO111MODULE == "auto" {
			return "GOPATH mode: " + g + " and no go.mod in " + e.Dir + " or any parent directory; go reads no go.mod, go.work, go.sum or vendor/modules.txt"
		}
		return "GOPATH mode: " + g + "; go reads no go.mod, go.work, go.sum or vendor/modules.txt and resolves imports from GOROOT and GOPATH/src"
	case "workspace":
		return "workspace mode: " + g + " and a go.work is in effect"
	}
	if e.GOMOD == os.DevNull {
		return "module mode without a main module: " + g + " and no go.mod found"
	}
	return "module mode: " + g + " and a go.mod is found, with no go.work in effect"
}

func workText(e *Explanation) string {
	w := e.GOWORK
	var s string
	switch w.Source {
	case "off":
		s = "off: GOWORK=off (" + w.Origin + ") switches workspace mode off"
	case "env":
		s = w.Path + ": GOWORK names it (" + w.Origin + ")"
		if !w.Read {
			s += "; gomodls could not read it"
		}
	case "search":
		s = w.Path + ": found by searching " + e.Dir + " and its parent directories (GOWORK is unset)"
	default:
		s = "none: no go.work in " + e.Dir + " or any parent directory"
	}
	if e.Mode.Name == "gopath" && w.Source != "off" && w.Source != "none" {
		s += "; unused in GOPATH mode"
	}
	return s
}

func toolchainText(t Toolchain) string {
	var b strings.Builder
	if t.Runs != "" {
		b.WriteString(t.Runs + " runs: " + t.Reason + ". ")
	} else {
		b.WriteString(t.Reason + ". ")
	}
	g := t.GOTOOLCHAIN
	if g == "" {
		g = "auto"
	}
	fmt.Fprintf(&b, "GOTOOLCHAIN=%s (%s)", g, t.Origin)
	if t.File != "" {
		gl, tl := "no go line", "no toolchain line"
		if t.Go != "" {
			gl = "go " + t.Go
		}
		if t.Line != "" {
			tl = "toolchain " + t.Line
		}
		fmt.Fprintf(&b, "; %s says %s, %s", t.File, gl, tl)
	}
	if t.Local != "" {
		fmt.Fprintf(&b, "; the local go is %s", t.Local)
	}
	return b.String()
}

// WriteText prints e for a terminal: the Summary, then each requirement
// (replacement, fetch, checksum database, privacy) and every variable.
func WriteText(w io.Writer, e *Explanation) error {
	var b strings.Builder
	for _, l := range Summary(e) {
		fmt.Fprintf(&b, "%s: %s\n", l.Label, l.Text)
	}
	if len(e.Requires) > 0 {
		b.WriteString("\nRequirements:\n")
		for _, r := range e.Requires {
			fmt.Fprintf(&b, "\t%s %s", r.Path, r.Version)
			if r.Indirect {
				b.WriteString(" // indirect")
			}
			b.WriteString("\n")
			if len(e.Mains) > 1 {
				fmt.Fprintf(&b, "\t\trequired by %s\n", r.RequiredBy)
			}
			if rp := r.Replace; rp != nil {
				fmt.Fprintf(&b, "\t\treplaced by %s", rp.New)
				if rp.Dir != "" && rp.Dir != rp.New {
					fmt.Fprintf(&b, " (%s)", rp.Dir)
				}
				fmt.Fprintf(&b, " in %s\n", rp.File)
			}
			if f := r.Fetch; f != nil {
				fmt.Fprintf(&b, "\t\t%s\n", fetchText(f))
			} else {
				b.WriteString("\t\tnot downloaded: a directory replacement\n")
			}
		}
	}
	b.WriteString("\nEnvironment:\n")
	for _, v := range e.Vars {
		fmt.Fprintf(&b, "\t%s=%s\t%s\n", v.Name, v.Value, v.Origin)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fetchText(f *Fetch) string {
	var s string
	switch f.Via {
	case "off":
		s = "never downloaded (GOPROXY=off)"
	case "direct":
		s = "fetched directly from its repository"
	default:
		s = "fetched through " + strings.Join(f.Proxies, ", then ")
		if f.Fallback == "direct" {
			s += ", then directly from its repository"
		}
	}
	if f.SumDB != "" {
		s += "; checked against " + f.SumDB
	} else {
		s += "; not checked against a checksum database"
	}
	if f.Private {
		s += "; private (GOPRIVATE)"
	}
	if f.Insecure {
		s += "; insecure (GOINSECURE)"
	}
	return s
}

// Markdown renders the Summary for a hover: one bullet per line.
func Markdown(e *Explanation) string {
	var b strings.Builder
	for _, l := range Summary(e) {
		fmt.Fprintf(&b, "- **%s**: %s\n", l.Label, escape(l.Text))
	}
	return b.String()
}

// escape keeps paths and flags from turning into markdown (underscores,
// asterisks) in a hover.
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", `\<`, "[", `\[`)
	return strings.ReplaceAll(r.Replace(s), "\n", " ")
}
