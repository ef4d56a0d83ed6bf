package lsptest

import (
	"testing"

	"go.lsp.dev/protocol"
)

func TestApplyTextEdits(t *testing.T) {
	rng := func(l1, c1, l2, c2 uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
	}
	text := "module 𝄞x\n\nrequire a v0.0.0\n"
	got, err := applyTextEdits(text, []protocol.TextEdit{
		{Range: rng(2, 10, 2, 16), NewText: "v1.0.0"}, // out of order on purpose
		{Range: rng(0, 7, 0, 9), NewText: "y"},        // 𝄞 is two UTF-16 units
		{Range: rng(1, 0, 2, 0), NewText: ""},
	})
	if want := "module yx\nrequire a v1.0.0\n"; err != nil || got != want {
		t.Errorf("applyTextEdits = %q, %v; want %q", got, err, want)
	}
	if _, err := applyTextEdits(text, []protocol.TextEdit{{Range: rng(0, 0, 0, 5)}, {Range: rng(0, 3, 0, 6)}}); err == nil {
		t.Error("overlapping edits: no error")
	}
}
