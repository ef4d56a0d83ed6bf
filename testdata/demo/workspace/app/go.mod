// app/go.mod is well-formed. Its go.sum is not: line 3 has two hashes, and
// because app requires a module from a proxy, go needs that file and fails.
module example.com/demo/app

go 1.22

require example.com/dep v1.0.0
