package main

import (
	"flag"
	"os"
	"path/filepath"
)

// cacheFlags choose the media cache: the folder where encoded pictures
// and social cards are kept between runs, outside the output folder.
type cacheFlags struct {
	dir string // -cache
	off bool   // -no-cache
}

func (c *cacheFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dir, "cache", "", "folder keeping encoded pictures and social cards between runs (default: dealsite/ in the user cache folder)")
	fs.BoolVar(&c.off, "no-cache", false, "keep no encoded pictures or cards on disk: every run encodes them again")
}

// folder is the media cache folder, "" for none: -cache, else dealsite/
// under the user cache folder ($XDG_CACHE_HOME or ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows), else none when
// there is no such folder.
func (c cacheFlags) folder() string {
	if c.off {
		return ""
	}
	if c.dir != "" {
		return c.dir
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "dealsite")
}
