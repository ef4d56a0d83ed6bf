// With GOPROXY=off the go command downloads nothing, and
// example.com/demo/queue v1.4.0 is in nobody's module cache.
module example.com/demo/worker

go 1.22

require example.com/demo/queue v1.4.0
