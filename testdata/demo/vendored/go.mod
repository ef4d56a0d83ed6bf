// vendored/go.mod: example.com/dep, developed beside this module in ./dep
// (the replace below), was bumped to v1.1.0 here without running go mod
// vendor, so vendor/modules.txt still records v1.0.0. go fails with
// "inconsistent vendoring"; gomodls says so, with go's two details, on this
// require line and on the "# example.com/dep v1.0.0" line of
// vendor/modules.txt. Its quick fix, go mod vendor, needs no network: the
// replacement is a directory.
module example.com/demo/vendored

go 1.22

require example.com/dep v1.1.0

replace example.com/dep => ./dep
