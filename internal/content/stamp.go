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
//
// A stamp taken within racyWindow of the file's last change proves
// nothing: a second save of the same size in the same tick of the file
// system's clock would leave it as it is. Such a stamp is kept invalid
// (see settled), so the file is hashed again by the next load.
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

// racyWindow is how long after a change a file's stamp may still be
// shared by a later save. Timestamps tick every few milliseconds on
// Linux; two seconds also covers the coarsest file systems (FAT), as the
// watcher's own window does.
const racyWindow = 2 * time.Second

// settled returns st, made invalid if the file changed within racyWindow
// of now, when st was taken.
func (st stamp) settled(now time.Time) stamp {
	changed := st.mtime
	if st.ctime != 0 {
		changed = time.Unix(0, max(st.ctime, st.mtime.UnixNano()))
	}
	if now.Sub(changed) < racyWindow {
		st.valid = false
	}
	return st
}
