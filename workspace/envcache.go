package workspace

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The package index also keeps what `go env` printed, so that a new process
// (every gomodls check, every server start) does not start the go command
// to learn the same values again: running it is a tenth of a check's time.
//
// go env's answer for the variables Env holds is a function of the go
// binary, of the environment variables it reads (every GO… variable, and
// those that locate the user's env file and home directory) and of a few
// files: the env file `go env -w` writes, $GOROOT/go.env, and a go.work
// in the root directory, where it runs (it would be GOWORK). So a record
// is keyed by the binary that exec would start (its path, its links
// resolved, and its look: size, modification time, mode), those
// variables, the env file's look and the root go.work's, and also holds
// the look of $GOROOT/go.env, which must match too. As for Go files
// (goFileSettle), a record is kept only when neither the binary nor the
// two env files was modified less than goFileSettle before go ran.

// goEnvRecord is what LoadEnv needs to look up and keep go env's output.
type goEnvRecord struct {
	file indexFile // "" name: no record can be kept
	bin  string    // the go binary, its links resolved
	runs time.Time // when go env was started
}

const goEnvIndexFormat = "gomodls go env 1"

// goEnvRecordFor returns the record for running goCmd with environ, or one
// with no file when the index is off or goCmd cannot be found or looked at.
func goEnvRecordFor(goCmd string, environ []string) goEnvRecord {
	index := indexDir()
	r := goEnvRecord{runs: time.Now()}
	if index == "" {
		return r
	}
	bin, err := exec.LookPath(goCmd)
	if err != nil {
		return r
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return r
	}
	resolved, err := filepath.EvalSymlinks(bin)
	if err != nil {
		return r
	}
	info, err := os.Stat(resolved)
	if err != nil || !info.Mode().IsRegular() {
		return r
	}
	vars := make(map[string]string)
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && (strings.HasPrefix(k, "GO") || slices.Contains(goEnvLocators, k)) {
			vars[k] = v // the last wins, as for the command exec starts
		}
	}
	var key strings.Builder
	fmt.Fprintf(&key, "%s\t%s\t%s", bin, resolved, look(info))
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		fmt.Fprintf(&key, "\t%s=%s", k, vars[k])
	}
	envFile := envFilePath(environ)
	fmt.Fprintf(&key, "\t%s\t%s", envFile, lookAt(envFile))
	// go env runs in the root directory, where a go.work would be GOWORK.
	rootWork := filepath.Join(string(filepath.Separator), "go.work")
	fmt.Fprintf(&key, "\t%s", lookAt(rootWork))
	if strings.Contains(key.String(), "\n") {
		return r
	}
	r.file, r.bin = newIndexFile(index, "goenv", goEnvIndexFormat, key.String()), resolved
	return r
}

// goEnvLocators are the variables besides GO… ones that go env's answers
// depend on: they locate the env file and the default GOPATH.
var goEnvLocators = []string{"HOME", "XDG_CONFIG_HOME", "AppData", "home"}

// look is a file's size, modification time and mode, as a record keeps it.
func look(info os.FileInfo) string {
	return strconv.FormatInt(info.Size(), 10) + " " + strconv.FormatInt(info.ModTime().UnixNano(), 10) + " " + strconv.FormatUint(uint64(info.Mode()), 10)
}

// lookAt is look of the file at path, or "-" when there is none.
func lookAt(path string) string {
	if path == "" {
		return "-"
	}
	info, err := os.Stat(path)
	if err != nil {
		return "-"
	}
	return look(info)
}

// output returns the go env output r's file holds, if $GOROOT/go.env still
// looks as it did.
func (r goEnvRecord) output() ([]byte, bool) {
	if r.file.name == "" {
		return nil, false
	}
	lines, ok := r.file.read()
	if !ok || len(lines) != 2 {
		return nil, false
	}
	path, was, ok := strings.Cut(lines[0], "\t")
	out, err := strconv.Unquote(lines[1])
	if !ok || err != nil || lookAt(path) != was {
		return nil, false
	}
	return []byte(out), true
}

// keep records out, what go env printed, with the look of goEnvFile (the
// $GOROOT/go.env it read), unless a file it depends on changed too
// recently before it ran to be told from a second change.
func (r goEnvRecord) keep(out []byte, goEnvFile, envFile string) {
	if r.file.name == "" || strings.ContainsAny(goEnvFile, "\t\n") {
		return
	}
	for _, path := range []string{r.bin, goEnvFile, envFile} {
		if info, err := os.Stat(path); err == nil && r.runs.Sub(info.ModTime()) < goFileSettle {
			return
		}
	}
	_ = r.file.write([]string{goEnvFile + "\t" + lookAt(goEnvFile), strconv.Quote(string(out))})
}
