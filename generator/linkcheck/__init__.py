"""Evidence link health: bounded, polite, cached HTTP checks classified for people and CI."""

from generator.linkcheck.checker import CheckOptions, check_links
from generator.linkcheck.classify import USER_AGENT, LinkResult, Outcome

__all__ = ["USER_AGENT", "CheckOptions", "LinkResult", "Outcome", "check_links"]
