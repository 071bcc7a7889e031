"""The submission file: ``vX.Y/<product>/PRODUCT.yaml`` for cncf/k8s-ai-conformance."""

from generator.productyaml.write import WrittenProduct, product_document, write_submission

__all__ = ["WrittenProduct", "product_document", "write_submission"]
