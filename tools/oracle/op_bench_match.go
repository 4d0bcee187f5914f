package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/lifecycle"
)

// Op bench-match: times KWOK's Lifecycle.Match over many objects, the way the
// pod controller calls it (pkg/kwok/controllers/pod_controller.go): one new
// lifecycle.Event per object, so each event pays its own JSON conversion
// (Event.toJSONStandard) exactly once. The timed loop is only the Match calls.

func init() {
	registerOp("bench-match", []string{"stages", "pods", "typed", "warm", "repeat"}, opBenchMatch)
}

type benchMatchResult struct {
	// Best (lowest) nanoseconds per object over the repeats, and every repeat.
	NsPerObject float64   `json:"ns_per_object"`
	Runs        []float64 `json:"runs"`
	Objects     int       `json:"objects"`
	Stages      []string  `json:"stages"`
	Typed       bool      `json:"typed"`
	Warm        bool      `json:"warm"`
	// For each object, ListAllPossible's stage names (computed outside the timed
	// loop) so the caller can check it chose among the same stages.
	Possible [][]string `json:"possible"`
	// Errors returned by Match (KWOK aborts the choice for such objects).
	MatchErrors int `json:"match_errors"`
}

func opBenchMatch(req *request) (any, error) {
	var stagesDir, podsFile string
	typed, warm := true, false
	repeat := 3
	if err := field(req, "stages", true, &stagesDir); err != nil {
		return nil, err
	}
	if err := field(req, "pods", true, &podsFile); err != nil {
		return nil, err
	}
	if err := field(req, "typed", false, &typed); err != nil {
		return nil, err
	}
	if err := field(req, "warm", false, &warm); err != nil {
		return nil, err
	}
	if err := field(req, "repeat", false, &repeat); err != nil {
		return nil, err
	}
	if repeat < 1 {
		return nil, fmt.Errorf("repeat must be >= 1")
	}
	ctx := context.Background()
	files, err := filepath.Glob(filepath.Join(stagesDir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	files = filterStageFiles(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("no stage files in %s", stagesDir)
	}
	objs, err := config.Load(ctx, files...)
	if err != nil {
		return nil, fmt.Errorf("load stages: %w", err)
	}
	stages := config.FilterWithType[*internalversion.Stage](objs)
	names := make([]string, 0, len(stages))
	for _, s := range stages {
		names = append(names, s.Name)
	}
	lc, err := lifecycle.NewLifecycle(stages)
	if err != nil {
		return nil, err
	}

	raw, err := os.ReadFile(podsFile)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("pods file must hold a JSON array: %w", err)
	}
	newEvent, err := eventFactory(items, typed)
	if err != nil {
		return nil, err
	}

	res := &benchMatchResult{Objects: len(items), Stages: names, Typed: typed, Warm: warm}
	res.Possible = make([][]string, len(items))
	for i := range items {
		possible, err := lc.ListAllPossible(ctx, newEvent(i))
		if err != nil {
			res.Possible[i] = []string{"!error: " + err.Error()}
			continue
		}
		ps := make([]string, 0, len(possible))
		for _, s := range possible {
			ps = append(ps, s.Name())
		}
		sort.Strings(ps)
		res.Possible[i] = ps
	}

	var events []*lifecycle.Event
	if warm {
		events = make([]*lifecycle.Event, len(items))
		for i := range items {
			events[i] = newEvent(i)
			_, _ = lc.Match(ctx, events[i]) // fills the event's cached JSON form
		}
	}
	best := 0.0
	for r := 0; r < repeat; r++ {
		errs := 0
		start := time.Now()
		for i := range items {
			var ev *lifecycle.Event
			if warm {
				ev = events[i]
			} else {
				ev = newEvent(i)
			}
			if _, err := lc.Match(ctx, ev); err != nil {
				errs++
			}
		}
		ns := float64(time.Since(start).Nanoseconds()) / float64(len(items))
		res.Runs = append(res.Runs, ns)
		if r == 0 || ns < best {
			best = ns
		}
		res.MatchErrors = errs
	}
	res.NsPerObject = best
	return res, nil
}

func filterStageFiles(files []string) []string {
	out := files[:0]
	for _, f := range files {
		if filepath.Base(f) != "kustomization.yaml" && !strings.HasPrefix(filepath.Base(f), ".") {
			out = append(out, f)
		}
	}
	return out
}

// eventFactory decodes every object once (untimed) and returns a function that
// builds a fresh lifecycle.Event for object i, as a KWOK controller does.
func eventFactory(items []json.RawMessage, typed bool) (func(int) *lifecycle.Event, error) {
	if typed {
		pods := make([]*corev1.Pod, len(items))
		for i, it := range items {
			p := &corev1.Pod{}
			if err := json.Unmarshal(it, p); err != nil {
				return nil, fmt.Errorf("object %d: %w", i, err)
			}
			pods[i] = p
		}
		return func(i int) *lifecycle.Event {
			p := pods[i]
			return &lifecycle.Event{Labels: p.Labels, Annotations: p.Annotations, Data: p}
		}, nil
	}
	objs := make([]*unstructured.Unstructured, len(items))
	for i, it := range items {
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(it); err != nil {
			return nil, fmt.Errorf("object %d: %w", i, err)
		}
		objs[i] = u
	}
	return func(i int) *lifecycle.Event {
		u := objs[i]
		return &lifecycle.Event{Labels: u.GetLabels(), Annotations: u.GetAnnotations(), Data: u}
	}, nil
}
