// lib/go.mod: comments in go.mod start with //. The /* */ comment on the
// require line is a gomod-parse-error, reported at its column.
module example.com/demo/lib

go 1.22

require example.com/dep v1.0.0 /* keep in step with app */
