package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestPagesWorkflow checks what can be checked here without GitHub: the
// workflow parses as YAML, has a build and a deploy job, and every
// dealsite command it runs exists with the flags it passes.
func TestPagesWorkflow(t *testing.T) {
	src, err := os.ReadFile("../../.github/workflows/pages.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run  string `yaml:"run"`
				Uses string `yaml:"uses"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatalf("pages.yml is not valid YAML: %v", err)
	}
	if _, ok := wf.Jobs["build"]; !ok {
		t.Fatal("no build job")
	}
	if _, ok := wf.Jobs["deploy"]; !ok {
		t.Fatal("no deploy job")
	}
	invocation := regexp.MustCompile(`go run \./cmd/dealsite (\w+)((?: -[\w-]+(?: "[^"]*"| \S+)?)*)`)
	calls := 0
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			for _, m := range invocation.FindAllStringSubmatch(step.Run, -1) {
				calls++
				var stdout, stderr bytes.Buffer
				if code := run(context.Background(), []string{m[1], "-h"}, &stdout, &stderr); code != exitOK {
					t.Errorf("%q: dealsite %s -h exits %d: %s", step.Run, m[1], code, stderr.String())
				}
				for _, flag := range regexp.MustCompile(` (-[\w-]+)`).FindAllStringSubmatch(m[2], -1) {
					if !strings.Contains(stdout.String(), "  "+flag[1]) {
						t.Errorf("%q: dealsite %s has no flag %s", step.Run, m[1], flag[1])
					}
				}
			}
		}
	}
	if calls == 0 {
		t.Error("the workflow never runs dealsite")
	}
}
