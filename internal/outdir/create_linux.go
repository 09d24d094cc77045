//go:build linux

package outdir

import (
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// createNew creates the file p (a slash path in the folder dir, open as
// dirfd) and writes data to it, opening it with one openat2 call that
// the kernel resolves beneath the folder without following any symbolic
// link, and that fails if p exists. os.Root does the same in three
// opens and two closes (one per folder on the way) and, for the
// os.File, four fcntl and an epoll_ctl: at some 20,000 new files a
// clean build, those calls add up. It reports done false, having
// changed nothing, when it cannot open p that way (a kernel before 5.6,
// a symbolic link on the way, a file already there): the caller then
// writes through the Root, whose rules decide. A failed write leaves
// the partial file for the caller to remove.
func createNew(dirfd int, dir, p string, data []byte) (done bool, err error) {
	if dirfd < 0 {
		return false, nil
	}
	how := &unix.OpenHow{
		Flags:   unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC,
		Mode:    0o644,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
	}
	fd, err := unix.Openat2(dirfd, p, how)
	for err == unix.EINTR {
		fd, err = unix.Openat2(dirfd, p, how)
	}
	if err != nil {
		return false, nil
	}
	err = writeAll(fd, data)
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return true, &fs.PathError{Op: "write", Path: filepath.Join(dir, filepath.FromSlash(p)), Err: err}
	}
	return true, nil
}

// writeAll writes data to fd, however many calls it takes.
func writeAll(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}
