package watch

import (
	"flag"
	"os"
	"testing"
)

// TestMain lets more end-to-end tests run in parallel than -parallel's
// default (GOMAXPROCS) when the command line does not choose: they spend
// their time waiting for quiet periods, not computing, so on a two-CPU
// machine the default would make the package slow for no reason.
func TestMain(m *testing.M) {
	flag.Parse()
	chosen := false
	flag.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "test.parallel" })
	if p := flag.Lookup("test.parallel"); p != nil && !chosen {
		_ = p.Value.Set("16")
	}
	os.Exit(m.Run())
}
