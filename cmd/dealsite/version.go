package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// runVersion prints the version, commit and Go version from the build
// information the Go toolchain embeds.
func runVersion(stdout io.Writer) error {
	version, commit, goVersion := "(devel)", "unknown", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					commit += " (modified)"
				}
			}
		}
	}
	fmt.Fprintf(stdout, "dealsite %s\ncommit %s\n%s\n", version, commit, goVersion)
	return nil
}
