// tidy/go.mod: main.go imports example.com/demo/greet, which this go.mod
// replaces by ./greet but does not require. go finds the package in the
// replacement, but a build will not add the requirement, so it fails:
// replace-not-required. The quick fix adds the require go get would.
module example.com/demo/tidy

go 1.22

replace example.com/demo/greet => ./greet
