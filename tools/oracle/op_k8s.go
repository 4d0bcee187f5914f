package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	jsonpatch5 "github.com/evanphx/json-patch/v5"
	jsonpatch4 "gopkg.in/evanphx/json-patch.v4"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/mergepatch"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/kwok/pkg/utils/expression"
)

// Ops of the k8s family: patch application and the typed (Go struct) view of
// Pods and Nodes, with the libraries KWOK v0.8.0 and the API server use.

func init() {
	registerOp("patch", []string{"kind", "type", "data", "patch", "patch_text", "impl"}, opPatch)
	registerOp("typed", []string{"kind", "data", "data_text", "decoder"}, opTyped)
	registerOp("need_patch", []string{"kind", "type", "data", "patch", "patch_text"}, opNeedPatch)
}

// determinismRuns: strategic merge patch and jsonpatch's merge iterate Go maps,
// so an answer can depend on the iteration order; every patch is applied this
// many times and all distinct answers are reported.
const determinismRuns = 24

type patchOutcome struct {
	Out  json.RawMessage `json:"out"`
	Err  *string         `json:"err"`
	Code int             `json:"code,omitempty"`
}

type patchResult struct {
	patchOutcome
	// Alts lists every distinct outcome (out compared as a JSON value) when the
	// runs disagreed; null when the answer is deterministic.
	Alts []patchOutcome `json:"alts"`
}

func newTyped(kind string) (any, bool) {
	switch kind {
	case "Pod":
		return &corev1.Pod{}, true
	case "Node":
		return &corev1.Node{}, true
	}
	return nil, false
}

// patchBytes gives the patch body: `patch` (a JSON value, sent compacted) or
// `patch_text` (the exact bytes, e.g. invalid JSON).
func patchBytes(req *request) ([]byte, error) {
	if raw, ok := req.Fields["patch_text"]; ok {
		if _, both := req.Fields["patch"]; both {
			return nil, fmt.Errorf("give patch or patch_text, not both")
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("field \"patch_text\": %w", err)
		}
		return []byte(s), nil
	}
	raw, ok := req.Fields["patch"]
	if !ok {
		return nil, fmt.Errorf("missing field \"patch\"")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func dataBytes(req *request) ([]byte, error) {
	raw, ok := req.Fields["data"]
	if !ok {
		return nil, fmt.Errorf("missing field \"data\"")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func errOutcome(err error, code int) patchOutcome {
	s := err.Error()
	return patchOutcome{Err: &s, Code: code}
}

func okOutcome(out []byte) patchOutcome {
	return patchOutcome{Out: json.RawMessage(out)}
}

// unsupportedMediaType is the API server's 415 text for a strategic merge
// patch of a custom resource: negotiation.NewUnsupportedMediaTypeError with the
// patch types of the CRD handler (apiextensions-apiserver customresource_handler.go;
// CBORServingAndStorage is alpha and off by default in 1.36).
func unsupportedMediaType() string {
	accepted := []string{string(types.JSONPatchType), string(types.MergePatchType), string(types.ApplyYAMLPatchType)}
	return fmt.Sprintf("the body of the request was in an unknown format - accepted media types include: %v",
		strings.Join(accepted, ", "))
}

// interpretSMPError mirrors the API server's interpretStrategicMergePatchError
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go): the HTTP code of an error.
func interpretSMPError(err error) int {
	switch err {
	case mergepatch.ErrBadJSONDoc, mergepatch.ErrBadPatchFormatForPrimitiveList, mergepatch.ErrBadPatchFormatForRetainKeys,
		mergepatch.ErrBadPatchFormatForSetElementOrderList, mergepatch.ErrUnsupportedStrategicMergePatchFormat:
		return http.StatusBadRequest
	case mergepatch.ErrNoListOfLists, mergepatch.ErrPatchContentNotMatchRetainKeys:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// applyOnce computes one outcome.
//
// impl "kwok" (default): what KWOK's controllers run locally (pkg/kwok/controllers/utils.go):
// evanphx/json-patch/v5 DecodePatch+Apply, v5 MergePatch, and
// strategicpatch.StrategicMergePatch(original, patch, &corev1.Pod{}) for Pods/Nodes.
//
// impl "apiserver": the API server's patch handler (k8s.io/apiserver
// handlers/patch.go): gopkg.in/evanphx/json-patch.v4 DecodePatch (400) + Apply
// (422), v4 MergePatch (ErrBadJSONPatch 400), and for Pods/Nodes the patch
// decoded with sigs.k8s.io/json UnmarshalCaseSensitivePreserveInts (400) then
// strategicpatch.StrategicMergeMapPatch with the typed struct (codes as
// interpretStrategicMergePatchError); other kinds (custom resources) get 415.
// The original object is decoded with k8s.io/apimachinery/pkg/util/json.
func applyOnce(impl, kind, ptype string, data, patch []byte) (patchOutcome, error) {
	typed, isTyped := newTyped(kind)
	switch impl {
	case "", "kwok":
		switch ptype {
		case "json":
			p, err := jsonpatch5.DecodePatch(patch)
			if err != nil {
				return errOutcome(err, 0), nil
			}
			out, err := p.Apply(data)
			if err != nil {
				return errOutcome(err, 0), nil
			}
			return okOutcome(out), nil
		case "merge":
			out, err := jsonpatch5.MergePatch(data, patch)
			if err != nil {
				return errOutcome(err, 0), nil
			}
			return okOutcome(out), nil
		case "strategic":
			if !isTyped {
				return patchOutcome{}, fmt.Errorf("impl kwok: strategic patches of kind %q need an OpenAPI schema (not supported)", kind)
			}
			out, err := strategicpatch.StrategicMergePatch(data, patch, typed)
			if err != nil {
				return errOutcome(err, 0), nil
			}
			return okOutcome(out), nil
		}
	case "apiserver":
		switch ptype {
		case "json":
			p, err := jsonpatch4.DecodePatch(patch)
			if err != nil {
				return errOutcome(err, http.StatusBadRequest), nil
			}
			out, err := p.Apply(data)
			if err != nil {
				return errOutcome(err, http.StatusUnprocessableEntity), nil
			}
			return okOutcome(out), nil
		case "merge":
			out, err := jsonpatch4.MergePatch(data, patch)
			if err == jsonpatch4.ErrBadJSONPatch {
				return errOutcome(err, http.StatusBadRequest), nil
			}
			if err != nil {
				return errOutcome(err, http.StatusInternalServerError), nil
			}
			return okOutcome(out), nil
		case "strategic":
			if !isTyped {
				return patchOutcome{Err: ptr(unsupportedMediaType()), Code: http.StatusUnsupportedMediaType}, nil
			}
			original := map[string]interface{}{}
			if err := utiljson.Unmarshal(data, &original); err != nil {
				return patchOutcome{}, fmt.Errorf("field \"data\": %w", err)
			}
			// The server's map comes from runtime.DefaultUnstructuredConverter.ToUnstructured,
			// whose slices have cap == len; a JSON decode leaves append's spare capacity, which
			// strategicpatch's in-place de-duplication can write through.
			original = exactCaps(original).(map[string]interface{})
			patchMap := map[string]interface{}{}
			if err := kjson.UnmarshalCaseSensitivePreserveInts(patch, &patchMap); err != nil {
				return errOutcome(err, http.StatusBadRequest), nil
			}
			res, err := strategicpatch.StrategicMergeMapPatch(original, patchMap, typed)
			if err != nil {
				return errOutcome(err, interpretSMPError(err)), nil
			}
			out, err := json.Marshal(res)
			if err != nil {
				return errOutcome(err, http.StatusInternalServerError), nil
			}
			return okOutcome(out), nil
		}
	default:
		return patchOutcome{}, fmt.Errorf("impl must be kwok or apiserver, got %q", impl)
	}
	return patchOutcome{}, fmt.Errorf("type must be json, merge or strategic, got %q", ptype)
}

func ptr[T any](v T) *T { return &v }

// exactCaps copies every slice of a decoded JSON tree into one with cap == len.
func exactCaps(v any) any {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, e := range t {
			t[k] = exactCaps(e)
		}
		return t
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = exactCaps(e)
		}
		return out
	}
	return v
}

// canonical is an outcome's identity for the determinism check: out compared as
// a JSON value (key order ignored), err and code as text.
func canonical(o patchOutcome) string {
	var v any
	out := "null"
	if o.Out != nil {
		if err := json.Unmarshal(o.Out, &v); err == nil {
			b, _ := json.Marshal(v)
			out = string(b)
		} else {
			out = "!" + string(o.Out)
		}
	}
	e := ""
	if o.Err != nil {
		e = *o.Err
	}
	return fmt.Sprintf("%s\x00%s\x00%d", out, e, o.Code)
}

// applyRecovering is applyOnce with a panic of the libraries reported as the outcome
// ("panic: <value>", code 500 for the API server, whose handler recovers panics).
func applyRecovering(impl, kind, ptype string, data, patch []byte) (o patchOutcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			code := 0
			if impl == "apiserver" {
				code = http.StatusInternalServerError
			}
			o, err = patchOutcome{Err: ptr(fmt.Sprint("panic: ", r)), Code: code}, nil
		}
	}()
	return applyOnce(impl, kind, ptype, data, patch)
}

func opPatch(req *request) (any, error) {
	var kind, ptype, impl string
	if err := field(req, "kind", true, &kind); err != nil {
		return nil, err
	}
	if err := field(req, "type", true, &ptype); err != nil {
		return nil, err
	}
	if err := field(req, "impl", false, &impl); err != nil {
		return nil, err
	}
	data, err := dataBytes(req)
	if err != nil {
		return nil, err
	}
	patch, err := patchBytes(req)
	if err != nil {
		return nil, err
	}
	var first patchOutcome
	seen := map[string]patchOutcome{}
	for i := 0; i < determinismRuns; i++ {
		o, err := applyRecovering(impl, kind, ptype, data, patch)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = o
		}
		seen[canonical(o)] = o
	}
	res := &patchResult{patchOutcome: first}
	if len(seen) > 1 {
		keys := make([]string, 0, len(seen))
		for k := range seen {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			res.Alts = append(res.Alts, seen[k])
		}
	}
	return res, nil
}

type typedResult struct {
	// Text is json.Marshal of the decoded typed object (what KWOK's
	// checkNeedPatch compares and what json patches are applied to).
	Text *string `json:"text"`
	// Out is the same JSON as a value.
	Out json.RawMessage `json:"out"`
	// Standard is expression.ToJSONStandard(typed object): what KWOK's jq
	// selectors get (numbers float64; shown as JSON).
	Standard json.RawMessage `json:"standard"`
	Err      *string         `json:"err"`
}

// opTyped decodes data into corev1.Pod/Node and encodes it again.
// decoder "encoding/json" (default): json.Unmarshal, as KWOK's checkNeedPatch
// decodes a patched object (case-insensitive field names). decoder "k8s":
// sigs.k8s.io/json UnmarshalCaseSensitivePreserveInts, as the API server's JSON
// serializer decodes a request body. data_text gives the exact input bytes.
func opTyped(req *request) (any, error) {
	var kind, decoder string
	if err := field(req, "kind", true, &kind); err != nil {
		return nil, err
	}
	if err := field(req, "decoder", false, &decoder); err != nil {
		return nil, err
	}
	var data []byte
	if raw, ok := req.Fields["data_text"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("field \"data_text\": %w", err)
		}
		data = []byte(s)
	} else {
		d, err := dataBytes(req)
		if err != nil {
			return nil, err
		}
		data = d
	}
	obj, ok := newTyped(kind)
	if !ok {
		return nil, fmt.Errorf("kind must be Pod or Node, got %q", kind)
	}
	var err error
	switch decoder {
	case "", "encoding/json":
		err = json.Unmarshal(data, obj)
	case "k8s":
		err = kjson.UnmarshalCaseSensitivePreserveInts(data, obj)
	default:
		return nil, fmt.Errorf("decoder must be encoding/json or k8s, got %q", decoder)
	}
	res := &typedResult{}
	if err != nil {
		res.Err = ptr(err.Error())
		return res, nil
	}
	text, err := json.Marshal(obj)
	if err != nil {
		res.Err = ptr("marshal: " + err.Error())
		return res, nil
	}
	res.Text = ptr(string(text))
	res.Out = json.RawMessage(text)
	std, err := expression.ToJSONStandard(obj)
	if err != nil {
		res.Err = ptr("ToJSONStandard: " + err.Error())
		return res, nil
	}
	stdText, err := json.Marshal(std)
	if err != nil {
		return nil, err
	}
	res.Standard = json.RawMessage(stdText)
	return res, nil
}

type needPatchResult struct {
	Changed *bool   `json:"changed"`
	Err     *string `json:"err"`
}

// opNeedPatch answers KWOK's no-op check for a Pod/Node stage patch: data is first
// decoded into the typed object (the informer's copy), then the steps of
// checkNeedPatchWithTyped (pkg/kwok/controllers/utils.go, unexported there and
// restated here line by line) run: json → v5 DecodePatch+Apply on json.Marshal(obj),
// compared byte for byte; merge/strategic → patched, decoded into a fresh typed
// object, re-encoded and compared byte for byte with json.Marshal(obj).
func opNeedPatch(req *request) (any, error) {
	var kind, ptype string
	if err := field(req, "kind", true, &kind); err != nil {
		return nil, err
	}
	if err := field(req, "type", true, &ptype); err != nil {
		return nil, err
	}
	data, err := dataBytes(req)
	if err != nil {
		return nil, err
	}
	patch, err := patchBytes(req)
	if err != nil {
		return nil, err
	}
	obj, ok := newTyped(kind)
	if !ok {
		return nil, fmt.Errorf("kind must be Pod or Node, got %q", kind)
	}
	if err := json.Unmarshal(data, obj); err != nil {
		return nil, fmt.Errorf("field \"data\" does not decode into %s: %w", kind, err)
	}
	var changed bool
	switch ptype {
	case "json":
		changed, err = kwokCheckJSON(obj, patch)
	case "merge":
		changed, err = kwokCheckTyped(kind, obj, func(o []byte) ([]byte, error) { return jsonpatch5.MergePatch(o, patch) })
	case "strategic":
		changed, err = kwokCheckTyped(kind, obj, func(o []byte) ([]byte, error) {
			return strategicpatch.StrategicMergePatch(o, patch, obj)
		})
	default:
		return nil, fmt.Errorf("type must be json, merge or strategic, got %q", ptype)
	}
	res := &needPatchResult{}
	if err != nil {
		res.Err = ptr(err.Error())
	} else {
		res.Changed = &changed
	}
	return res, nil
}

func kwokCheckJSON(obj any, patchData []byte) (bool, error) {
	original, err := json.Marshal(obj)
	if err != nil {
		return false, err
	}
	patch, err := jsonpatch5.DecodePatch(patchData)
	if err != nil {
		return false, err
	}
	sum, err := patch.Apply(original)
	if err != nil {
		return false, err
	}
	return !bytes.Equal(original, sum), nil
}

func kwokCheckTyped(kind string, obj any, apply func([]byte) ([]byte, error)) (bool, error) {
	original, err := json.Marshal(obj)
	if err != nil {
		return false, err
	}
	sum, err := apply(original)
	if err != nil {
		return false, err
	}
	tmp, _ := newTyped(kind)
	if err := json.Unmarshal(sum, tmp); err != nil {
		return false, err
	}
	dist, err := json.Marshal(tmp)
	if err != nil {
		return false, err
	}
	return !bytes.Equal(original, dist), nil
}
