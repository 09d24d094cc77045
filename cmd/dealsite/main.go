// Command dealsite builds deal-history microsites. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// gcPercent is the collector's target growth of the heap between
// collections. Most of a build's heap lives until its end (the model, the
// events every listing shows), so Go's default of 100 lets the process
// take twice what it uses: 2 GB at 100,000 articles. 50 holds it to one
// and a half times, for little CPU. GOGC, when set, wins.
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
