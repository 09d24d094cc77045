package main

import (
	"io/fs"
	"os"
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
	return root.FS(), func() { root.Close() }
}
