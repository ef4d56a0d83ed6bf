package lsp

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/workspace"
)

// This file converts between the server's forms and the protocol's: byte
// spans of a workspace.File and LSP ranges (0-based lines, UTF-16 columns),
// absolute paths and file URIs. All such conversions go through here.

// toRange converts a byte span of f into an LSP range.
func toRange(f *workspace.File, sp workspace.Span) protocol.Range {
	return protocol.Range{Start: toPosition(f, sp.Start), End: toPosition(f, sp.End)}
}

func toPosition(f *workspace.File, offset int) protocol.Position {
	p := f.Point(offset)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.UTF16)}
}

// fromRange converts an LSP range into a byte span of f, clamping positions
// past the end of a line or of the file as the specification asks.
func fromRange(f *workspace.File, r protocol.Range) workspace.Span {
	start := f.Offset(int(r.Start.Line), int(r.Start.Character))
	end := f.Offset(int(r.End.Line), int(r.End.Character))
	if end < start {
		start, end = end, start
	}
	return workspace.Span{Start: start, End: end}
}

// pathFromURI returns the absolute, cleaned path a file URI names. Other
// schemes (untitled:, git:, …) are an error: they are not files gomodls can
// read or watch.
//
// go.lsp.dev/uri's URI.Filename panics on such input, hence this function.
func pathFromURI(uri protocol.DocumentURI) (string, error) {
	u, err := url.Parse(string(uri))
	if err != nil {
		return "", fmt.Errorf("invalid URI %q: %v", uri, err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("not a file URI: %q", uri)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("file URI with a host is not supported: %q", uri)
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		// file:///C:/x has the path /C:/x.
		if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
			p = p[1:]
		}
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("file URI with a relative path: %q", uri)
	}
	return filepath.Clean(p), nil
}

// uriFromPath returns the file URI of an absolute path.
func uriFromPath(path string) protocol.DocumentURI {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path
	}
	return protocol.DocumentURI((&url.URL{Scheme: "file", Path: p}).String())
}
