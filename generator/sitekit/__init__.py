"""The mkdocs kit both sites share: escaping, templates, mkdocs build, internal link check."""
