package diagnostics

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// A Check finds one family of problems in a snapshot.
type Check struct {
	// Name identifies the check in logs (one word, camelCase, so it is never
	// mistaken for a diagnostic code).
	Name string
	// Codes lists every code the check may report, for documentation and
	// SARIF rule metadata. cmd/gomodls' TestCodesDocumented and
	// TestEmittedCodesAreDeclared hold it to docs/diagnostics.md and to
	// what Run returns.
	Codes []string
	// InGOPATHMode is true for a check that runs with GO111MODULE=off. The
	// go command then reads no module file, so Run skips every other check:
	// none of their diagnostics would be true.
	InGOPATHMode bool
	Run          func(*workspace.Snapshot) []Diagnostic
	// RunFocused, when set, is Run asked only for the diagnostics placed
	// on the files of focus (a nil focus is every file, and then it is Run).
	// It may return diagnostics of other files too (RunFocused filters
	// them); what it must not do is miss or change one of focus's. A check
	// without it runs whole and is filtered. TestFocusedRunIsFiltered
	// (cmd/gomodls) holds every check to this over the test fixtures.
	//
	// It may also stop early, between modules, when ctx is done, with
	// whatever it has (the runner then discards it): a newer snapshot must
	// not wait for a check's pass over a thousand modules. It never stops
	// inside a computation it memoizes.
	RunFocused func(context.Context, *workspace.Snapshot, *Focus) []Diagnostic
}

// Focus names the files a run is asked about: the server asks first for
// the buffers just edited, whose diagnostics the user waits for, and then
// for everything. A nil *Focus holds every file.
type Focus struct {
	paths map[string]bool
	// dirs holds the directories of the go.mod, go.sum and
	// vendor/modules.txt files in focus (HasModule), so that a check
	// asking about each of a thousand modules joins no path.
	dirs map[string]bool
	// few and fewDirs list the same when there are at most fewPaths
	// paths, the common focus (the buffers just edited): every check
	// asks Has of each of a thousand modules, and comparing a path with
	// one or two costs less than hashing it. fewGoMods are the go.mod
	// paths of fewDirs, which a context's index finds modules by.
	few, fewDirs, fewGoMods []string
}

const fewPaths = 4

// FocusOn returns the focus on the files at paths.
func FocusOn(paths ...string) *Focus {
	f := &Focus{paths: make(map[string]bool, len(paths)), dirs: make(map[string]bool)}
	for _, p := range paths {
		f.paths[p] = true
		switch dir, base := filepath.Split(p); {
		case base == "go.mod" || base == "go.sum":
			f.dirs[filepath.Clean(dir)] = true
		case base == "modules.txt" && filepath.Base(filepath.Clean(dir)) == "vendor":
			f.dirs[filepath.Dir(filepath.Clean(dir))] = true
		}
	}
	if len(f.paths) <= fewPaths {
		f.few = slices.Collect(maps.Keys(f.paths))
		f.fewDirs = slices.Collect(maps.Keys(f.dirs))
		for _, d := range f.fewDirs {
			f.fewGoMods = append(f.fewGoMods, filepath.Join(d, "go.mod"))
		}
	}
	return f
}

// Has reports whether file is in focus.
func (f *Focus) Has(file *workspace.File) bool {
	switch {
	case f == nil:
		return true
	case file == nil:
		return false
	case f.few != nil || len(f.paths) == 0:
		return slices.ContainsFunc(f.few, func(p string) bool { return samePath(p, file.Path) })
	}
	return f.paths[file.Path]
}

// samePath compares two paths from their ends, where the paths of one
// workspace's files differ (m0500/go.mod, m0501/go.mod): the prefix they
// share is never compared for two files of different directories.
func samePath(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// HasModule reports whether any file of module m's directory a check
// places diagnostics on (its go.mod, go.sum, vendor/modules.txt) is in
// focus.
func (f *Focus) HasModule(m *workspace.Module) bool {
	switch {
	case f == nil:
		return true
	case f.few != nil || len(f.paths) == 0:
		return slices.ContainsFunc(f.fewDirs, func(d string) bool { return samePath(d, m.Dir) })
	}
	return f.dirs[m.Dir]
}

// modules returns snap's modules whose go.mod, go.sum or vendor manifest is
// in focus (HasModule), sorted by path like snap.Modules: all of them when
// f is nil. A check on each module asks for these rather than asking
// HasModule of each of a thousand.
func (f *Focus) modules(snap *workspace.Snapshot) []*workspace.Module {
	if f == nil {
		return snap.Modules()
	}
	var mods []*workspace.Module
	for dir := range f.dirs {
		if m := snap.ModuleAt(filepath.Join(dir, "go.mod")); m != nil {
			mods = append(mods, m)
		}
	}
	slices.SortFunc(mods, func(a, b *workspace.Module) int { return strings.Compare(a.File.Path, b.File.Path) })
	return mods
}

// sums returns snap's go.sum and go.work.sum files in focus, sorted by
// path like snap.Sums: all of them when f is nil.
func (f *Focus) sums(snap *workspace.Snapshot) []*workspace.SumFile {
	if f == nil {
		return snap.Sums()
	}
	var sums []*workspace.SumFile
	for p := range f.paths {
		if sf := snap.SumAt(p); sf != nil {
			sums = append(sums, sf)
		}
	}
	slices.SortFunc(sums, func(a, b *workspace.SumFile) int { return strings.Compare(a.File.Path, b.File.Path) })
	return sums
}

// mainsInFocus yields bc's main modules whose go.mod is in focus, in order,
// and stops early when ctx is done: the loop of a per-module check, which
// then returns what it has (the runner discards it).
//
// A focus of a few files finds their modules in the context's index
// (MainsAt) instead of asking Has of every main module: a focused run
// after an edit does that in half a dozen checks, and at a thousand
// modules the loops were a tenth of it.
func mainsInFocus(ctx context.Context, bc buildContext, focus *Focus) iter.Seq[*workspace.Module] {
	return func(yield func(*workspace.Module) bool) {
		if at, ok := focusedMainIndexes(bc, focus, false); ok {
			for _, i := range at {
				if ctx.Err() != nil || !yield(bc.Mains[i]) {
					return
				}
			}
			return
		}
		for _, m := range bc.Mains {
			if ctx.Err() != nil {
				return
			}
			if focus.Has(m.File) && !yield(m) {
				return
			}
		}
	}
}

// mainDirsInFocus yields bc's main modules in focus by HasModule (any of
// their go.mod, go.sum or vendor/modules.txt), in the order of Mains: from
// the context's index when focus holds a few files, like mainsInFocus.
func mainDirsInFocus(bc buildContext, focus *Focus) iter.Seq[*workspace.Module] {
	return func(yield func(*workspace.Module) bool) {
		if at, ok := focusedMainIndexes(bc, focus, true); ok {
			for _, i := range at {
				if !yield(bc.Mains[i]) {
					return
				}
			}
			return
		}
		for _, m := range bc.Mains {
			if focus.HasModule(m) && !yield(m) {
				return
			}
		}
	}
}

// focusedMainIndexes returns the indexes in bc.Mains of the main modules
// whose go.mod is in focus (byDir: whose directory is, as HasModule asks),
// sorted, from the context's index (MainsAt); ok is false unless focus
// holds a few files, fewer than bc has main modules (then asking Has of
// each costs no more).
func focusedMainIndexes(bc buildContext, focus *Focus, byDir bool) (at []int, ok bool) {
	if focus == nil || focus.few == nil {
		return nil, false
	}
	gomods := focus.few
	if byDir {
		gomods = focus.fewGoMods
	}
	if len(bc.Mains) <= len(gomods) {
		return nil, false
	}
	for _, p := range gomods {
		at = append(at, bc.MainsAt(p)...)
	}
	slices.Sort(at)
	return at, true
}

// keep returns the diagnostics of diags placed on a file in focus.
func (f *Focus) keep(diags []Diagnostic) []Diagnostic {
	if f == nil {
		return diags
	}
	var out []Diagnostic
	for _, d := range diags {
		if d.File == nil || f.paths[d.File.Path] {
			out = append(out, d)
		}
	}
	return out
}

// Checks is the list of every check, in the order they run.
var Checks = []Check{
	envCheck,
	fileSkippedCheck,
	parseErrorsCheck, goModSpellingCheck,
	vendorCheck,
	workReplaceCheck,
	workUseCheck, workGoCheck, workEnvCheck, workNotUsedCheck,
	versionSkewCheck,
	goSumCheck,
	replaceCheck, replaceNotRequiredCheck,
	versionCheck, goModDirtyCheck, retractCheck, tidyRequiresCheck,
	outsideRepoCheck,
	goproxyOffCheck, toolchainUnavailableCheck, privateCheck,
}

// CodeInternalError is reported when a check panics: a bug in gomodls, not
// in the user's files.
const CodeInternalError = "internal-error"

// Run runs checks on snap and returns their diagnostics sorted by file path,
// then position, then code. In GOPATH mode (GO111MODULE=off) only the
// checks marked InGOPATHMode run. A check that panics does not stop the others: its
// panic becomes one internal-error diagnostic (with no file), and report, if
// not nil, receives the panic value and stack for the log.
func Run(snap *workspace.Snapshot, checks []Check, report func(check string, panicked any, stack []byte)) []Diagnostic {
	diags, _ := RunContext(context.Background(), snap, checks, report)
	return diags
}

// RunContext is Run stopped early, with ctx's error, when ctx is done
// before every check has run: the server stops the checks of a snapshot
// that a newer one has replaced. What the checks that ran computed with
// Snapshot.Memo is kept for the next snapshot.
func RunContext(ctx context.Context, snap *workspace.Snapshot, checks []Check, report func(check string, panicked any, stack []byte)) ([]Diagnostic, error) {
	return RunFocused(ctx, snap, checks, nil, report)
}

// RunFocused is RunContext returning only the diagnostics placed on the
// files of focus (every file when focus is nil): exactly those RunContext
// returns for them, at the cost of the checks' work for those files where
// a check can tell (Check.RunFocused). Diagnostics without a file (a
// panicking check's internal error) are kept.
func RunFocused(ctx context.Context, snap *workspace.Snapshot, checks []Check, focus *Focus, report func(check string, panicked any, stack []byte)) ([]Diagnostic, error) {
	gopath := buildctx.ModulesOf(snap.Env).Off
	// The checks run side by side, in order, on up to GOMAXPROCS
	// goroutines: each is a function of the snapshot alone, and what two
	// of them share (a module graph, a disk read) is made once, for
	// whichever asks first (Snapshot.Memo, the disk cache). Run one after
	// another, the module graphs of versionSkew and of gosum, loaded one
	// go.mod after another, kept a core idle for most of a check.
	var tasks []func() []Diagnostic
	for _, c := range checks {
		if gopath && !c.InGOPATHMode {
			continue
		}
		tasks = append(tasks, func() []Diagnostic { return runOne(ctx, snap, c, focus, report) })
	}
	results := inParallel(ctx, tasks)
	if err := ctx.Err(); err != nil {
		return nil, err // a check skipped or stopped early
	}
	n := 0
	for _, r := range results {
		n += len(r)
	}
	// One allocation and a generic sort: a check may return a hundred
	// thousand diagnostics (a flooded go.sum), on every snapshot.
	all := make([]Diagnostic, 0, n)
	for _, r := range results {
		all = append(all, r...)
	}
	Sort(all)
	return all, nil
}

// appendAll returns diags followed by more, without copying more when diags
// is empty: a check may return a memoized slice of a hundred thousand
// diagnostics (unusedSumDiagnostics), shared by the snapshots that reuse it
// and clipped, so that an append to it copies instead of writing into it.
func appendAll(diags, more []Diagnostic) []Diagnostic {
	if len(diags) == 0 {
		return more
	}
	return append(diags, more...)
}

// memoized returns compute's value, kept with Snapshot.Memo under key and
// reused by later snapshots while inputs (which must say everything
// compute depends on) are equal: the one way a check keeps what it derived
// for one file or module across snapshots. The value is shared: never
// modify it.
func memoized[K comparable, V any](snap *workspace.Snapshot, key string, inputs K, compute func() V) V {
	return memoizedFunc(snap, key, inputs, func(a, b K) bool { return a == b }, compute)
}

// memoizedFunc is memoized for inputs that same compares (a map, say).
func memoizedFunc[K, V any](snap *workspace.Snapshot, key string, inputs K, same func(a, b K) bool, compute func() V) V {
	type entry struct {
		inputs K
		value  V
	}
	return snap.Memo(key, func(prev any) any {
		if p, ok := prev.(*entry); ok && same(p.inputs, inputs) {
			return p
		}
		return &entry{inputs, compute()}
	}).(*entry).value
}

// memoDiagnostics is memoized for a check's diagnostics: for a check whose
// cost grows with a file's size (one diagnostic per line of a go.sum) or
// with the number of modules. The result is clipped, so appendAll copies.
func memoDiagnostics[K comparable](snap *workspace.Snapshot, key string, inputs K, compute func() []Diagnostic) []Diagnostic {
	return memoized(snap, key, inputs, func() []Diagnostic { return slices.Clip(compute()) })
}

// memoDiagnosticsFunc is memoDiagnostics for inputs that same compares.
func memoDiagnosticsFunc[K any](snap *workspace.Snapshot, key string, inputs K, same func(a, b K) bool, compute func() []Diagnostic) []Diagnostic {
	return memoizedFunc(snap, key, inputs, same, func() []Diagnostic { return slices.Clip(compute()) })
}

// inParallel runs tasks on up to GOMAXPROCS goroutines and returns their
// results in the order of tasks; a task not yet started when ctx is done
// is skipped (its result nil). A task that panics makes inParallel panic
// too, once the others are done, with the panic value and stack where it
// happened (a taskPanic, which runOne reports as the check's own).
func inParallel[T any](ctx context.Context, tasks []func() T) []T {
	out := make([]T, len(tasks))
	workers := min(runtime.GOMAXPROCS(0), len(tasks))
	var next atomic.Int64
	var first atomic.Pointer[taskPanic]
	work := func() {
		defer func() {
			if r := recover(); r != nil {
				first.CompareAndSwap(nil, &taskPanic{r, debug.Stack()})
			}
		}()
		for {
			i := int(next.Add(1) - 1)
			if i >= len(tasks) || ctx.Err() != nil || first.Load() != nil {
				return
			}
			out[i] = tasks[i]()
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if p := first.Load(); p != nil {
		panic(*p)
	}
	return out
}

// taskPanic is a panic of a check's task on another goroutine.
type taskPanic struct {
	value any
	stack []byte
}

func runOne(ctx context.Context, snap *workspace.Snapshot, c Check, focus *Focus, report func(string, any, []byte)) (diags []Diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			stack := debug.Stack()
			if p, ok := r.(taskPanic); ok {
				r, stack = p.value, p.stack
			}
			if report != nil {
				report(c.Name, r, stack)
			}
			diags = []Diagnostic{{
				Code:     CodeInternalError,
				Severity: SeverityError,
				Message:  fmt.Sprintf("internal error in gomodls check %s: %v (please report this bug)", c.Name, r),
			}}
		}
	}()
	if c.RunFocused != nil {
		return focus.keep(c.RunFocused(ctx, snap, focus))
	}
	return focus.keep(c.Run(snap))
}

// Sort orders diagnostics by file path, start, end, then code; diagnostics
// without a file come first.
func Sort(diags []Diagnostic) {
	slices.SortStableFunc(diags, func(a, b Diagnostic) int {
		if a.File != b.File {
			if c := strings.Compare(path(a.File), path(b.File)); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(a.Span.Start, b.Span.Start), cmp.Compare(a.Span.End, b.Span.End), strings.Compare(a.Code, b.Code))
	})
}

func path(f *workspace.File) string {
	if f == nil {
		return ""
	}
	return f.Path
}
