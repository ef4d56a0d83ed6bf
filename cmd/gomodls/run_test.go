package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseFlagsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		format     string
		positional []string
	}{
		{[]string{"-format=json", "dir"}, "json", []string{"dir"}},
		{[]string{"dir", "-format", "sarif"}, "sarif", []string{"dir"}},
		{[]string{"a", "-format=json", "b"}, "json", []string{"a", "b"}},
		{[]string{"--", "-format=json"}, "text", []string{"-format=json"}},
		{[]string{"dir", "--", "-x", "-format=json"}, "text", []string{"dir", "-x", "-format=json"}},
	} {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		format := fs.String("format", "text", "")
		positional, err := parseFlags(fs, io.Discard, tc.args)
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tc.args, err)
			continue
		}
		if *format != tc.format || !slices.Equal(positional, tc.positional) {
			t.Errorf("parseFlags(%q): format %q, positional %q; want %q, %q", tc.args, *format, positional, tc.format, tc.positional)
		}
	}
}
