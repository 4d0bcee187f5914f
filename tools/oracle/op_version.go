package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"time"
)

func init() {
	registerOp("version", nil, opVersion)
}

type versionResult struct {
	Go       string `json:"go"`
	Kwok     string `json:"kwok"`
	Sprig    string `json:"sprig"`
	Gojq     string `json:"gojq"`
	SigsYAML string `json:"sigs_yaml"`
	TZ       string `json:"tz"` // time.Local's name: "UTC" when run with TZ=UTC
}

func versionInfo() versionResult {
	v := versionResult{Go: runtime.Version(), TZ: time.Local.String()}
	deps := map[string]*string{
		"sigs.k8s.io/kwok":                &v.Kwok,
		"github.com/Masterminds/sprig/v3": &v.Sprig,
		"github.com/itchyny/gojq":         &v.Gojq,
		"sigs.k8s.io/yaml":                &v.SigsYAML,
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if p, ok := deps[d.Path]; ok {
				if d.Replace != nil {
					*p = d.Replace.Version
				} else {
					*p = d.Version
				}
			}
		}
	}
	return v
}

func opVersion(*request) (any, error) {
	return versionInfo(), nil
}

func printVersion(w io.Writer) error {
	b, err := marshalJSON(versionInfo())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
