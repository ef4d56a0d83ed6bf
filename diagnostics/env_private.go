package diagnostics

import (
	"context"
	"fmt"
	"golang.org/x/mod/modfile"
	"net"
	"strings"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// CodeEnvPrivateModuleNotConfigured is a module that looks private but that
// the go command checks against the public checksum database.
const CodeEnvPrivateModuleNotConfigured = "env-private-module-not-configured"

// privateHostSuffixes end host names that are private by convention (RFC
// 6762 .local, RFC 8375 .home.arpa, ICANN's reserved .internal, and the
// usual corporate ones). The rule is deliberately conservative: a public
// host never matches. Hosts whose names do not say so are named by
// GOMODLS_PRIVATE_HOSTS (workspace.Env.PrivateHosts).
var privateHostSuffixes = []string{".internal", ".corp", ".local", ".lan", ".intranet", ".home.arpa"}

// privateHost returns the first path element of path when it looks like a
// private host: matched by extra (GOMODLS_PRIVATE_HOSTS), one of
// privateHostSuffixes, a corp, internal or intranet label, an IP address,
// or a single label with no dot.
func privateHost(path, extra string) (string, bool) {
	host, _, _ := strings.Cut(path, "/")
	if extra != "" && matchPatterns(extra, path) {
		return host, true // GOMODLS_PRIVATE_HOSTS names it
	}
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host, true
	}
	for _, s := range privateHostSuffixes {
		if strings.HasSuffix(host, s) {
			return host, true
		}
	}
	// A corp, internal or intranet label anywhere (git.corp.example.com)
	// names a company's own network just as clearly.
	for _, label := range strings.Split(host, ".") {
		switch label {
		case "corp", "internal", "intranet":
			return host, true
		}
	}
	return host, false
}

// privateCheck warns about three ways GOPRIVATE and its kin leave private
// modules to the public services (cmd/go/internal/modfetch: sumdb.go
// useSumDB, repo.go lookup; `go help module-private`):
//
//   - a fetched requirement whose host looks private (privateHost) is
//     checked against the checksum database (buildctx.Fetch.SumDB): go asks
//     sum.golang.org about it, which fails (or leaks the path);
//   - GOPRIVATE, GONOSUMDB or GONOPROXY written with spaces: the go command
//     splits patterns only at commas, so "a.corp b.corp" is one pattern
//     matching nothing;
//   - GOPRIVATE also sets GONOPROXY, so with a corporate GOPROXY the
//     private modules bypass it (information, once per context).
var privateCheck = Check{
	Name:       "private",
	Codes:      []string{CodeEnvPrivateModuleNotConfigured},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return private(context.Background(), snap, nil) },
	RunFocused: private,
}

// private is the check on the files of focus (every file when focus is nil).
func private(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	env := snap.Env
	var diags []Diagnostic
	contexts := userContexts(snap)
	// Only the rare patterns written with spaces need every context's
	// requirements at once.
	var reqsOf [][]fetchedRequire
	reqs := func(i int) []fetchedRequire {
		if reqsOf == nil {
			reqsOf = make([][]fetchedRequire, len(contexts))
			for i, bc := range contexts {
				reqsOf[i] = fetchedRequires(snap, bc)
			}
		}
		return reqsOf[i]
	}
	covered := map[*modfile.Require]bool{}
	// Patterns written with spaces: on the require lines they fail to
	// cover, or, if none, on every context's root.
	for _, key := range []string{"GOPRIVATE", "GONOSUMDB", "GONOPROXY"} {
		v := env.Value(key)
		if key != "GOPRIVATE" && env.Origin(key).Kind == workspace.OriginDefault {
			continue // go env prints GOPRIVATE's value: reported as GOPRIVATE
		}
		commas := commaPatterns(v)
		if commas == v || !strings.ContainsAny(v, " \t") {
			continue
		}
		msg := fmt.Sprintf("%s=%q (%s) separates patterns with spaces: the go command splits them only at commas, so it matches nothing as intended; write %s", key, v, env.Origin(key), env.Set(key, commas))
		found := false
		for ci := range contexts {
			reqs := reqs(ci)
			for i := range reqs {
				fr := &reqs[i]
				p := fr.fetched.Path
				if !matchPatterns(v, p) && matchPatterns(commas, p) {
					found, covered[fr.req] = true, true
					diags = append(diags, Diagnostic{Code: CodeEnvPrivateModuleNotConfigured, Severity: SeverityWarning, File: fr.main.File, Span: lineSpan(fr.req.Syntax), Message: p + ": " + msg})
				}
			}
		}
		if !found {
			for _, bc := range contexts {
				f, sp := bc.RootFile()
				diags = append(diags, Diagnostic{Code: CodeEnvPrivateModuleNotConfigured, Severity: SeverityWarning, File: f, Span: sp, Message: msg})
			}
		}
	}
	for ci, bc := range contexts {
		// Private-looking hosts checked against the checksum database:
		// per main module, kept while its inputs are unchanged, unless
		// a pattern with spaces already covered some line.
		g := contextGraph(snap, bc)
		for m := range mainsInFocus(ctx, bc, focus) {
			compute := func() []Diagnostic { return privateHosts(snap, fetchedRequiresOf(snap, bc, g, m), covered) }
			if len(covered) > 0 {
				diags = append(diags, compute()...)
				continue
			}
			diags = appendAll(diags, memoDiagnostics(snap, "private\x00"+bc.Root+"\x00"+m.File.Path, perModuleInputsOf(snap, g, m), compute))
		}
		if env.GOPRIVATE == "" {
			continue // privateBypassesProxy has nothing to say
		}
		if d, ok := privateBypassesProxy(env, bc, reqs(ci)); ok {
			diags = append(diags, d)
		}
	}
	return diags
}

// privateBypassesProxy tells that GOPRIVATE, with GONOPROXY unset (it then
// defaults to GOPRIVATE), makes the go command fetch the private modules
// directly rather than through a corporate GOPROXY.
// privateHosts reports the requirements of reqs (one main module's) whose
// path looks private but is checked against the checksum database, except
// those covered reports already.
func privateHosts(snap *workspace.Snapshot, reqs []fetchedRequire, covered map[*modfile.Require]bool) []Diagnostic {
	env := snap.Env
	var diags []Diagnostic
	for i := range reqs {
		fr := &reqs[i]
		p := fr.fetched.Path
		host, private := privateHost(p, env.PrivateHosts)
		if !private || covered[fr.req] {
			continue
		}
		fetch := buildctx.FetchOf(env, p)
		if !fetch.SumDB {
			continue
		}
		value := host
		if env.GOPRIVATE != "" {
			value = env.GOPRIVATE + "," + host
		}
		diags = append(diags, Diagnostic{
			Code: CodeEnvPrivateModuleNotConfigured, Severity: SeverityWarning, File: fr.main.File, Span: lineSpan(fr.req.Syntax),
			Message: fmt.Sprintf("%s looks private (host %s), but the go command checks it against the checksum database %s, which cannot know it (%s; %s; %s): mark it private with %s",
				p, host, fetch.SumDBName, describeVar(env, "GOSUMDB"), describeVar(env, "GONOSUMDB"), describeVar(env, "GOPRIVATE"), env.Set("GOPRIVATE", value)),
		})
	}
	return diags
}

func privateBypassesProxy(env workspace.Env, bc buildContext, reqs []fetchedRequire) (Diagnostic, bool) {
	if env.GOPRIVATE == "" || env.Origin("GONOPROXY").Kind != workspace.OriginDefault {
		return Diagnostic{}, false
	}
	var mods []string
	for _, fr := range reqs {
		// The proxies the module would go through without GOPRIVATE.
		proxies := buildctx.FetchOf(workspace.Env{GOPROXY: env.GOPROXY, GOSUMDB: "off"}, fr.fetched.Path).Proxies
		if len(proxies) == 0 || proxies[0] == "https://proxy.golang.org" {
			continue
		}
		if fetch := buildctx.FetchOf(env, fr.fetched.Path); fetch.Private && fetch.Direct {
			mods = append(mods, fr.fetched.Path)
		}
	}
	if len(mods) == 0 {
		return Diagnostic{}, false
	}
	f, sp := bc.RootFile()
	return Diagnostic{
		Code: CodeEnvPrivateModuleNotConfigured, Severity: SeverityInformation, File: f, Span: sp,
		Message: fmt.Sprintf("GOPRIVATE=%s (%s) also sets GONOPROXY: the go command fetches %s directly from the repositories, not through GOPROXY=%s; to keep the proxy for them: %s",
			env.GOPRIVATE, env.Origin("GOPRIVATE"), strings.Join(mods, ", "), env.GOPROXY, env.Set("GONOPROXY", "none")),
	}, true
}

// describeVar is "KEY=value (origin)" for a message.
func describeVar(env workspace.Env, key string) string {
	v := env.Value(key)
	switch k := env.Origin(key).Kind; {
	case (k == workspace.OriginDefault || k == workspace.OriginGoroot) && v == "":
		return key + " unset"
	case k == workspace.OriginDefault || k == workspace.OriginGoroot:
		return fmt.Sprintf("%s=%s, the default", key, v)
	}
	return fmt.Sprintf("%s=%q, %s", key, v, env.Origin(key))
}

// commaPatterns is v with its patterns separated by commas only.
func commaPatterns(v string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(v, ",", " ")), ",")
}

// matchPatterns is the go command's pattern match (module.MatchPrefixPatterns,
// through buildctx so that the rule lives in one place).
func matchPatterns(patterns, path string) bool {
	return buildctx.FetchOf(workspace.Env{GOPRIVATE: patterns, GOSUMDB: "off", GOPROXY: "off"}, path).Private
}
