"""Evidence link health: bounded, polite, cached HTTP checks classified for people and CI."""

from typing import Any

from generator.linkhealth.classify import USER_AGENT, LinkResult, Outcome

__all__ = ["USER_AGENT", "CheckOptions", "LinkResult", "Outcome", "check_links"]


def __getattr__(name: str) -> Any:
    """The checker (httpx, asyncio) loads when used: the sites only read its results."""
    if name in ("CheckOptions", "check_links"):
        from generator.linkhealth import checker

        return getattr(checker, name)
    raise AttributeError(name)
