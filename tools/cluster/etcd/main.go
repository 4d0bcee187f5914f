// Command etcd is etcd v3.6 built from the Go module proxy: kwokbook's test
// cluster needs an etcd binary and this machine cannot download release tarballs.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
