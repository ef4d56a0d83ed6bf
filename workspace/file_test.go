package workspace

import "testing"

func TestPointAndOffset(t *testing.T) {
	// "é" is 2 bytes / 1 UTF-16 unit; "𝄞" is 4 bytes / 2 UTF-16 units.
	f := NewFile("/w/go.mod", []byte("module m\r\nré𝄞x\nlast"), 0)
	for _, tc := range []struct {
		offset int
		want   Point
	}{
		{0, Point{0, 0, 0}},
		{8, Point{0, 8, 8}},   // before "\r\n"
		{10, Point{1, 0, 0}},  // start of line 2
		{11, Point{1, 1, 1}},  // after "r"
		{13, Point{1, 2, 2}},  // after "é"
		{17, Point{1, 4, 3}},  // after "𝄞"
		{18, Point{1, 5, 4}},  // after "x"
		{19, Point{2, 0, 0}},  // "last"
		{100, Point{2, 4, 4}}, // clamped to the end
		{-1, Point{0, 0, 0}},  // clamped to the start
	} {
		if got := f.Point(tc.offset); got != tc.want {
			t.Errorf("Point(%d) = %+v, want %+v", tc.offset, got, tc.want)
		}
		if tc.offset >= 0 && tc.offset <= len(f.Content()) && tc.offset != 9 {
			if got := f.Offset(tc.want.Line, tc.want.UTF16); got != tc.offset {
				t.Errorf("Offset(%d, %d) = %d, want %d", tc.want.Line, tc.want.UTF16, got, tc.offset)
			}
		}
	}
	if got := f.Offset(0, 99); got != 8 {
		t.Errorf("Offset past end of line 0 = %d, want 8 (the line's end, before \\r\\n)", got)
	}
	if got := f.Offset(7, 0); got != len(f.Content()) {
		t.Errorf("Offset past the last line = %d, want %d", got, len(f.Content()))
	}
}

func TestLineSpan(t *testing.T) {
	f := NewFile("/w/go.sum", []byte("a\r\nbb\n\nccc"), 0)
	want := []Span{{0, 1}, {3, 5}, {6, 6}, {7, 10}}
	if f.LineCount() != len(want) {
		t.Fatalf("LineCount = %d, want %d", f.LineCount(), len(want))
	}
	for i, w := range want {
		if got := f.LineSpan(i + 1); got != w {
			t.Errorf("LineSpan(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestKindOf(t *testing.T) {
	for path, want := range map[string]Kind{
		"/a/go.mod":             KindGoMod,
		"/a/go.work":            KindGoWork,
		"/a/go.sum":             KindGoSum,
		"/a/go.work.sum":        KindGoWorkSum,
		"/a/vendor/modules.txt": KindVendorManifest,
		"/a/modules.txt":        KindUnknown,
		"/a/main.go":            KindUnknown,
	} {
		if got := KindOf(path); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", path, got, want)
		}
	}
}
