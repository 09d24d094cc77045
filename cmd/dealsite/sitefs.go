package main

import (
	"io/fs"
	"os"

	"github.com/dealsite/dealsite/internal/readfile"
)

// openSite opens the site folder for reading as an os.Root, so a symlink
// inside it that leads outside (content/leak.md -> /etc/passwd) cannot
// publish a file from elsewhere: reading it fails with an error naming
// the file. Call the returned function when the build is done.
func openSite(dir string) (fs.FS, func()) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		// Let the build report what is missing ("no content folder").
		return os.DirFS(dir), func() {}
	}
	folder, err := root.Open(".")
	if err != nil {
		return root.FS(), func() { root.Close() }
	}
	return siteFS{FS: root.FS(), dirfd: int(folder.Fd())}, func() { folder.Close(); root.Close() }
}

// siteFS is the site folder as an os.Root reads it, but for ReadFile,
// which first tries readfile.Beneath: a build reads every article, and
// through the Root each file costs a dozen system calls.
type siteFS struct {
	fs.FS     // the Root's: the rules, and the answer whenever readfile.Beneath has none
	dirfd int // the site folder, open
}

// ReadFile reads a whole file, as the Root would.
func (s siteFS) ReadFile(name string) ([]byte, error) {
	if fs.ValidPath(name) {
		if b, ok := readfile.Beneath(s.dirfd, name); ok {
			return b, nil
		}
	}
	return fs.ReadFile(s.FS, name)
}

func (s siteFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(s.FS, name) }
func (s siteFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(s.FS, name) }
func (s siteFS) ReadLink(name string) (string, error)       { return fs.ReadLink(s.FS, name) }
func (s siteFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(s.FS, name) }
