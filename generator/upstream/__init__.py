"""The upstream AI conformance suite (kubernetes-sigs/ai-conformance ``test/``) as a runner:
``collect --upstream-suite DIR`` runs it, keeps its artifacts and imports its results."""
