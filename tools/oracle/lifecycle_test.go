package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// kwokModuleDir locates sigs.k8s.io/kwok v0.8.0 in the module cache (its
// kustomize/stage golden files are the reference for the harness op).
func kwokModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/kwok").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("sigs.k8s.io/kwok not in the module cache: %v", err)
	}
	return dir
}

// TestHarnessReproducesKWOKGoldenFiles: the harness op gives, byte for byte,
// every kustomize/stage/*/*/testdata/*.output.yaml that KWOK's own
// stage_test.go checks.
func TestHarnessReproducesKWOKGoldenFiles(t *testing.T) {
	root := filepath.Join(kwokModuleDir(t), "kustomize", "stage")
	inputs, err := filepath.Glob(filepath.Join(root, "*", "*", "testdata", "*.input.yaml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs under %s: %v", root, err)
	}
	var lines []string
	for i, in := range inputs {
		files, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(in)), "*.yaml"))
		sort.Strings(files)
		var stages []string
		for _, f := range files {
			if filepath.Base(f) == "kustomization.yaml" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			stages = append(stages, string(b))
		}
		obj, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := json.Marshal(map[string]any{"id": i, "op": "harness", "stages": stages, "object": string(obj)})
		lines = append(lines, string(req))
	}
	res := runLines(t, strings.Join(lines, "\n"))
	for i, in := range inputs {
		want, err := os.ReadFile(strings.TrimSuffix(in, ".input.yaml") + ".output.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if res[i]["err"] != nil || res[i]["out"] != string(want) {
			t.Errorf("%s: got out=%q err=%v", in, res[i]["out"], res[i]["err"])
		}
	}
}

const lcTestStage = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: %s
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
%s`

func lcStage(name, spec string) string {
	return strings.Replace(strings.Replace(lcTestStage, "%s", name, 1), "%s", spec, 1)
}

// TestLifecycleSeededAndQuirks: sampling is reproducible for a seed, and a
// stage whose expressions fail to compile errors once, then runs
// half-initialised (no weight getter: Weight panics with two candidates).
func TestLifecycleSeededAndQuirks(t *testing.T) {
	obj := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
	two := []string{lcStage("a", "  selector: {}\n  weight: 1\n"), lcStage("b", "  selector: {}\n  weight: 3\n  delay:\n    jitterDurationMilliseconds: 1000\n")}
	broken := []string{lcStage("bad", "  selector: {}\n  weightFrom:\n    jq:\n      expression: '.['\n"), lcStage("ok", "  selector: {}\n")}
	mk := func(id int, stages []string, seed int) string {
		b, _ := json.Marshal(map[string]any{"id": id, "op": "lifecycle", "stages": stages, "object": obj, "samples": 500, "seed": seed})
		return string(b)
	}
	res := runLines(t, strings.Join([]string{mk(1, two, 9), mk(2, two, 9), mk(3, broken, 1)}, "\n"))
	a, _ := json.Marshal(res[0]["match"])
	b, _ := json.Marshal(res[1]["match"])
	if string(a) != string(b) {
		t.Errorf("same seed, different samples: %s vs %s", a, b)
	}
	counts := res[0]["match"].(map[string]any)["counts"].(map[string]any)
	if n := counts["b"].(float64); n < 300 || n > 450 {
		t.Errorf("weights 1:3 over 500 draws gave b %v times", n)
	}
	first := res[2]["first"].(map[string]any)
	second := res[2]["second"].(map[string]any)
	if first["err"] != "unexpected EOF" || second["err"] != nil {
		t.Errorf("lazy init: first %v, second %v", first, second)
	}
	if p := res[2]["possible_second"].(map[string]any)["panic"]; p == nil {
		t.Errorf("want a panic from the half-initialised stage's weight, got %v", res[2]["possible_second"])
	}
}
