// Package sarif renders a [report.Report] as a SARIF 2.1.0 log, the format
// code-scanning services (GitHub code scanning among them) ingest.
//
// # Mapping
//
// The log has one run. Its tool.driver is gomodls, with one rule per
// diagnostic code gomodls can report (every code of the checks it ran, plus
// internal-error): the rule id is the code, and helpUri its section of
// docs/diagnostics.md ([diagnostics.DocURL]). Each diagnostic becomes one
// result:
//
//   - ruleId is the diagnostic's code;
//   - level is "error" for error, "warning" for warning, and "note" for
//     information and hint (SARIF has no finer level);
//   - message.text is the diagnostic's message;
//   - locations holds one physicalLocation: artifactLocation.uri is the
//     file path of the report (relative to the checked directory,
//     slash-separated, percent-encoded as a URI reference) with uriBaseId
//     "%SRCROOT%", so that the log does not
//     depend on where the checkout lives and the uploader resolves it
//     against the repository root; region carries 1-based startLine,
//     startColumn, endLine and endColumn (endColumn exclusive, as in SARIF);
//   - relatedLocations holds the diagnostic's related information, each with
//     its message.
//
// Columns count UTF-16 code units, as the report's do, and the run says so
// with columnKind "utf16CodeUnits" (SARIF's default would be Unicode code
// points). So a SARIF column is the report's "character" plus one, and the
// same number the text output prints.
//
// An internal error of gomodls belongs to no file: its result has no
// locations.
package sarif

import (
	"net/url"
	"slices"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/report"
)

// Schema and Version identify SARIF 2.1.0.
const (
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"
	Version = "2.1.0"
)

// InformationURI is where gomodls lives.
const InformationURI = "https://github.com/gomodls/gomodls"

// SrcRoot is the uriBaseId of every location: the checked directory.
const SrcRoot = "%SRCROOT%"

// Log is a SARIF log (sarifLog), reduced to what gomodls writes.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one run of one tool.
type Run struct {
	Tool       Tool     `json:"tool"`
	ColumnKind string   `json:"columnKind"`
	Results    []Result `json:"results"`
}

// Tool describes the analysis tool.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool component that ran.
type Driver struct {
	Name           string `json:"name"`
	InformationURI string `json:"informationUri"`
	Version        string `json:"version,omitempty"`
	Rules          []Rule `json:"rules"`
}

// Rule is a reportingDescriptor: one diagnostic code.
type Rule struct {
	ID      string `json:"id"`
	HelpURI string `json:"helpUri"`
}

// Result is one diagnostic.
type Result struct {
	RuleID           string     `json:"ruleId"`
	Level            string     `json:"level"`
	Message          Message    `json:"message"`
	Locations        []Location `json:"locations,omitempty"`
	RelatedLocations []Location `json:"relatedLocations,omitempty"`
}

// Message is a plain-text message.
type Message struct {
	Text string `json:"text"`
}

// Location is a place in a file; Message is set for related locations.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// PhysicalLocation is a region of an artifact.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           Region           `json:"region"`
}

// ArtifactLocation names a file relative to a base URI id.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

// Region is a 1-based span; EndColumn is exclusive.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// New returns the SARIF log of r. version is gomodls's version (omitted when
// empty); checks are the checks that ran, whose codes become the rules.
func New(r *report.Report, version string, checks []diagnostics.Check) *Log {
	run := Run{
		Tool: Tool{Driver: Driver{
			Name:           "gomodls",
			InformationURI: InformationURI,
			Version:        version,
			Rules:          rules(r, checks),
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    []Result{},
	}
	for _, d := range r.Diagnostics {
		res := Result{
			RuleID:  d.Code,
			Level:   level(d.Severity),
			Message: Message{Text: d.Message},
		}
		if d.File != "" {
			res.Locations = []Location{location(d.File, d.Range, "")}
		}
		for _, rel := range d.Related {
			res.RelatedLocations = append(res.RelatedLocations, location(rel.File, rel.Range, rel.Message))
		}
		run.Results = append(run.Results, res)
	}
	return &Log{Schema: Schema, Version: Version, Runs: []Run{run}}
}

// rules lists one rule per code, sorted: every code the checks declare,
// internal-error, and any code in r that a check failed to declare (a
// result's ruleId must name a rule).
func rules(r *report.Report, checks []diagnostics.Check) []Rule {
	codes := []string{diagnostics.CodeInternalError}
	for _, c := range checks {
		codes = append(codes, c.Codes...)
	}
	for _, d := range r.Diagnostics {
		codes = append(codes, d.Code)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	out := make([]Rule, len(codes))
	for i, code := range codes {
		out[i] = Rule{ID: code, HelpURI: diagnostics.DocURL(code)}
	}
	return out
}

// level maps a report severity to a SARIF level.
func level(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "warning":
		return "warning"
	default: // information, hint
		return "note"
	}
}

func location(file string, rng report.Range, message string) Location {
	loc := Location{PhysicalLocation: PhysicalLocation{
		ArtifactLocation: ArtifactLocation{URI: (&url.URL{Path: file}).String(), URIBaseID: SrcRoot},
		Region: Region{
			StartLine:   rng.Start.Line + 1,
			StartColumn: rng.Start.Character + 1,
			EndLine:     rng.End.Line + 1,
			EndColumn:   rng.End.Character + 1,
		},
	}}
	if message != "" {
		loc.Message = &Message{Text: message}
	}
	return loc
}
