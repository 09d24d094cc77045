package content

import (
	"io/fs"
	"time"
)

// stamp identifies one version of a file without reading it: size and
// modification time, plus, where the system has them, the inode and the
// status-change time, which no tool can set back. A rebuild reuses a
// parse whose stamp is unchanged without reading the file; any doubt
// (no stamp) falls back to hashing the bytes.
type stamp struct {
	valid bool
	size  int64
	mtime time.Time
	ino   uint64
	ctime int64
}

func stampOf(fsys fs.FS, p string) stamp {
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return stamp{}
	}
	st := stamp{size: info.Size(), mtime: info.ModTime()}
	st.ino, st.ctime, st.valid = sysStamp(info) // not for in-memory files: they are hashed
	return st
}
