package content

import (
	"io/fs"
	"syscall"
)

func sysStamp(info fs.FileInfo) (ino uint64, ctime int64, ok bool) {
	s, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return s.Ino, s.Ctim.Nano(), true
}
