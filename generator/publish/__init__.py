"""``publish``: the built site into a pages branch under an immutable, versioned path."""

from generator.publish.pages import Published, publish

__all__ = ["Published", "publish"]
