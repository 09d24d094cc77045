package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Format is how diagnostics are printed.
type Format string

// The formats: human text, JSON lines, GitHub Actions annotations.
const (
	Text   Format = "text"
	JSON   Format = "json"
	GitHub Format = "github"
)

// ParseFormat checks a -format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Text, JSON, GitHub:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use text, json or github", s)
}

// Write prints the diagnostics of l, sorted, one per line. color adds
// ANSI colours to text output (callers decide: a terminal, and no
// NO_COLOR in the environment).
func Write(w io.Writer, l List, format Format, color bool) error {
	for _, d := range l.Sorted() {
		if d.Hint == "" {
			d.Hint = HintFor(d.Code)
		}
		var line string
		switch format {
		case JSON:
			line = jsonLine(d)
		case GitHub:
			line = githubLine(d)
		default:
			line = textLine(d, color)
		}
		if _, err := io.WriteString(w, line+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func textLine(d Diagnostic, color bool) string {
	if !color || d.Code == "" {
		return d.Error()
	}
	text := d.Error()
	label := d.Severity.String() + " " + string(d.Code)
	paint := "\x1b[1;31m" // bold red
	if d.Severity == Warning {
		paint = "\x1b[1;33m" // bold yellow
	}
	return strings.Replace(text, label, paint+label+"\x1b[0m", 1)
}

// jsonDiagnostic is the JSON form; field names are part of the contract.
type jsonDiagnostic struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

func jsonLine(d Diagnostic) string {
	b, _ := json.Marshal(jsonDiagnostic{
		Code: string(d.Code), Severity: d.Severity.String(), Path: d.Path,
		Line: d.Line, Col: d.Col, Message: d.Message, Hint: d.Hint,
	})
	return string(b)
}

// githubLine is a workflow command that GitHub Actions shows as an
// annotation on the file and line.
func githubLine(d Diagnostic) string {
	var props []string
	if d.Path != "" {
		props = append(props, "file="+escapeProperty(d.Path))
	}
	if d.Line > 0 {
		props = append(props, "line="+strconv.Itoa(d.Line))
	}
	if d.Col > 0 {
		props = append(props, "col="+strconv.Itoa(d.Col))
	}
	if d.Code != "" {
		props = append(props, "title="+escapeProperty(string(d.Code)))
	}
	msg := d.Message
	if d.Hint != "" {
		msg += "\n" + d.Hint
	}
	return "::" + d.Severity.String() + " " + strings.Join(props, ",") + "::" + escapeData(msg)
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
