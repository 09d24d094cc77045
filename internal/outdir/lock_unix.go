//go:build unix

package outdir

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on the output folder itself,
// waiting while another dealsite process holds it. Locking the folder
// rather than a file in it leaves nothing behind to deploy, and the
// kernel releases the lock if the process dies, so it is never stale.
func lock(root *os.Root) (func(), error) {
	f, err := root.Open(".")
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
