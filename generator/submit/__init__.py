"""``submit``: build's PRODUCT.yaml and evidence into one commit on a branch of the vendor's
fork of cncf/k8s-ai-conformance, refusing anything CNCF CI would reject."""

from generator.submit.engine import Outcome, Request, submit

__all__ = ["Outcome", "Request", "submit"]
