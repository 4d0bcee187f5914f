package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"sigs.k8s.io/kwok/pkg/utils/yaml"
)

// benchRender times KWOK's renderer in steady state: one renderer (template
// cache warm after the warm-up), the data already decoded like an
// unstructured object, and per call exactly ToText/ToJSON (JSON encode and
// UseNumber decode of the data, template execution and, for json, YAML→JSON).
func benchRender(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("bench-render", flag.ContinueOnError)
	tplFile := fs.String("template", "", "file holding the template text")
	dataFile := fs.String("data", "", "file holding the data (JSON, or YAML if named *.yaml/*.yml)")
	profile := fs.String("profile", "generic", "generic, pod, node or harness")
	mode := fs.String("mode", "text", "text or json")
	n := fs.Int("n", 10000, "timed renders")
	warmup := fs.Int("warmup", 100, "untimed renders first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tplFile == "" || *dataFile == "" {
		return fmt.Errorf("bench-render needs --template and --data")
	}
	if *mode != "text" && *mode != "json" {
		return fmt.Errorf("unknown mode %q", *mode)
	}
	if *n <= 0 || *warmup < 0 {
		return fmt.Errorf("need --n > 0 and --warmup >= 0")
	}
	tpl, err := os.ReadFile(*tplFile)
	if err != nil {
		return err
	}
	rawData, err := os.ReadFile(*dataFile)
	if err != nil {
		return err
	}
	if strings.HasSuffix(*dataFile, ".yaml") || strings.HasSuffix(*dataFile, ".yml") {
		if rawData, err = yaml.YAMLToJSON(rawData); err != nil {
			return fmt.Errorf("data: %w", err)
		}
	}
	data, err := decodeUnstructured(rawData)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	r, err := newRenderer(*profile, nil)
	if err != nil {
		return err
	}
	text := string(tpl)
	// The first call fills the template cache; it must succeed.
	if _, err := renderOnce(r, *mode, text, data); err != nil {
		return fmt.Errorf("template does not render: %w", err)
	}
	for i := 0; i < *warmup; i++ {
		_, _ = renderOnce(r, *mode, text, data)
	}
	start := time.Now()
	for i := 0; i < *n; i++ {
		_, _ = renderOnce(r, *mode, text, data)
	}
	elapsed := time.Since(start)
	b, err := marshalJSON(map[string]any{
		"ns_per_op": float64(elapsed.Nanoseconds()) / float64(*n),
		"n":         *n,
		"warmup":    *warmup,
		"profile":   *profile,
		"mode":      *mode,
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
