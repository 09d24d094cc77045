package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, on: true}
	p.update(1, 10) // a small build: no line
	if buf.Len() != 0 {
		t.Fatalf("drew for 10 articles: %q", buf.String())
	}
	p.update(1, 5000)
	p.update(2, 5000) // too soon after the first: skipped
	p.update(5000, 5000)
	p.clear()
	want := "\rReading articles: 1/5000 (0%)\rReading articles: 5000/5000 (100%)\r\x1b[2K"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	off := newProgress(&buf, false) // a buffer is not a terminal
	off.update(5000, 5000)
	off.clear()
	if buf.Len() != 0 || strings.Contains(buf.String(), "Reading") {
		t.Errorf("drew on a non-terminal: %q", buf.String())
	}
}
