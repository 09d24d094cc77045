// Package browsertest checks the bundled site in a real browser: axe-core,
// the Nu Html Checker, layout at phone and desktop widths, light and dark
// colour schemes, keyboard use, print, page weight and the timeline filter;
// and that the real TimelineJS 3 draws its timeline.json without error.
//
// The checks live in run.mjs and timelinejs.mjs (Node with
// playwright-core, driving Debian's Chromium); browser_test.go builds the
// site, serves it and runs the scripts. The package has no code of its
// own. See README.md here.
package browsertest
