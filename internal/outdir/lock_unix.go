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
// It also returns the descriptor of the folder it holds open, valid
// until unlock, for createNew.
func lock(root *os.Root) (unlock func(), dirfd int, err error) {
	f, err := root.Open(".")
	if err != nil {
		return nil, -1, err
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, -1, err
	}
	return func() {
		_ = syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}, fd, nil
}
