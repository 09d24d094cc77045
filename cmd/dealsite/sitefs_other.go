//go:build !linux

package main

// readBeneath is the fast way to read a site file where the system has
// one (see sitefs_linux.go); here there is none, and the Root reads it.
func readBeneath(dirfd int, name string) ([]byte, bool) { return nil, false }
