// Package dep is a stand-in for a vendored dependency.
package dep

// Version is the version vendored.
const Version = "v1.0.0"
