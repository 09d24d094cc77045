//go:build linux

package outdir

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"sync"

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
	fd, err := openat2(dirfd, p, how)
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

// openat2 is unix.Openat2, tried again while a signal interrupts it.
func openat2(dirfd int, p string, how *unix.OpenHow) (int, error) {
	for {
		fd, err := unix.Openat2(dirfd, p, how)
		if err != unix.EINTR {
			return fd, err
		}
	}
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

// holdsBeneath reports whether p (a slash path in the folder open as
// dirfd) is a regular file holding exactly data, in four system calls:
// openat2 (beneath the folder, following no symbolic link), fstat, the
// reads, close. Through the Root, an lstat and a read cost an open and
// a close per folder on the way each, and the os.File's fcntl and
// epoll_ctl; and the file is compared in pieces, not read whole into
// new memory (a rebuild into an existing folder compares every file).
// ok is false when it cannot answer (an older kernel, a symbolic link on
// the way): the caller then asks the Root. A missing file is an answer.
func holdsBeneath(dirfd int, p string, data []byte) (same, ok bool) {
	if dirfd < 0 {
		return false, false
	}
	how := &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
	}
	fd, err := openat2(dirfd, p, how)
	switch {
	case err == unix.ENOENT || err == unix.ENOTDIR:
		return false, true // nothing there, or a file where a folder would be
	case err != nil:
		return false, false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return false, false
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != int64(len(data)) {
		return false, true
	}
	buf := compareBuffers.Get().(*[]byte)
	defer compareBuffers.Put(buf)
	for len(data) > 0 {
		n, err := unix.Read(fd, (*buf)[:min(len(*buf), len(data))])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return false, false
		case n == 0 || !bytes.Equal((*buf)[:n], data[:n]):
			return false, true
		}
		data = data[n:]
	}
	return true, true
}

// compareBuffers hold the pieces of files holdsBeneath compares.
var compareBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
