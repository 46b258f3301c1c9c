"""Claims: from a sentence or an article to reported figures, checkable claims, verdicts and a ledger."""

from .article import Article, extract_figures, is_boilerplate, load_article
from .check import DEFAULT_MAX_DISTANCE_DAYS, MetricSource, SnapshotRef, StoreMetrics, check, check_claim
from .claimreview import to_claimreview, write_claimreview
from .ledger import Ledger, find_flags, open_ledger
from .model import Claim, ReportedFigure, SensitivityRow, Verdict, VerdictLabel
from .parse import analyse_sentence, parse_claim, parse_claims, parse_figures, to_claim, why_not_checkable
from .quantities import Quantity, extract_quantities, normalise_number
from .verdict import Tolerance, claim_error, combine, judge, label_for, tolerance_for

__all__ = [
    "DEFAULT_MAX_DISTANCE_DAYS",
    "Article",
    "Claim",
    "Ledger",
    "MetricSource",
    "Quantity",
    "ReportedFigure",
    "SensitivityRow",
    "SnapshotRef",
    "StoreMetrics",
    "Tolerance",
    "Verdict",
    "VerdictLabel",
    "analyse_sentence",
    "check",
    "check_claim",
    "claim_error",
    "combine",
    "extract_figures",
    "extract_quantities",
    "find_flags",
    "is_boilerplate",
    "judge",
    "label_for",
    "load_article",
    "normalise_number",
    "open_ledger",
    "parse_claim",
    "parse_claims",
    "parse_figures",
    "to_claim",
    "to_claimreview",
    "tolerance_for",
    "why_not_checkable",
    "write_claimreview",
]
