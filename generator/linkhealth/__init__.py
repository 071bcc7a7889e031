"""Evidence link health: bounded, polite, cached HTTP checks classified for people and CI."""

from generator.linkhealth.checker import CheckOptions, check_links
from generator.linkhealth.classify import USER_AGENT, LinkResult, Outcome

__all__ = ["USER_AGENT", "CheckOptions", "LinkResult", "Outcome", "check_links"]
