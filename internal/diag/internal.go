package diag

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Recover, deferred by a function that works on one file or page, turns
// a panic of its goroutine into an Internal diagnostic stored in *errp,
// so that a bug in dealsite fails the build like any other error
// (watch and serve keep the last good site) instead of ending the
// process. path is the site file being processed, or ""; doing says
// what was being done ("rendering years/2013/index.html").
//
// Every goroutine that runs pipeline work needs its own: a panic cannot
// be recovered by the goroutine that started it.
func Recover(errp *error, path, doing string) {
	if v := recover(); v != nil {
		*errp = FromPanic(path, doing, v, debug.Stack())
	}
}

// FromPanic is the Internal diagnostic for a panic with value v and
// its stack.
// The message stays on one line.
func FromPanic(path, doing string, v any, stack []byte) Diagnostic {
	msg := strings.ReplaceAll(fmt.Sprint(v), "\n", " ")
	return Diagnostic{Code: Internal, Path: path, Message: "internal error while " + doing + ": " + msg, Stack: string(stack)}
}
