package framing

import (
	"bytes"
	"encoding/json"
)

// maxNesting is how deep a body may nest arrays and objects.
//
// jsonrpc2 decodes with github.com/segmentio/encoding/json, which recurses
// once per level and has no depth limit (encoding/json stops at 10,000):
// 2,000,000 levels, 4 MB of brackets, overflowed the goroutine stack, which
// no recover catches, and killed the server. The params are decoded again,
// into protocol types and any-typed settings, with the same package. LSP
// messages nest about ten levels; 1,000 leaves room for any settings object
// a user writes, and keeps each decoder's recursion under a megabyte of stack
// (about 350 bytes a level, measured with jsonrpc2.DecodeMessage).
const maxNesting = 1000

// jsonShape is what scanJSON finds out about a body without decoding it.
type jsonShape struct {
	// tooDeep is set when arrays and objects nest more than maxNesting deep.
	tooDeep bool
	// end is the index just past the body's first value when that value is
	// an array or object and it closes; -1 otherwise.
	end int
}

// scanJSON reads body once, tracking only brackets and strings, so it
// neither recurses nor allocates. It does not validate: the decoder does,
// once the depth is known to be safe. Stray closing brackets never lower the
// depth below zero, so they cannot hide an opening run.
func scanJSON(body []byte) jsonShape {
	shape := jsonShape{end: -1}
	depth := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			i = stringEnd(body, i)
		case '[', '{':
			depth++
			if depth > maxNesting {
				shape.tooDeep = true
			}
		case ']', '}':
			if depth == 0 {
				break
			}
			depth--
			if depth == 0 && shape.end < 0 {
				shape.end = i + 1
			}
		}
	}
	return shape
}

// stringEnd returns the index of the quote that closes the string opening
// at body[open], or len(body) if it does not close. A quote preceded by an
// odd number of backslashes is escaped.
func stringEnd(body []byte, open int) int {
	for i := open + 1; i < len(body); i++ {
		j := bytes.IndexByte(body[i:], '"')
		if j < 0 {
			break
		}
		i += j
		k := i
		for k > open+1 && body[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i
		}
	}
	return len(body)
}

// requestID returns the id of the request in body, read without decoding:
// body is, or begins like, a JSON object whose top-level members include
// "method" and an "id" that is a number or a string. It is nil otherwise. It
// reads as far as the members are well formed, so that a request cut short
// or nested too deep to decode still gets its error under its own id, and
// it never recurses.
func requestID(body []byte) json.RawMessage {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil
	}
	var id []byte
	hasMethod := false
	for i++; ; i++ {
		i = skipSpace(body, i)
		if i >= len(body) || body[i] != '"' {
			break
		}
		keyEnd := stringEnd(body, i)
		if keyEnd >= len(body) {
			break
		}
		key := string(body[i : keyEnd+1])
		i = skipSpace(body, keyEnd+1)
		if i >= len(body) || body[i] != ':' {
			break
		}
		start := skipSpace(body, i+1)
		end := valueEnd(body, start)
		if end < 0 {
			if key == `"method"` {
				hasMethod = true // cut inside the method name: still a request
			}
			break
		}
		switch key {
		case `"id"`:
			id = body[start:end]
		case `"method"`:
			hasMethod = true
		}
		i = skipSpace(body, end)
		if i >= len(body) || body[i] != ',' {
			break
		}
	}
	if !hasMethod || !isNumberOrString(id) {
		return nil
	}
	return id
}

// valueEnd returns the index just past the JSON value starting at
// body[start], or -1 when it does not end within body. It checks only where
// the value ends, not that it is well formed.
func valueEnd(body []byte, start int) int {
	if start >= len(body) {
		return -1
	}
	switch body[start] {
	case '"':
		end := stringEnd(body, start)
		if end >= len(body) {
			return -1
		}
		return end + 1
	case '{', '[':
		depth := 0
		for i := start; i < len(body); i++ {
			switch body[i] {
			case '"':
				i = stringEnd(body, i)
			case '[', '{':
				depth++
			case ']', '}':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	for i := start; i < len(body); i++ {
		switch body[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return -1
}

func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n') {
		i++
	}
	return i
}
