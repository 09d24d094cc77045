package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/diag"
)

func internalError() diag.List {
	return diag.List{diag.FromPanic("content/a.md", "reading this article", "boom", []byte("goroutine 7 [running]:\nexample.explode()\n"))}
}

// An internal error exits 3, whether its diagnostics were printed by
// the command (build, check, watch) or are left to report.
func TestInternalErrorExitsThree(t *testing.T) {
	var stderr bytes.Buffer
	if code := report(printed{internalError()}, &stderr); code != exitInternal || stderr.Len() != 0 {
		t.Errorf("printed: exit %d, stderr %q; want %d and nothing more", code, stderr.String(), exitInternal)
	}
	if code := report(internalError(), &stderr); code != exitInternal || !strings.HasPrefix(stderr.String(), "content/a.md: error DS006: internal error while reading this article: boom\n") {
		t.Errorf("unprinted: exit %d, stderr %q", code, stderr.String())
	}
}

// The one line comes first; the stack only when asked for.
func TestInternalErrorStackOnRequest(t *testing.T) {
	t.Setenv(traceEnv, "")
	var plain bytes.Buffer
	output{format: diag.Text}.printDiagnostics(&plain, internalError(), "build failed: 1 error; the output folder was not changed")
	lines := strings.Split(strings.TrimSuffix(plain.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "content/a.md: error DS006: ") || !strings.Contains(lines[2], traceEnv+"=1") {
		t.Errorf("without %s:\n%s", traceEnv, plain.String())
	}
	t.Setenv(traceEnv, "1")
	var traced bytes.Buffer
	output{format: diag.JSON}.printDiagnostics(&traced, internalError(), "")
	if !strings.HasPrefix(traced.String(), `{"code":"DS006"`) || !strings.Contains(traced.String(), "example.explode()") {
		t.Errorf("with %s:\n%s", traceEnv, traced.String())
	}
}

// panicWriter panics on every write: a stand-in for a bug in a command.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom writing") }

// A panic in a command itself, on run's goroutine, is an internal error
// too: exit 3 and one line, not a Go trace and exit 2.
func TestRunRecoversAPanic(t *testing.T) {
	t.Setenv(traceEnv, "")
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"version"}, panicWriter{}, &stderr)
	if code != exitInternal || !strings.HasPrefix(stderr.String(), "error DS006: internal error while running dealsite version: boom writing\n") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}
