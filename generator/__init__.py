"""k8s-ai-evidence: executed, captured, checked and readable Kubernetes AI Conformance evidence."""

__version__ = "0.1.0"
