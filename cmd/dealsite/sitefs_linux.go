//go:build linux

package main

import "golang.org/x/sys/unix"

// readBeneath reads the file name (a valid fs path) in the folder open
// as dirfd in four system calls: an openat2 that the kernel resolves
// beneath the folder (a symlink may lead anywhere inside it, never out),
// fstat, read and close. The Root takes an open and a close per folder
// on the way, four fcntl and an epoll_ctl for its os.File, and a read
// more to see the end. ok is false when it cannot (a kernel before 5.6,
// a symlink out of the folder, not a regular file, any error, a file
// shrinking as it is read): the Root then reads it and reports the
// error, if any.
func readBeneath(dirfd int, name string) (b []byte, ok bool) {
	how := &unix.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC, Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
	fd, err := unix.Openat2(dirfd, name, how)
	for err == unix.EINTR {
		fd, err = unix.Openat2(dirfd, name, how)
	}
	if err != nil {
		return nil, false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, false
	}
	b = make([]byte, st.Size)
	for n := 0; n < len(b); {
		m, err := unix.Read(fd, b[n:])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil || m == 0:
			return nil, false
		}
		n += m
	}
	return b, true
}
