package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	kcel "sigs.k8s.io/kwok/pkg/utils/cel"
)

// Op of the CEL family: an expression evaluated in exactly the environment
// KWOK's lifecycle engine builds (pkg/utils/lifecycle/lifecycle.go, init):
// DefaultTypes, DefaultConversions, DefaultFuncs and FuncsToMethods(DefaultFuncs),
// with the variable `self` declared from toCELStandardTypeOnly.

func init() {
	registerOp("cel", []string{"expression", "data", "mode", "now", "typed"}, opCEL)
}

type celResult struct {
	// The converted result: bool (match), int64 (int64), nanoseconds (duration),
	// or the JSON rendering of the raw value (value mode); null on error.
	Result any `json:"result"`
	// %T of Result in match/int64/duration mode ("bool", "int64",
	// "time.Duration"); %T of the raw ref.Val in value mode.
	ResultType *string `json:"result_type"`
	// The raw CEL value before conversion (JSON rendering, see celToJSON), its
	// CEL type name and its Go %T; null when compile or eval failed.
	Value     any     `json:"value"`
	ValueType *string `json:"value_type"`
	ValueGoT  *string `json:"value_go_type"`
	Err       *string `json:"err"`
	Stage     *string `json:"stage"` // "compile" | "eval" | "convert" | null
}

func strp(s string) *string { return &s }

func opCEL(req *request) (any, error) {
	var expr string
	if err := field(req, "expression", true, &expr); err != nil {
		return nil, err
	}
	mode := "match"
	if err := field(req, "mode", false, &mode); err != nil {
		return nil, err
	}
	switch mode {
	case "match", "int64", "duration", "value":
	default:
		return nil, fmt.Errorf("field \"mode\": want match, int64, duration or value, got %q", mode)
	}
	var nowText string
	if err := field(req, "now", false, &nowText); err != nil {
		return nil, err
	}
	var now *time.Time
	if nowText != "" {
		t, err := time.Parse(time.RFC3339Nano, nowText)
		if err != nil {
			return nil, fmt.Errorf("field \"now\": %w", err)
		}
		now = &t
	}
	var typed any
	if err := field(req, "typed", false, &typed); err != nil {
		return nil, err
	}

	data, err := celData(req.Fields["data"], typed)
	if err != nil {
		return nil, err
	}

	env, err := newCELEnv(data, now)
	if err != nil {
		return nil, fmt.Errorf("building the CEL environment: %w", err)
	}
	res := &celResult{}
	program, err := env.Compile(expr)
	if err != nil {
		res.Err, res.Stage = strp(err.Error()), strp("compile")
		return res, nil
	}
	// toCELStandard: the unstructured map itself, or the typed object.
	vars := map[string]any{"self": data}
	var val ref.Val
	if mode == "match" {
		val, _, err = program.ContextEval(context.Background(), vars)
	} else {
		val, _, err = program.Eval(vars)
	}
	if val != nil && err == nil {
		res.Value = celToJSON(val)
		res.ValueType = strp(celTypeName(val))
		res.ValueGoT = strp(fmt.Sprintf("%T", val))
	}
	if err != nil {
		res.Err, res.Stage = strp(err.Error()), strp("eval")
		return res, nil
	}
	var out any
	switch mode {
	case "match":
		out, err = kcel.AsBool(val)
	case "int64":
		out, err = kcel.AsInt64(val)
	case "duration":
		out, err = kcel.AsDuration(val)
	case "value":
		out = celToJSON(val)
		res.Result, res.ResultType = out, strp(fmt.Sprintf("%T", val))
		return res, nil
	}
	if err != nil {
		res.Err, res.Stage = strp(err.Error()), strp("convert")
		return res, nil
	}
	res.ResultType = strp(fmt.Sprintf("%T", out))
	if d, ok := out.(time.Duration); ok {
		out = int64(d)
	}
	res.Result = out
	return res, nil
}

// celData decodes the request data as the controller holds it: the
// unstructured map (generic Stage controller, harness), or with typed set a
// *corev1.Pod / *corev1.Node decoded from the JSON (Pod/Node controllers).
// typed is true (kind taken from data.kind), "Pod" or "Node".
func celData(raw json.RawMessage, typed any) (any, error) {
	kind := ""
	switch t := typed.(type) {
	case nil:
	case bool:
		if t {
			var probe struct {
				Kind string `json:"kind"`
			}
			if err := json.Unmarshal(raw, &probe); err != nil {
				return nil, fmt.Errorf("field \"data\": %w", err)
			}
			kind = probe.Kind
			if kind == "" {
				return nil, fmt.Errorf("typed: true needs data.kind (Pod or Node)")
			}
		}
	case string:
		kind = t
	default:
		return nil, fmt.Errorf("field \"typed\": want bool or \"Pod\"/\"Node\"")
	}
	switch kind {
	case "":
		if len(raw) == 0 {
			return map[string]any{}, nil // no data: an empty object
		}
		data, err := decodeUnstructured(raw)
		if err != nil {
			return nil, fmt.Errorf("field \"data\": %w", err)
		}
		if data == nil {
			// An unstructured object always has a map; keep null out of `self`.
			return nil, fmt.Errorf("field \"data\": must be a JSON object")
		}
		return data, nil
	case "Pod":
		pod := &corev1.Pod{}
		if err := json.Unmarshal(raw, pod); err != nil {
			return nil, fmt.Errorf("field \"data\" as corev1.Pod: %w", err)
		}
		return pod, nil
	case "Node":
		node := &corev1.Node{}
		if err := json.Unmarshal(raw, node); err != nil {
			return nil, fmt.Errorf("field \"data\" as corev1.Node: %w", err)
		}
		return node, nil
	}
	return nil, fmt.Errorf("typed kind %q: want Pod or Node", kind)
}

// newCELEnv mirrors lifecycle.go's (*Stage).init. With now set, the
// clock-reading functions are replaced by ones with the same Go signatures
// (so easycel declares the same overloads) that read the pinned instant.
func newCELEnv(data any, now *time.Time) (*kcel.Environment, error) {
	types := slices.Clone(kcel.DefaultTypes)
	conversions := slices.Clone(kcel.DefaultConversions)
	funcs := maps.Clone(kcel.DefaultFuncs)
	if now != nil {
		at := *now
		funcs["Now"] = []any{func() time.Time { return at }}
		funcs["SinceSecond"] = []any{pinnedSinceSecond[*corev1.Node](at), pinnedSinceSecond[*corev1.Pod](at)}
	}
	methods := maps.Clone(kcel.FuncsToMethods(funcs))
	var self any = map[string]any{}
	if _, ok := data.(map[string]any); !ok {
		// toCELStandardTypeOnly: the zero value of the typed object's type.
		self = reflect.Zero(reflect.TypeOf(data)).Interface()
	}
	return kcel.NewEnvironment(kcel.EnvironmentConfig{
		Types:       types,
		Conversions: conversions,
		Methods:     methods,
		Funcs:       funcs,
		Vars:        map[string]any{"self": self},
	})
}

// creationStamped is KWOK's sinceResource constraint (funcs.go).
type creationStamped interface {
	GetCreationTimestamp() metav1.Time
}

// pinnedSinceSecond is KWOK's sinceSecond with time.Since read at the pinned instant.
func pinnedSinceSecond[T creationStamped](at time.Time) func(T) float64 {
	return func(t T) float64 {
		return at.Sub(t.GetCreationTimestamp().Time).Seconds()
	}
}

// celTypeName is the CEL type name of a value ("int", "map", "google.protobuf.Timestamp", ...).
func celTypeName(v ref.Val) string {
	if v == nil || v.Type() == nil {
		return "<nil>"
	}
	return v.Type().TypeName()
}

// celToJSON renders a CEL value as JSON: scalars as themselves (uint as a
// number, double NaN/±Inf as the strings "NaN"/"+Inf"/"-Inf", bytes as
// base64), timestamps as RFC 3339 (nanoseconds, UTC), durations as
// {"duration_ns": n}, Quantity as {"quantity": String()}, lists and maps
// recursively (map keys as strings; non-string keys get a type prefix).
// Anything else is "<%T %v>".
func celToJSON(v ref.Val) any {
	switch t := v.(type) {
	case types.Null:
		return nil
	case types.Bool:
		return bool(t)
	case types.Int:
		return int64(t)
	case types.Uint:
		return uint64(t)
	case types.Double:
		f := float64(t)
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "+Inf"
		case math.IsInf(f, -1):
			return "-Inf"
		}
		return f
	case types.String:
		return string(t)
	case types.Bytes:
		return map[string]any{"bytes_b64": base64.StdEncoding.EncodeToString([]byte(t))}
	case types.Timestamp:
		return map[string]any{"timestamp": t.Time.UTC().Format(time.RFC3339Nano)}
	case types.Duration:
		return map[string]any{"duration_ns": int64(t.Duration)}
	case kcel.Quantity:
		return map[string]any{"quantity": t.Quantity.String()}
	case *types.Err:
		return map[string]any{"error": t.Error()}
	case ref.Type:
		return map[string]any{"type": t.TypeName()}
	case traits.Lister:
		out := []any{}
		it := t.Iterator()
		for it.HasNext() == types.True {
			out = append(out, celToJSON(it.Next()))
		}
		return out
	case traits.Mapper:
		out := map[string]any{}
		it := t.Iterator()
		for it.HasNext() == types.True {
			k := it.Next()
			key, ok := k.(types.String)
			name := string(key)
			if !ok {
				name = fmt.Sprintf("%s:%v", celTypeName(k), celToJSON(k))
			}
			out[name] = celToJSON(t.Get(k))
		}
		return out
	}
	return fmt.Sprintf("<%T %v>", v, v.Value())
}
