"""The canonical evidence tree: every output (site, JUnit, PRODUCT.yaml) is a view of it."""
