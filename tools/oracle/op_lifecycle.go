//go:debug randseednop=0

// The directive above makes the deprecated top-level rand.Seed effective again
// (Go 1.24+ ignores it by default). KWOK draws its weighted choice and its
// jitter from the global math/rand source, and the lifecycle op samples them;
// seeding keeps the recordings reproducible (`make check-fixtures`).

package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/kwok/pkg/log"
)

// Ops of the lifecycle family: KWOK's Stage engine (pkg/utils/lifecycle) fed
// with Stage documents loaded by KWOK's own config loader (pkg/config.Load).

func init() {
	registerOp("harness", []string{"stages", "object"}, opHarness)
	registerOp("lifecycle", []string{"stages", "object", "now", "typed", "samples", "seed"}, opLifecycle)
}

// harnessDir is the directory the case files are reported in. KWOK's errors
// name the files they were loaded from; the oracle writes them to a fresh
// temporary directory and replaces its path with this fixed one, so error
// texts are reproducible: stage text i is <harnessDir>/stage-<i>.yaml, the
// object is <harnessDir>/object.input.yaml.
const harnessDir = "/harness"

// lcCaseFiles holds one request's stage texts and object text on disk.
type lcCaseFiles struct {
	dir    string
	stages []string
	object string
}

func lcWriteCaseFiles(stages []string, object string) (*lcCaseFiles, error) {
	dir, err := os.MkdirTemp("", "oracle-stage-")
	if err != nil {
		return nil, err
	}
	cf := &lcCaseFiles{dir: dir}
	for i, text := range stages {
		p := filepath.Join(dir, fmt.Sprintf("stage-%d.yaml", i))
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			cf.remove()
			return nil, err
		}
		cf.stages = append(cf.stages, p)
	}
	cf.object = filepath.Join(dir, "object.input.yaml")
	if err := os.WriteFile(cf.object, []byte(object), 0o600); err != nil {
		cf.remove()
		return nil, err
	}
	return cf, nil
}

func (cf *lcCaseFiles) remove() { _ = os.RemoveAll(cf.dir) }

// normalize replaces the temporary directory in KWOK's messages.
func (cf *lcCaseFiles) normalize(s string) string {
	return strings.ReplaceAll(s, cf.dir, harnessDir)
}

func (cf *lcCaseFiles) normalizeErr(err error) *string {
	if err == nil {
		return nil
	}
	s := cf.normalize(err.Error())
	return &s
}

// lcQuietContext is what the harness uses (context.Background()) with KWOK's
// logger silenced: config.Load warns about skipped documents, and nothing may
// reach stdout or clutter stderr of the protocol.
func lcQuietContext() context.Context {
	return log.NewContext(context.Background(), log.NewLogger(nil, log.LevelInfo))
}

// lcStageTexts reads the "stages" field: a list of YAML texts, one per file.
func lcStageTexts(req *request) ([]string, error) {
	var stages []string
	if err := field(req, "stages", true, &stages); err != nil {
		return nil, err
	}
	return stages, nil
}

// harnessNow is the fixed clock of kustomize/stage/stage_test.go.
var harnessNow = time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)

// lcSeedGlobalRand seeds math/rand's global source (effective thanks to the
// go:debug directive at the top of this file).
func lcSeedGlobalRand(seed int64) {
	//nolint:staticcheck // deliberate: KWOK draws from the global source
	rand.Seed(seed)
}
