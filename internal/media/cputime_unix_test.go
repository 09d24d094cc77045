//go:build unix

package media

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the test process has used, which a
// busy machine does not inflate as it does the time on the clock.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
