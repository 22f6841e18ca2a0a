// Command etcd is the etcd server, built from the published go.etcd.io/etcd/server/v3
// module. It hands the command line to etcdmain exactly as upstream's server/main.go
// does, after one rewrite: every URL whose host is 0.0.0.0 is pointed at 127.0.0.1.
// Built and installed by scripts/k8s-binaries.sh; not part of the product.
//
// Why: io.fabric8:kube-api-test (the operator's tests) starts this binary with
// "--listen-client-urls http://0.0.0.0:PORT --advertise-client-urls http://0.0.0.0:PORT",
// i.e. an unauthenticated etcd on every network interface of the developer's machine.
// Its kube-apiserver then dials http://0.0.0.0:PORT, which Linux delivers to loopback,
// so binding 127.0.0.1 instead changes nothing for the tests and exposes nothing.
//
// The rewrite is applied to every argument, so it covers all the forms etcd's flag
// parser accepts ("--flag value", "--flag=value", "-flag value", "-flag=value"),
// comma-separated URL lists and name=URL lists (--initial-cluster) alike.
package main

import (
	"fmt"
	"os"
	"regexp"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

// "://0.0.0.0" ending the host: followed by a port, a path, the next list item, or the end.
var wildcardHost = regexp.MustCompile(`://0\.0\.0\.0([:/,]|$)`)

func main() {
	args := make([]string, len(os.Args))
	for i, a := range os.Args {
		args[i] = wildcardHost.ReplaceAllString(a, "://127.0.0.1$1")
		if args[i] != a {
			fmt.Fprintf(os.Stderr, "etcd (fedmllm): loopback only, %q -> %q\n", a, args[i])
		}
	}
	etcdmain.Main(args)
}
