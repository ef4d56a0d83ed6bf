// Package dep stands in for a dependency; the replace in ../go.mod makes
// go take it from this directory, so vendoring it needs no network.
package dep

// Version is the version of this copy.
const Version = "v1.1.0"
