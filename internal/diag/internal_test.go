package diag

import (
	"strings"
	"testing"
)

func panicking() (err error) {
	defer Recover(&err, "content/a.md", "reading this article")
	var m map[string]int
	m["x"]++ // a nil map: the kind of bug Recover is for
	return nil
}

func TestRecoverMakesOneLineWithAStack(t *testing.T) {
	err := panicking()
	d, ok := err.(Diagnostic)
	if !ok {
		t.Fatalf("err = %#v, want a Diagnostic", err)
	}
	want := "content/a.md: error DS006: internal error while reading this article: assignment to entry in nil map"
	if d.Error() != want {
		t.Errorf("got  %s\nwant %s", d.Error(), want)
	}
	if !strings.Contains(d.Stack, "diag.panicking") {
		t.Errorf("the stack does not show where the panic happened:\n%s", d.Stack)
	}
	if m := FromPanic("", "x", "two\nlines", nil).Message; strings.Contains(m, "\n") {
		t.Errorf("message on two lines: %q", m)
	}
}
