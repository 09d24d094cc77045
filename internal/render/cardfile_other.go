//go:build !unix

package render

import "os"

// readCacheFile reads a whole file of the card cache.
func readCacheFile(name string) ([]byte, error) { return os.ReadFile(name) }
