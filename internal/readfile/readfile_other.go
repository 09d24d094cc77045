//go:build !linux

package readfile

import "os"

// Beneath has no answer here (see readfile_linux.go): the caller reads
// the file its own way.
func Beneath(dirfd int, name string) ([]byte, bool) { return nil, false }

// Path reads the file name with os.ReadFile.
func Path(name string) ([]byte, error) { return os.ReadFile(name) }
