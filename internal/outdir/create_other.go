//go:build !linux

package outdir

// createNew is the fast way to create a new file where the system has
// one (see create_linux.go); here there is none, and the caller writes
// through the Root.
func createNew(dirfd int, dir, p string, data []byte) (done bool, err error) { return false, nil }

// holdsBeneath is the fast way to compare a file where the system has
// one (see create_linux.go); here there is none, and the caller asks the
// Root.
func holdsBeneath(dirfd int, p string, data []byte) (same, ok bool) { return false, false }
