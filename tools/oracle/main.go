// Command oracle answers questions with KWOK v0.8.0's own Go packages so that
// kwokbook's Python re-implementations can be tested differentially.
//
// Subcommands:
//
//	oracle run            JSON-lines protocol on stdin/stdout (see README.md)
//	oracle bench-render   time one template through KWOK's renderer
//	oracle version        print the version op's result once
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  oracle run
  oracle bench-render --template FILE --data FILE [--profile P] [--mode text|json] [--n N] [--warmup W]
  oracle version
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = serve(os.Stdin, os.Stdout)
	case "bench-render":
		err = benchRender(os.Args[2:], os.Stdout)
	case "version":
		err = printVersion(os.Stdout)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "oracle: unknown subcommand %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
		os.Exit(1)
	}
}
