"""Bring test results from other runners (Ginkgo/Sonobuoy JUnit, gotestsum, go test) into the
evidence tree, mapped to checklist requirements."""
