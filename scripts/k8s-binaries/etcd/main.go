// Command etcd is the etcd server, built from the published go.etcd.io/etcd/server/v3
// module. It does exactly what upstream's server/main.go does: hand the command line to
// etcdmain. Built and installed by scripts/k8s-binaries.sh; not part of the product.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
