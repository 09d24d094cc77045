//go:build unix

package render

import "syscall"

// readCacheFile reads a whole file of the card cache in four system
// calls (open, fstat, read, close) where os.ReadFile takes ten, since
// an os.File registers its descriptor with the poller (four fcntl and an
// epoll_ctl) and reads until a read returns nothing: a clean build reads
// one cache file per article.
func readCacheFile(name string) ([]byte, error) {
	fd, err := openCacheFile(name)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := retryEINTR(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return nil, err
	}
	b := make([]byte, st.Size)
	for n := 0; n < len(b); {
		var m int
		err := retryEINTR(func() (err error) { m, err = syscall.Read(fd, b[n:]); return err })
		switch {
		case err != nil:
			return nil, err
		case m == 0: // shorter than it was a moment ago: not a cache entry
			return nil, syscall.EIO
		}
		n += m
	}
	return b, nil
}

func openCacheFile(name string) (fd int, err error) {
	err = retryEINTR(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	return fd, err
}

// retryEINTR calls f again while a signal interrupts it.
func retryEINTR(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
