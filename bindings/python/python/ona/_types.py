"""The value sets of ona's string arguments as ``Literal`` types, for type checkers and readers.

Each list is the core's own (the tests compare them with ``_ona.indicator_ids()``,
``_ona.dimension_ids()``, ``_ona.codes("national_id_type")`` and the languages of the
standard), so a type checker refuses a misspelt ``kind``, ``lang``, ``by`` or indicator before the
call is made. At run time the core checks them again and raises ``ValueError`` (or
:class:`ona.ReportError` for report options) naming the bad value.

Each set is written as a ``Union`` of one-value ``Literal`` types — the same type for mypy as
``Literal["a", "b"]`` — because ``mypy.stubtest`` expects a union alias to be a ``Union`` at
run time. ``values(Lang)`` lists a set's values.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence, Tuple, Union, get_args

Lang = Union[
    Literal["en"],
    Literal["ru"],
    Literal["kk"],
    Literal["uz"],
    Literal["uk"],
    Literal["ms"],
    Literal["tr"],
]
"""A language of the standard's labels and messages."""

IdentifierKind = Union[
    Literal["text"],
    Literal["name"],
    Literal["document"],
    Literal["national_id:KZ_IIN"],
    Literal["national_id:UZ_PINFL"],
    Literal["national_id:KG_PIN"],
    Literal["national_id:UA_RNOKPP"],
    Literal["national_id:MY_MYKAD"],
    Literal["national_id:TR_TCKN"],
]
"""How an identifier is canonicalised before it is pseudonymised: ``text`` (any identifier),
``name`` (names across Cyrillic and Latin scripts), ``document``, or ``national_id:<type>``
(a number that fails its checks gives null)."""

Errors = Union[
    Literal["null"],
    Literal["raise"],
]
"""What ``pseudonymise_many`` does with a value that has no canonical form."""

Dimension = Union[
    Literal["country"],
    Literal["admin1"],
    Literal["centre"],
    Literal["month"],
    Literal["quarter"],
    Literal["year"],
    Literal["mother_age"],
    Literal["child_age"],
    Literal["referral_source"],
    Literal["risk_factor"],
    Literal["service_type"],
    Literal["outcome"],
]
"""A breakdown dimension of a report (``by=``)."""

Period = Union[
    Literal["month"],
    Literal["quarter"],
    Literal["year"],
]
"""The period dimensions of a report."""

By = Union[str, Sequence[Dimension]]
"""``by=`` of a report: a sequence of dimensions (typed), or their comma-separated text."""

Indicator = Union[
    Literal["women_served"],
    Literal["children_served"],
    Literal["admissions"],
    Literal["exits"],
    Literal["exit_children"],
    Literal["with_mother_at_exit"],
    Literal["share_with_mother_at_exit"],
    Literal["length_of_stay_mean"],
    Literal["length_of_stay_median"],
    Literal["followup_6m_due"],
    Literal["followup_6m_with_mother"],
    Literal["followup_6m_lost"],
    Literal["share_with_mother_6m"],
    Literal["followup_12m_due"],
    Literal["followup_12m_with_mother"],
    Literal["followup_12m_lost"],
    Literal["share_with_mother_12m"],
    Literal["intent_exits"],
    Literal["relinquishment_prevented"],
    Literal["share_relinquishment_prevented"],
    Literal["baby_home_exits"],
    Literal["reunified_from_baby_home"],
    Literal["share_reunified_from_baby_home"],
    Literal["services_delivered"],
    Literal["referrals"],
    Literal["risk_assessed"],
    Literal["risk_factor_cases"],
    Literal["risk_prevalence"],
    Literal["placement_at_exit"],
]
"""A report indicator."""

Backend = Union[
    Literal["pandas"],
    Literal["polars"],
]
"""The DataFrame library of a function that returns a frame."""

Content = Union[
    Literal["cases"],
    Literal["report"],
]
"""The content type of a sealed export."""


def values(alias: Any) -> Tuple[str, ...]:
    """The values of one of the sets above, in order: ``values(Lang) == ("en", "ru", …)``."""
    return tuple(v for member in get_args(alias) for v in (get_args(member) or (member,)))
