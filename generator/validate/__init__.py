"""``validate``: everything ``build`` relies on, checked without writing (a vendor's PR CI)."""
