package main

import (
	"encoding/base64"
	"fmt"
	"time"
	"unicode/utf8"

	"sigs.k8s.io/kwok/pkg/utils/gotpl"
)

func init() {
	registerOp("render", []string{"template", "data", "profile", "mode", "now"}, opRender)
}

// renderResult: out is the rendered bytes as a string, err KWOK's error
// string. JSON cannot carry invalid UTF-8, so when out or err is not valid
// UTF-8 the exact bytes are added base64-encoded in out_b64 / err_b64.
type renderResult struct {
	Out    *string `json:"out"`
	Err    *string `json:"err"`
	OutB64 string  `json:"out_b64,omitempty"`
	ErrB64 string  `json:"err_b64,omitempty"`
}

type renderParams struct {
	template string
	data     any
	profile  string
	mode     string
	now      *time.Time
}

func parseRenderParams(req *request) (*renderParams, error) {
	p := &renderParams{profile: "generic", mode: "text"}
	if err := field(req, "template", true, &p.template); err != nil {
		return nil, err
	}
	if err := field(req, "profile", false, &p.profile); err != nil {
		return nil, err
	}
	if err := field(req, "mode", false, &p.mode); err != nil {
		return nil, err
	}
	if p.mode != "text" && p.mode != "json" {
		return nil, fmt.Errorf("unknown mode %q (want text or json)", p.mode)
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
		p.now = &t
	}
	if raw, ok := req.Fields["data"]; ok {
		d, err := decodeUnstructured(raw)
		if err != nil {
			return nil, fmt.Errorf("field \"data\": %w", err)
		}
		p.data = d
	}
	return p, nil
}

// newRenderer builds a fresh KWOK renderer for one profile and clock.
func newRenderer(profile string, now *time.Time) (gotpl.Renderer, error) {
	fm, err := buildFuncMap(profile, now, &fakeCluster{})
	if err != nil {
		return nil, err
	}
	return gotpl.NewRenderer(fm), nil
}

// renderOnce is KWOK's pipeline: ToText or ToJSON, nothing else.
func renderOnce(r gotpl.Renderer, mode, template string, data any) ([]byte, error) {
	if mode == "json" {
		return r.ToJSON(template, data)
	}
	return r.ToText(template, data)
}

func opRender(req *request) (any, error) {
	p, err := parseRenderParams(req)
	if err != nil {
		return nil, err
	}
	// A fresh renderer per request: per-request fake state and clock, and a
	// fresh buffer pool (see README: "build template" errors).
	r, err := newRenderer(p.profile, p.now)
	if err != nil {
		return nil, err
	}
	out, rerr := renderOnce(r, p.mode, p.template, p.data)
	res := &renderResult{}
	if rerr != nil {
		s := rerr.Error()
		res.Err = &s
		if !utf8.ValidString(s) {
			res.ErrB64 = base64.StdEncoding.EncodeToString([]byte(s))
		}
		return res, nil
	}
	s := string(out)
	res.Out = &s
	if !utf8.Valid(out) {
		res.OutB64 = base64.StdEncoding.EncodeToString(out)
	}
	return res, nil
}
