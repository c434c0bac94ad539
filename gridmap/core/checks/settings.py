"""Check settings: tolerances, severities and which rules run.

They live in the plan's ``settings`` (string key/values stored in the project
file) under ``check.*`` keys; anything not set takes the default.

=============================  =========  ================================================
key                            default    meaning
=============================  =========  ================================================
``check.disabled``             (empty)    comma-separated rule ids that do not run
``check.enabled``              (empty)    rules that are off by default and do run (``place_no_person``)
``check.overlap_tol_m2``       0.01       overlaps up to this area are ignored
``check.gap_tol_m2``           0.01       gaps (and outside parts) up to this area are ignored
``check.sliver_width_m``       0.5        gaps/overlaps narrower than this are ``sliver``
``check.segment_tol_m``        1.0        segment length beyond its grid that is tolerated
``check.imbalance_pct``        50         workload deviation from the mean that is reported
``check.require.leader``       all        levels whose grids need a leader (all | lowest | none | keys)
``check.require.officer``      lowest     levels whose grids need an officer
``check.require.unit``         lowest     levels whose grids need a lead/responsible unit
``check.place_person_kinds``   小区,…     place kinds that need a responsible person (``place_no_person``)
``check.severity.RULE``        per rule   ``error`` or ``warning``
=============================  =========  ================================================

>>> s = CheckSettings.from_settings({"check.sliver_width_m": "0.2", "check.disabled": "no_phone, imbalance"})
>>> s.sliver_width_m, s.enabled("no_phone"), s.enabled("gap")
(0.2, False, True)
>>> CheckSettings().to_settings()["check.overlap_tol_m2"]
'0.01'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import RULES, SEVERITIES

__all__ = ["CheckSettings", "SettingsError"]


class SettingsError(ValueError):
    """A ``check.*`` setting has a value the checks cannot use."""


_FLOATS = {
    "overlap_tol_m2": "check.overlap_tol_m2",
    "gap_tol_m2": "check.gap_tol_m2",
    "sliver_width_m": "check.sliver_width_m",
    "segment_tol_m": "check.segment_tol_m",
    "imbalance_pct": "check.imbalance_pct",
}
_REQUIRE = {"leader": "all", "officer": "lowest", "unit": "lowest"}
# 小区 → 物业/楼长, 门前三包 shops → their owner
PLACE_PERSON_KINDS = ("小区", "门前三包", "商铺", "店铺", "商户", "沿街商铺")


@dataclass
class CheckSettings:
    """Tolerances and rule selection for one check run."""

    overlap_tol_m2: float = 0.01
    gap_tol_m2: float = 0.01
    sliver_width_m: float = 0.5
    segment_tol_m: float = 1.0
    imbalance_pct: float = 50.0
    disabled: frozenset = frozenset()
    enabled_extra: frozenset = frozenset()
    severity: dict = field(default_factory=dict)
    require: dict = field(default_factory=lambda: dict(_REQUIRE))
    place_person_kinds: tuple = PLACE_PERSON_KINDS

    def enabled(self, rule: str) -> bool:
        if rule in self.disabled:
            return False
        return RULES[rule].default_on or rule in self.enabled_extra if rule in RULES else True

    def severity_of(self, rule: str) -> str:
        return self.severity.get(rule, RULES[rule].default_severity)

    def required_levels(self, what: str, level_keys: list[str]) -> list[str]:
        """Level keys whose grids need a ``what`` (leader/officer/unit)."""
        spec = self.require.get(what, _REQUIRE[what]).strip()
        if spec in ("", "none"):
            return []
        if spec == "all":
            return list(level_keys)
        if spec == "lowest":
            return list(level_keys[-1:])
        if spec == "top":
            return list(level_keys[:1])
        return [k for k in (s.strip() for s in spec.split(",")) if k in level_keys]

    @classmethod
    def from_settings(cls, settings: dict | None) -> "CheckSettings":
        """Read ``check.*`` keys; a bad value raises :class:`SettingsError` naming the key."""
        settings = settings or {}
        out = cls()
        for attr, key in _FLOATS.items():
            if key in settings and str(settings[key]).strip() != "":
                try:
                    value = float(settings[key])
                except ValueError:
                    raise SettingsError(f"setting {key} = {settings[key]!r} is not a number") from None
                if value < 0:
                    raise SettingsError(f"setting {key} = {settings[key]!r} must not be negative")
                setattr(out, attr, value)
        dis = str(settings.get("check.disabled", "") or "")
        names = {s.strip() for s in dis.split(",") if s.strip()}
        unknown = names - set(RULES)
        if unknown:
            raise SettingsError(f"setting check.disabled names unknown rules: {', '.join(sorted(unknown))}")
        out.disabled = frozenset(names)
        on = {x.strip() for x in str(settings.get("check.enabled", "") or "").split(",") if x.strip()}
        if on - set(RULES):
            raise SettingsError(f"setting check.enabled names unknown rules: {', '.join(sorted(on - set(RULES)))}")
        out.enabled_extra = frozenset(on)
        if str(settings.get("check.place_person_kinds", "") or "").strip():
            out.place_person_kinds = tuple(k.strip() for k in str(settings["check.place_person_kinds"]).replace(
                "，", ",").split(",") if k.strip())
        for key, value in settings.items():
            if key.startswith("check.severity."):
                rule = key[len("check.severity."):]
                if rule not in RULES:
                    raise SettingsError(f"setting {key}: unknown rule {rule!r}")
                if value not in SEVERITIES:
                    raise SettingsError(f"setting {key} = {value!r}: use 'error' or 'warning'")
                out.severity[rule] = value
            elif key.startswith("check.require."):
                what = key[len("check.require."):]
                if what not in _REQUIRE:
                    raise SettingsError(f"setting {key}: unknown requirement {what!r} (leader, officer, unit)")
                out.require[what] = str(value)
        return out

    def to_settings(self) -> dict[str, str]:
        """The settings as ``check.*`` string key/values for the project file."""
        out = {key: f"{getattr(self, attr):g}" for attr, key in _FLOATS.items()}
        out["check.disabled"] = ",".join(sorted(self.disabled))
        out["check.enabled"] = ",".join(sorted(self.enabled_extra))
        out["check.place_person_kinds"] = ",".join(self.place_person_kinds)
        for what, spec in self.require.items():
            out[f"check.require.{what}"] = spec
        for rule, sev in self.severity.items():
            out[f"check.severity.{rule}"] = sev
        return out

