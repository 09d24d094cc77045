//go:build linux

package readfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// Beneath reads the file name (a valid fs path) in the folder open as
// dirfd. The kernel resolves name beneath the folder: a symbolic link
// may lead anywhere inside it, never out. ok is false when it has no
// answer, or any error (a missing file included): the caller's own
// reader then decides.
func Beneath(dirfd int, name string) (b []byte, ok bool) {
	how := &unix.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC, Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
	fd, err := retry(func() (int, error) { return unix.Openat2(dirfd, name, how) })
	if err != nil {
		return nil, false
	}
	b, err = readAll(fd)
	return b, err == nil
}

// Path reads the file name as os.ReadFile does.
func Path(name string) ([]byte, error) {
	fd, err := retry(func() (int, error) { return unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	b, err := readAll(fd)
	if err == errShrank || err == errNotRegular {
		return os.ReadFile(name) // let the usual reader say what it is
	}
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

type readError string

func (e readError) Error() string { return string(e) }

const (
	errShrank     readError = "the file shrank while it was read"
	errNotRegular readError = "not a regular file"
)

// readAll reads the whole regular file open as fd, of the size fstat
// gives, and closes fd.
func readAll(fd int) ([]byte, error) {
	defer unix.Close(fd)
	var st unix.Stat_t
	if _, err := retry(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, errNotRegular
	}
	b := make([]byte, st.Size)
	for n := 0; n < len(b); {
		m, err := retry(func() (int, error) { return unix.Read(fd, b[n:]) })
		switch {
		case err != nil:
			return nil, err
		case m == 0:
			return nil, errShrank
		}
		n += m
	}
	return b, nil
}

// retry calls f again while a signal interrupts it.
func retry(f func() (int, error)) (int, error) {
	for {
		if n, err := f(); err != unix.EINTR {
			return n, err
		}
	}
}
