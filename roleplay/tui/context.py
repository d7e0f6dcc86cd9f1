"""What the TUI works with: preferences, content and the attempt store, loaded lazily (no Textual here)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roleplay.core.store.prefs import Prefs, clean_name, load_prefs, save_prefs


@dataclass
class TrainerContext:
    """Settings and shared resources of one TUI run; one instance per app, never a module global."""

    lang: str = "zh"
    trainee: str = ""
    employee_id: str = ""  # 工号, optional; stored with the name on every attempt
    mode: str = "practice"  # never remembered: a plain start is practice
    seed: int = 0
    scenario_paths: list[str] | None = None  # None: the shipped scenarios
    phrasebook_paths: list[str] | None = None
    db_url: str | None = None
    export_dir: Path = field(default_factory=lambda: Path("exports"))
    prefs_file: Path | None = None  # None: the default prefs file
    remember: bool = True  # write name/language/mode back to the prefs file
    store_enabled: bool = True
    time_limit_s: float | None = None  # per reply, assessment only
    assessment: Any = None  # the joined AssessmentSession, if any
    session_code: str | None = None  # join this session once the content is loaded (--session)
    owner: str = ""  # who this run is when it holds an attempt's lease (set on first use)
    _scenarios: list | None = None
    _phrasebook: Any = None
    _store: Any = None
    store_error: str | None = None
    # The start screen loads content and opens the store in a worker thread (first paint stays fast);
    # the lock makes those lazy loads happen once even when the UI thread asks at the same moment.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def from_prefs(cls, lang: str | None, default_lang: str, **kwargs: Any) -> TrainerContext:
        """Command-line values win over remembered preferences, which win over the locale."""
        prefs_file = kwargs.get("prefs_file")
        prefs = load_prefs(prefs_file) if kwargs.get("remember", True) else Prefs()
        ctx = cls(**kwargs)
        ctx.lang = lang or prefs.lang or default_lang
        ctx.trainee = clean_name(kwargs.get("trainee") or prefs.trainee)
        ctx.employee_id = kwargs.get("employee_id") or prefs.employee_id
        ctx.mode = kwargs.get("mode") or "practice"
        return ctx

    @property
    def locked(self) -> bool:
        """Assessment mode: no hints, debug view, phrasebook, history or per-turn feedback anywhere."""
        from roleplay.core.attempts.modes import coaching_allowed

        return not coaching_allowed(self.mode)

    def lease_owner(self) -> str:
        if not self.owner:
            from roleplay.core.store.leases import new_owner

            self.owner = new_owner()
        return self.owner

    def save(self) -> None:
        if self.remember:
            try:
                save_prefs(Prefs(self.trainee, self.lang, self.employee_id), self.prefs_file)
            except OSError:
                # Read-only home (kiosk, thin client): training goes on without remembering the name.
                pass

    @property
    def identity(self) -> str:
        """Who the attempts are recorded for: `名字 [工号]`, or the name alone when no 工号 was given."""
        from roleplay.core.attempts.identity import employee_id_problem, make_identity

        if not self.trainee:
            return ""
        employee_id = "" if employee_id_problem(self.employee_id) else self.employee_id
        return make_identity(self.trainee, employee_id).stored

    @property
    def loaded(self) -> bool:
        return self._scenarios is not None

    def scenarios(self) -> list:
        with self._lock:
            return self._load_scenarios()

    def _load_scenarios(self) -> list:
        if self._scenarios is None:
            from roleplay.core.scenario.library import discover_scenarios

            self._scenarios = discover_scenarios(self.scenario_paths)
        return self._scenarios

    def scenario(self, scenario_id: str):
        for scenario in self.scenarios():
            if scenario.id == scenario_id:
                return scenario
        from roleplay.core.scenario.library import find_scenario

        return find_scenario(scenario_id, self.scenario_paths)

    def phrasebook(self):
        with self._lock:
            if self._phrasebook is None:
                from roleplay.core.phrasebook.book import load_phrasebook

                self._phrasebook = load_phrasebook(*(self.phrasebook_paths or []))
            return self._phrasebook

    def store(self):
        """The attempt store, or None (with store_error set) when it cannot be opened."""
        with self._lock:
            if self._store is None and self.store_enabled and self.store_error is None:
                try:
                    from roleplay.core.store import open_store

                    self._store = open_store(self.db_url)
                except Exception as exc:  # noqa: BLE001 - any driver/migration failure; shown, not swallowed
                    self.store_error = f"{type(exc).__name__}: {exc}"
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
