package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/lifecycle"
)

// The `lifecycle` op: KWOK's lifecycle engine on one object, piece by piece
// (match, ListAllPossible, weights, delay ranges and their parts, sampled
// Match/Delay, steps), including what a *second* match on the same Lifecycle
// does after a stage failed to initialise (lifecycle.go init stores the CEL
// environment before compiling expressions).

type lcParams struct {
	stages  []string
	object  string
	now     time.Time
	typed   bool
	samples int
	seed    int64
}

func lcParseParams(req *request) (*lcParams, error) {
	p := &lcParams{now: harnessNow, samples: 2000, seed: 1}
	var err error
	if p.stages, err = lcStageTexts(req); err != nil {
		return nil, err
	}
	if err := field(req, "object", true, &p.object); err != nil {
		return nil, err
	}
	if req.has("now") {
		var s string
		if err := field(req, "now", true, &s); err != nil {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("field \"now\": %w", err)
		}
		p.now = t
	}
	if err := field(req, "typed", false, &p.typed); err != nil {
		return nil, err
	}
	if err := field(req, "samples", false, &p.samples); err != nil {
		return nil, err
	}
	if p.samples < 0 || p.samples > 1_000_000 {
		return nil, fmt.Errorf("field \"samples\": want 0..1000000, got %d", p.samples)
	}
	if err := field(req, "seed", false, &p.seed); err != nil {
		return nil, err
	}
	return p, nil
}

// lcOutcome is the error or panic of one KWOK call (both null: it returned normally).
type lcOutcome struct {
	Err   *string `json:"err"`
	Panic *string `json:"panic"`
}

func (c *lcOutcome) failed() bool { return c.Err != nil || c.Panic != nil }

// lcProtect runs f, turning a panic into the outcome's Panic text.
func lcProtect(f func() error) (out lcOutcome) {
	defer func() {
		if p := recover(); p != nil {
			s := fmt.Sprint(p)
			out.Panic = &s
		}
	}()
	if err := f(); err != nil {
		s := err.Error()
		out.Err = &s
	}
	return out
}

// lcMatchRound is one internal match over the whole Lifecycle.
type lcMatchRound struct {
	lcOutcome
	Candidates []string `json:"candidates"`
	// Per stage, in list order, until the first failure: matched or not.
	PerStage []lcStageMatch `json:"per_stage"`
}

type lcStageMatch struct {
	Stage   string `json:"stage"`
	Matched bool   `json:"matched"`
}

type lcPossibleRound struct {
	lcOutcome
	Possible []string `json:"possible"`
}

type lcWeightInfo struct {
	Stage string `json:"stage"`
	lcOutcome
	Weight int64 `json:"weight"`
	OK     bool  `json:"ok"`
}

type lcDurationPartInfo struct {
	Present bool `json:"present"` // the getter exists (a delay block / a jitter source)
	lcOutcome
	NS int64 `json:"ns"`
	OK bool  `json:"ok"`
}

type lcDelayInfo struct {
	Stage string `json:"stage"`
	lcOutcome
	Range []int64            `json:"range"` // DelayRangePossible, ns; null when not ok
	Base  lcDurationPartInfo `json:"base"`
	Jit   lcDurationPartInfo `json:"jitter"`
}

type lcDelayStats struct {
	Stage string `json:"stage"`
	N     int    `json:"n"`
	// Calls whose ok was true, false; calls that failed (first error/panic text kept).
	OKCount    int        `json:"ok_count"`
	NotOKCount int        `json:"not_ok_count"`
	Failed     int        `json:"failed"`
	FirstFail  *lcOutcome `json:"first_fail"`
	Min        *int64     `json:"min"`
	Max        *int64     `json:"max"`
	Mean       *float64   `json:"mean"`
	Distinct   int        `json:"distinct"`
}

type lcStepsInfo struct {
	Stage     string `json:"stage"`
	Actions   []any  `json:"actions"`
	Immediate bool   `json:"immediate"`
	Remain    int    `json:"remain"`
	lcOutcome
}

type lcMatchSampling struct {
	N      int            `json:"n"`
	Seed   int64          `json:"seed"`
	Counts map[string]int `json:"counts"` // chosen stage name → count
	None   int            `json:"none"`   // Match returned no stage and no error
	Errors map[string]int `json:"errors"` // error text → count
	Panics map[string]int `json:"panics"` // panic text → count
}

type lcResult struct {
	LoadErr *string `json:"load_err"`
	// Stage names in the Lifecycle for the object's ref (config order, nil
	// selectors dropped), and all loaded stage names with their refs.
	Lifecycle []string `json:"lifecycle"`
	Loaded    []string `json:"loaded"`
	TypedJSON any      `json:"typed_json"`

	// First internal match on a fresh Lifecycle (`match_error` and
	// `candidates` of the brief), then the second one on the same Lifecycle.
	First  lcMatchRound `json:"first"`
	Second lcMatchRound `json:"second"`

	// ListAllPossible, first call on a fresh Lifecycle, then a second call.
	Possible       lcPossibleRound `json:"possible"`
	PossibleSecond lcPossibleRound `json:"possible_second"`

	// On the Lifecycle of `first`, after it: per candidate of the first
	// round (or, if that failed, of the second).
	Weights []lcWeightInfo `json:"weights"`
	Delays  []lcDelayInfo  `json:"delays"`

	Match        lcMatchSampling `json:"match"`
	DelaySamples []lcDelayStats  `json:"delay_samples"`
	StepsFrom    string          `json:"steps_from"`
	Steps        []lcStepsInfo   `json:"steps"`
}

func opLifecycle(req *request) (any, error) {
	p, err := lcParseParams(req)
	if err != nil {
		return nil, err
	}
	cf, err := lcWriteCaseFiles(p.stages, p.object)
	if err != nil {
		return nil, err
	}
	defer cf.remove()
	ctx := lcQuietContext()
	res := &lcResult{}

	stages, target, err := lcLoadCase(ctx, cf)
	if err != nil {
		res.LoadErr = cf.normalizeErr(err)
		return res, nil
	}
	for _, s := range stages {
		res.Loaded = append(res.Loaded, fmt.Sprintf("%s %s/%s", s.Name, s.Spec.ResourceRef.APIGroup, s.Spec.ResourceRef.Kind))
	}
	gvk := target.GetObjectKind().GroupVersionKind()
	ref := internalversion.StageResourceRef{APIGroup: gvk.GroupVersion().String(), Kind: gvk.Kind}
	mine := harnessFilterStages(stages, ref)

	var data any = target
	labels, annotations := target.GetLabels(), target.GetAnnotations()
	if p.typed {
		typed, err := lcTyped(target)
		if err != nil {
			return nil, err
		}
		data = typed
		raw, err := json.Marshal(typed)
		if err != nil {
			return nil, err
		}
		if res.TypedJSON, err = decodeStandard(raw); err != nil {
			return nil, err
		}
		switch t := typed.(type) {
		case *corev1.Pod:
			labels, annotations = t.Labels, t.Annotations
		case *corev1.Node:
			labels, annotations = t.Labels, t.Annotations
		}
	}
	newEvent := func() *lifecycle.Event {
		return &lifecycle.Event{Labels: labels, Annotations: annotations, Data: data}
	}
	newLC := func() lifecycle.Lifecycle {
		lc, err := lifecycle.NewLifecycle(mine)
		if err != nil {
			panic(err) // NewLifecycle never fails in v0.8.0
		}
		return lc
	}

	// First and second internal match on one Lifecycle; weights and delays after them.
	lc := newLC()
	for _, s := range lc {
		res.Lifecycle = append(res.Lifecycle, s.Name())
	}
	ev := newEvent()
	res.First = lcInternalMatch(ctx, lc, ev)
	res.Second = lcInternalMatch(ctx, lc, ev)
	names := res.First.Candidates
	if res.First.failed() {
		names = res.Second.Candidates
	}
	for _, s := range lcStagesNamed(lc, names) {
		res.Weights = append(res.Weights, lcWeightOf(ctx, s, ev))
		res.Delays = append(res.Delays, lcDelayOf(ctx, s, ev, p.now))
	}

	// ListAllPossible on a fresh Lifecycle, twice.
	lc2 := newLC()
	ev2 := newEvent()
	res.Possible = lcListPossible(ctx, lc2, ev2)
	res.PossibleSecond = lcListPossible(ctx, lc2, ev2)

	// Sampling on a fresh Lifecycle: N Match calls, then N Delay calls per
	// possible stage (of the first ListAllPossible), all from one seeded source.
	lcSeedGlobalRand(p.seed)
	lc3 := newLC()
	ev3 := newEvent()
	res.Match = lcSampleMatch(ctx, lc3, ev3, p.samples, p.seed)
	for _, s := range lcStagesNamed(lc3, res.Possible.Possible) {
		res.DelaySamples = append(res.DelaySamples, lcSampleDelay(ctx, s, ev3, p.now, p.samples))
	}

	// Steps of every possible stage (of the first ListAllPossible, or of the
	// second one if the first failed), with the harness's placeholder funcs
	// and the object as given (typed or not), on the Lifecycle of `possible`.
	names = res.Possible.Possible
	res.StepsFrom = "first"
	if res.Possible.failed() {
		names = res.PossibleSecond.Possible
		res.StepsFrom = "second"
	}
	finalizers := target.GetFinalizers()
	if t, ok := data.(harnessObject); ok {
		finalizers = t.GetFinalizers()
	}
	for _, s := range lcStagesNamed(lc2, names) {
		info := lcStepsInfo{Stage: s.Name(), Remain: -1}
		info.lcOutcome = lcProtect(func() error {
			actions, remain, err := harnessRecordSteps(s, finalizers, data)
			info.Actions, info.Remain = lcPlainActions(actions), remain
			return err
		})
		info.Immediate = s.ImmediateNextStage()
		res.Steps = append(res.Steps, info)
	}
	return res, nil
}

// lcPlainActions turns the recorded patch/apply bodies (json.RawMessage, as
// the harness embeds them) into strings holding KWOK's exact bytes.
func lcPlainActions(actions []any) []any {
	for _, a := range actions {
		if m, ok := a.(map[string]any); ok {
			if raw, ok := m["data"].(json.RawMessage); ok {
				m["data"] = string(raw)
			}
		}
	}
	return actions
}

// lcLoadCase loads the object as the harness does (unstructured) and
// the stages with config.Load.
func lcLoadCase(ctx context.Context, cf *lcCaseFiles) ([]*internalversion.Stage, harnessObject, error) {
	rio, err := config.LoadUnstructured(cf.object)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to load resource file %s: %w", cf.object, err)
	}
	if len(rio) != 1 {
		return nil, nil, fmt.Errorf("expected exactly one resource in %s, got %d", cf.object, len(rio))
	}
	target, ok := rio[0].(harnessObject)
	if !ok {
		return nil, nil, fmt.Errorf("expected target to be an object, got %T", rio[0])
	}
	loaded, err := config.Load(ctx, cf.stages...)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to load stage files %v: %w", cf.stages, err)
	}
	return config.FilterWithType[*internalversion.Stage](loaded), target, nil
}

// lcTyped decodes the object into the Go type the Pod/Node controller holds.
func lcTyped(target harnessObject) (any, error) {
	u, ok := target.(*unstructured.Unstructured)
	if !ok {
		return nil, fmt.Errorf("object is %T, not unstructured", target)
	}
	raw, err := u.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var out any
	switch u.GetKind() {
	case "Pod":
		out = &corev1.Pod{}
	case "Node":
		out = &corev1.Node{}
	default:
		return nil, fmt.Errorf("typed: only Pod and Node objects have a typed controller, got kind %q", u.GetKind())
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("typed: decoding %s: %w", u.GetKind(), err)
	}
	return out, nil
}

// lcInternalMatch reproduces Lifecycle.match (unexported): every stage in list
// order, stopping at the first error. A one-stage Lifecycle's ListAllPossible
// is exactly that stage's match (no weight is read for a single candidate),
// and the stage keeps its lazily initialised state across calls.
func lcInternalMatch(ctx context.Context, lc lifecycle.Lifecycle, ev *lifecycle.Event) lcMatchRound {
	r := lcMatchRound{Candidates: []string{}, PerStage: []lcStageMatch{}}
	for _, s := range lc {
		var got []*lifecycle.Stage
		out := lcProtect(func() error {
			var err error
			got, err = lifecycle.Lifecycle{s}.ListAllPossible(ctx, ev)
			return err
		})
		if out.failed() {
			r.lcOutcome = out
			r.Candidates = nil
			return r
		}
		r.PerStage = append(r.PerStage, lcStageMatch{Stage: s.Name(), Matched: len(got) == 1})
		if len(got) == 1 {
			r.Candidates = append(r.Candidates, s.Name())
		}
	}
	return r
}

func lcListPossible(ctx context.Context, lc lifecycle.Lifecycle, ev *lifecycle.Event) lcPossibleRound {
	var r lcPossibleRound
	r.lcOutcome = lcProtect(func() error {
		got, err := lc.ListAllPossible(ctx, ev)
		if err != nil {
			return err
		}
		r.Possible = []string{}
		for _, s := range got {
			r.Possible = append(r.Possible, s.Name())
		}
		return nil
	})
	return r
}

// lcStagesNamed picks stages of lc by name, in the order of names. Stage names
// may repeat in a Lifecycle; the i-th occurrence of a name maps to the i-th
// stage of that name.
func lcStagesNamed(lc lifecycle.Lifecycle, names []string) []*lifecycle.Stage {
	used := map[*lifecycle.Stage]bool{}
	out := []*lifecycle.Stage{}
	for _, n := range names {
		for _, s := range lc {
			if s.Name() == n && !used[s] {
				used[s] = true
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func lcWeightOf(ctx context.Context, s *lifecycle.Stage, ev *lifecycle.Event) lcWeightInfo {
	w := lcWeightInfo{Stage: s.Name()}
	w.lcOutcome = lcProtect(func() error {
		var err error
		w.Weight, w.OK, err = s.Weight(ctx, ev)
		return err
	})
	return w
}

// lcDurationGetter mirrors lifecycle's unexported interface of the same name.
type lcDurationGetter interface {
	Get(ctx context.Context, event *lifecycle.Event, now time.Time) (time.Duration, bool, error)
}

// lcStageGetter reads an unexported lcDurationGetter field of a Stage. KWOK has
// no accessor for the base and jitter parts of a delay (only their
// combination); reading the fields lets the corpus pin both separately.
func lcStageGetter(s *lifecycle.Stage, name string) lcDurationGetter {
	v := reflect.ValueOf(s).Elem().FieldByName(name)
	if !v.IsValid() {
		panic(fmt.Sprintf("lifecycle.Stage has no field %q", name))
	}
	v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	if v.IsNil() {
		return nil
	}
	g, ok := v.Interface().(lcDurationGetter)
	if !ok {
		panic(fmt.Sprintf("lifecycle.Stage.%s is %s", name, v.Type()))
	}
	return g
}

func lcDurationPart(ctx context.Context, g lcDurationGetter, ev *lifecycle.Event, now time.Time) lcDurationPartInfo {
	var d lcDurationPartInfo
	if g == nil {
		return d
	}
	d.Present = true
	d.lcOutcome = lcProtect(func() error {
		v, ok, err := g.Get(ctx, ev, now)
		d.NS, d.OK = int64(v), ok
		return err
	})
	return d
}

func lcDelayOf(ctx context.Context, s *lifecycle.Stage, ev *lifecycle.Event, now time.Time) lcDelayInfo {
	d := lcDelayInfo{Stage: s.Name()}
	d.lcOutcome = lcProtect(func() error {
		rng, ok, err := s.DelayRangePossible(ctx, ev, now)
		if err != nil {
			return err
		}
		if ok {
			d.Range = []int64{}
			for _, x := range rng {
				d.Range = append(d.Range, int64(x))
			}
		}
		return nil
	})
	d.Base = lcDurationPart(ctx, lcStageGetter(s, "duration"), ev, now)
	d.Jit = lcDurationPart(ctx, lcStageGetter(s, "jitterDuration"), ev, now)
	return d
}

func lcSampleMatch(ctx context.Context, lc lifecycle.Lifecycle, ev *lifecycle.Event, n int, seed int64) lcMatchSampling {
	m := lcMatchSampling{N: n, Seed: seed, Counts: map[string]int{}, Errors: map[string]int{}, Panics: map[string]int{}}
	for i := 0; i < n; i++ {
		var chosen *lifecycle.Stage
		out := lcProtect(func() error {
			var err error
			chosen, err = lc.Match(ctx, ev)
			return err
		})
		switch {
		case out.Panic != nil:
			m.Panics[*out.Panic]++
		case out.Err != nil:
			m.Errors[*out.Err]++
		case chosen == nil:
			m.None++
		default:
			m.Counts[chosen.Name()]++
		}
	}
	return m
}

func lcSampleDelay(ctx context.Context, s *lifecycle.Stage, ev *lifecycle.Event, now time.Time, n int) lcDelayStats {
	st := lcDelayStats{Stage: s.Name(), N: n}
	var sum float64
	seen := map[int64]bool{}
	var lo, hi int64 = math.MaxInt64, math.MinInt64
	for i := 0; i < n; i++ {
		var d time.Duration
		var ok bool
		out := lcProtect(func() error {
			var err error
			d, ok, err = s.Delay(ctx, ev, now)
			return err
		})
		if out.failed() {
			st.Failed++
			if st.FirstFail == nil {
				o := out
				st.FirstFail = &o
			}
			continue
		}
		if !ok {
			st.NotOKCount++
			continue
		}
		st.OKCount++
		v := int64(d)
		sum += float64(v)
		lo, hi = min(lo, v), max(hi, v)
		if len(seen) <= 1000 {
			seen[v] = true
		}
	}
	if st.OKCount > 0 {
		mean := sum / float64(st.OKCount)
		st.Min, st.Max, st.Mean = &lo, &hi, &mean
	}
	st.Distinct = len(seen)
	return st
}
