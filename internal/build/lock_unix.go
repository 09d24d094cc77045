//go:build unix

package build

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on the output folder's lock
// file, waiting while another dealsite process holds it. The kernel
// releases it if the process dies, so a crash never leaves a stale lock.
func lock(root *os.Root) (func(), error) {
	f, err := root.OpenFile(lockName, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
