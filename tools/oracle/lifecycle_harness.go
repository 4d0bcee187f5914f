package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/gotpl"
	"sigs.k8s.io/kwok/pkg/utils/lifecycle"
	"sigs.k8s.io/kwok/pkg/utils/yaml"
)

// The `harness` op: what KWOK's Stage conformance test
// (kustomize/stage/stage_test.go, func Testing) computes for one object and
// a set of stage files, and the bytes it writes. That test lives in a _test
// package and cannot be imported; the functions below follow its structure
// step by step (same calls, same order, same error wrapping) in our own code.

type harnessResult struct {
	Out *string `json:"out"`
	Err *string `json:"err"`
}

func opHarness(req *request) (any, error) {
	stages, err := lcStageTexts(req)
	if err != nil {
		return nil, err
	}
	var object string
	if err := field(req, "object", true, &object); err != nil {
		return nil, err
	}
	cf, err := lcWriteCaseFiles(stages, object)
	if err != nil {
		return nil, err
	}
	defer cf.remove()

	res := &harnessResult{}
	result, terr := harnessTesting(lcQuietContext(), cf.object, cf.stages)
	if terr != nil {
		res.Err = cf.normalizeErr(terr)
		return res, nil
	}
	// The harness: yaml.NewEncoder(buf).Encode(result), buf compared with the golden file.
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(result); err != nil {
		s := "encode: " + err.Error()
		res.Err = &s
		return res, nil
	}
	s := buf.String()
	res.Out = &s
	return res, nil
}

// harnessObject is the harness's `obj` interface.
type harnessObject interface {
	metav1.Object
	runtime.Object
}

// harnessTesting follows Testing: load, filter by ref, ListAllPossible, one
// entry per possible stage.
func harnessTesting(ctx context.Context, resourceFile string, stageFiles []string) (any, error) {
	rio, err := config.LoadUnstructured(resourceFile)
	if err != nil {
		return nil, fmt.Errorf("failed to load resource file %s: %w", resourceFile, err)
	}
	if len(rio) != 1 {
		return nil, fmt.Errorf("expected exactly one resource in %s, got %d", resourceFile, len(rio))
	}

	loaded, err := config.Load(ctx, stageFiles...)
	if err != nil {
		return nil, fmt.Errorf("failed to load stage files %v: %w", stageFiles, err)
	}
	if others := config.FilterWithoutType[*internalversion.Stage](loaded); len(others) != 0 {
		return nil, fmt.Errorf("expected only stage, got %d non-stage", len(others))
	}
	stages := config.FilterWithType[*internalversion.Stage](loaded)
	if len(stages) == 0 {
		return nil, fmt.Errorf("expected at least one stage, got 0")
	}

	target, ok := rio[0].(harnessObject)
	if !ok {
		return nil, fmt.Errorf("expected target to be an object, got %T", rio[0])
	}

	gvk := target.GetObjectKind().GroupVersionKind()
	ref := internalversion.StageResourceRef{APIGroup: gvk.GroupVersion().String(), Kind: gvk.Kind}

	doc := map[string]any{
		"apiGroup": ref.APIGroup,
		"kind":     ref.Kind,
		"name":     target.GetName(),
	}
	if ns := target.GetNamespace(); ns != "" {
		doc["namespace"] = ns
	}

	lc, err := lifecycle.NewLifecycle(harnessFilterStages(stages, ref))
	if err != nil {
		return nil, fmt.Errorf("failed to create lifecycle: %w", err)
	}

	event := &lifecycle.Event{
		Labels:      target.GetLabels(),
		Annotations: target.GetAnnotations(),
		Data:        target,
	}

	possible, err := lc.ListAllPossible(ctx, event)
	if err != nil {
		return nil, fmt.Errorf("failed to list all possible stages: %w", err)
	}

	entries := []any{}
	for _, stage := range possible {
		entry, err := harnessStageEntry(ctx, target, event, stage)
		if err != nil {
			return nil, fmt.Errorf("failed to test stage %s: %w", stage.Name(), err)
		}
		entries = append(entries, entry)
	}
	doc["stages"] = entries
	return doc, nil
}

func harnessFilterStages(stages []*internalversion.Stage, ref internalversion.StageResourceRef) []*internalversion.Stage {
	out := []*internalversion.Stage{}
	for _, s := range stages {
		if s.Spec.ResourceRef == ref {
			out = append(out, s)
		}
	}
	return out
}

// harnessStageEntry follows testingStage: delay range at the fixed clock,
// weight, then every step recorded through stub callbacks.
func harnessStageEntry(ctx context.Context, target harnessObject, event *lifecycle.Event, stage *lifecycle.Stage) (any, error) {
	entry := map[string]any{"stage": stage.Name()}

	delay, ok, err := stage.DelayRangePossible(ctx, event, harnessNow)
	if err != nil {
		return nil, fmt.Errorf("failed to get delay for stage %s: %w", stage.Name(), err)
	}
	if ok {
		entry["delay"] = delay
	}

	weight, ok, err := stage.Weight(ctx, event)
	if err != nil {
		return nil, fmt.Errorf("failed to get weight for stage %s: %w", stage.Name(), err)
	}
	if ok {
		entry["weight"] = weight
	}

	actions, _, err := harnessRecordSteps(stage, target.GetFinalizers(), target)
	if err != nil {
		return nil, fmt.Errorf("failed to do steps for stage %s: %w", stage.Name(), err)
	}
	if stage.ImmediateNextStage() {
		actions = append(actions, map[string]string{"kind": "immediate"})
	}
	entry["next"] = actions
	return entry, nil
}

// harnessRecordSteps runs DoSteps from step 0 with a fresh renderer carrying the
// harness's placeholder FuncMap, recording every callback as the harness
// formats it. It returns the actions recorded (also those before an error),
// DoSteps' remaining-step index, and its error.
func harnessRecordSteps(stage *lifecycle.Stage, finalizers []string, resource any) ([]any, int, error) {
	actions := make([]any, 0)
	renderer := gotpl.NewRenderer(harnessFuncs())
	remain, err := stage.DoSteps(0, finalizers, resource, renderer,
		func(ev *internalversion.StageEvent) error {
			actions = append(actions, map[string]any{
				"kind":    "event",
				"type":    ev.Type,
				"reason":  ev.Reason,
				"message": ev.Message,
			})
			return nil
		},
		func() error {
			actions = append(actions, map[string]string{"kind": "delete"})
			return nil
		},
		func(p *lifecycle.Patch) error {
			actions = append(actions, harnessFormatRecorded("patch", string(p.Type), p.Subresource, p.Data, p.Impersonation))
			return nil
		},
		func(a *lifecycle.Apply) error {
			actions = append(actions, harnessFormatRecorded("apply", string(a.Type), a.Subresource, a.Data, a.Impersonation))
			return nil
		},
	)
	return actions, remain, err
}

// harnessFormatRecorded is the harness's formatPatch/formatApply shape.
func harnessFormatRecorded(kind, typ, subresource string, data []byte, imp *internalversion.ImpersonationConfig) map[string]any {
	out := map[string]any{"kind": kind, "type": typ}
	if subresource != "" {
		out["subresource"] = subresource
	}
	out["data"] = json.RawMessage(data)
	if imp != nil {
		out["impersonation"] = imp.Username
	}
	return out
}
