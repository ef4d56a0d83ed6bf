// vendored/go.mod: example.com/dep was bumped to v1.1.0 here without running
// go mod vendor, so vendor/modules.txt still records v1.0.0. go fails with
// "inconsistent vendoring"; gomodls says so, with go's two details, on this
// require line and on the "# example.com/dep v1.0.0" line of
// vendor/modules.txt.
module example.com/demo/vendored

go 1.22

require example.com/dep v1.1.0
