package main

import (
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/kwok/pkg/utils/gotpl"
)

// Profiles choose the extra FuncMap handed to gotpl.NewRenderer, the way the
// KWOK component that owns a template does:
//
//	generic  nothing extra (the Stage controller for other resources)
//	pod      pod_controller.go's funcs, with the fake bodies below
//	node     node_controller.go's funcs, with the fake bodies below
//	harness  the placeholder funcs of kustomize/stage/stage_test.go
//
// The Go signatures of the pod and node funcs are exactly KWOK's, because
// text/template converts arguments (and reports errors) by signature.
var profiles = map[string]func(*fakeCluster) gotpl.FuncMap{
	"generic": func(*fakeCluster) gotpl.FuncMap { return gotpl.FuncMap{} },
	"pod":     podFuncs,
	"node":    nodeFuncs,
	"harness": func(*fakeCluster) gotpl.FuncMap { return harnessFuncs() },
}

// Fake per-controller values. Documented in README.md; the Python side copies them.
const (
	fakeNodeIP   = "10.0.0.1"
	fakeNodeName = "kwok-node"
	fakeNodePort = 10250
)

// fakeCluster holds the deterministic state behind the fake funcs. A new one
// is made for every render request, so PodIP numbering restarts per request.
type fakeCluster struct {
	podIPs int // pod IPs handed out so far
}

// addIPv4 adds n to the dotted-quad base a.b.c.d as a 32-bit integer.
func addIPv4(a, b, c, d byte, n int) string {
	v := uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d)
	v += uint32(n)
	return fmt.Sprintf("%d.%d.%d.%d", v>>24, v>>16&0xff, v>>8&0xff, v&0xff)
}

// nextPodIP: the i-th pod IP of a request (i from 0) is 10.0.0.0 + 2 + i.
func (f *fakeCluster) nextPodIP() string {
	ip := addIPv4(10, 0, 0, 0, 2+f.podIPs)
	f.podIPs++
	return ip
}

// nodeIPWith: 10.1.0.0 + len(nodeName) (length in bytes).
func nodeIPWith(nodeName string) string {
	return addIPv4(10, 1, 0, 0, len(nodeName))
}

func podFuncs(f *fakeCluster) gotpl.FuncMap {
	return gotpl.FuncMap{
		// func (c *PodController) funcNodeIP() string
		"NodeIP": func() string { return fakeNodeIP },
		// func (c *PodController) funcPodIP() string
		"PodIP": func() string { return f.nextPodIP() },
		// func (c *PodController) funcNodeIPWith(nodeName string) string
		"NodeIPWith": func(nodeName string) string { return nodeIPWith(nodeName) },
		// func (c *PodController) funcNodeIPsWith(nodeName string) []string
		"NodeIPsWith": func(nodeName string) []string { return []string{nodeIPWith(nodeName)} },
		// func (c *PodController) funcPodIPWith(nodeName string, hostNetwork bool, uid, name, namespace string) (string, error)
		"PodIPWith": func(nodeName string, hostNetwork bool, uid, name, namespace string) (string, error) {
			if hostNetwork {
				return nodeIPWith(nodeName), nil
			}
			return f.nextPodIP(), nil
		},
		// func (c *PodController) funcPodIPsWith(nodeName string, hostNetwork bool, uid, name, namespace string) ([]string, error)
		"PodIPsWith": func(nodeName string, hostNetwork bool, uid, name, namespace string) ([]string, error) {
			if hostNetwork {
				return []string{nodeIPWith(nodeName)}, nil
			}
			return []string{f.nextPodIP()}, nil
		},
	}
}

func nodeFuncs(*fakeCluster) gotpl.FuncMap {
	return gotpl.FuncMap{
		// func (c *NodeController) funcNodeIP() string
		"NodeIP": func() string { return fakeNodeIP },
		// func (c *NodeController) funcNodeName() string
		"NodeName": func() string { return fakeNodeName },
		// func (c *NodeController) funcNodePort() int
		"NodePort": func() int { return fakeNodePort },
	}
}

// harnessFuncs reproduces the FuncMap that KWOK's Stage conformance test
// (kustomize/stage/stage_test.go, testingStage) installs: every func takes
// ...any and renders a placeholder naming itself and its %#v arguments.
func harnessFuncs() gotpl.FuncMap {
	fm := gotpl.FuncMap{}
	for _, name := range []string{
		"NodeIP", "NodeName", "NodePort", "PodIP", "NodeIPWith", "PodIPWith",
		"Now", "now", "Version",
	} {
		fm[name] = placeholderString(name)
	}
	for _, name := range []string{"NodeIPsWith", "PodIPsWith"} {
		fm[name] = placeholderStrings(name)
	}
	return fm
}

// placeholderCall renders `name(arg1, arg2)` with each argument as %#v and
// an empty rendering shown as "" (as the harness does).
func placeholderCall(name string, args []any) string {
	parts := make([]string, len(args))
	for i, arg := range args {
		s := fmt.Sprintf("%#v", arg)
		if s == "" {
			s = `""`
		}
		parts[i] = s
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func placeholderString(name string) func(args ...any) any {
	return func(args ...any) any {
		if len(args) == 0 {
			return "<" + name + ">"
		}
		return "<" + placeholderCall(name, args) + ">"
	}
}

func placeholderStrings(name string) func(args ...any) any {
	return func(args ...any) any {
		call := name
		if len(args) != 0 {
			call = placeholderCall(name, args)
		}
		return []any{"<0 of " + call + ">", "<1 of " + call + ">"}
	}
}

// buildFuncMap assembles the FuncMap for one renderer: the clock overrides
// (when now is set) and then the profile's funcs, so the harness's own
// Now/now placeholders win over a requested clock.
func buildFuncMap(profile string, now *time.Time, f *fakeCluster) (gotpl.FuncMap, error) {
	mk, ok := profiles[profile]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (want generic, pod, node or harness)", profile)
	}
	fm := gotpl.FuncMap{}
	if now != nil {
		t := now.In(time.Local)
		// KWOK's Now: func() string { return time.Now().Format(time.RFC3339Nano) }
		fm["Now"] = func() string { return t.Format(time.RFC3339Nano) }
		// sprig's now is time.Now itself.
		fm["now"] = func() time.Time { return t }
	}
	for k, v := range mk(f) {
		fm[k] = v
	}
	return fm, nil
}
