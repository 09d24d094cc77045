//go:build !unix

package outdir

import "os"

// lock is a no-op where flock is not available; concurrent builds of one
// folder are then the user's to avoid.
func lock(*os.Root) (func(), error) { return func() {}, nil }
