"""The printed side of `tracelot bench`: the table of scales and the issue's targets."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, pgettext
from rich.console import Console
from rich.markup import escape
from rich.table import Table

TARGET_LOTS = 1_000_000


@dataclass(frozen=True)
class Target:
    label: str
    measured: str
    met: bool


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _pair(timing: dict[str, float]) -> str:
    return f"{_ms(timing['median'])} / {_ms(timing['p95'])}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}x"


def _wide(wide: dict[str, Any] | None) -> str:
    if not wide:
        return "—"
    return (
        f"{wide['reached']:,}, {_ms(wide['forward_ms']['median'])}, "
        f"{_times(wide['forward_vs_orm'])}"
    )


def scales_table(entries: list[dict[str, Any]]) -> Table:
    """One row per scale: the engine, both baselines, the ratios and the recording speed."""
    table = Table(title=gettext("Trace and recording benchmark (milliseconds: median / p95)"))
    for header in (
        gettext("Lots"),
        gettext("Database"),
        gettext("Backward trace"),
        gettext("Forward trace"),
        gettext("Lots reached forward"),
        gettext("Widest forward: lots, ms, x ORM"),
        gettext("ORM per level back / fwd"),
        gettext("Memory BFS back / fwd"),
        gettext("Faster than ORM fwd / back"),
        gettext("Events/s single / batch"),
    ):
        table.add_column(header, justify="right")
    for entry in entries:
        orm, memory = entry["baselines"]["orm_per_level"], entry["baselines"]["memory_bfs"]
        record = entry["record_events_per_s"]
        table.add_row(
            f"{entry['lots']:,}",
            entry["database"],
            _pair(entry["backward_ms"]),
            _pair(entry["forward_ms"]),
            f"{entry['forward_reached']:,}",
            _wide(entry.get("wide_forward")),
            f"{_ms(orm['backward_ms']['median'])} / {_ms(orm['forward_ms']['median'])}",
            f"{_ms(memory['backward_ms']['median'])} / {_ms(memory['forward_ms']['median'])}",
            f"{_times(entry['ratios']['forward_vs_orm'])} / "
            f"{_times(entry['ratios']['backward_vs_orm'])}",
            f"{_rate(record['single'])} / {_rate(record['batch'])}",
        )
    return table


def targets(entry: dict[str, Any]) -> list[Target]:
    """The issue's four targets, judged on one scale's entry."""
    forward_ratio = entry["ratios"]["forward_vs_orm"]
    batch = entry["record_events_per_s"]["batch"]
    # The widest trace stands for "a forward trace reaching 10,000 lots" when there is one.
    wide = entry.get("wide_forward") or {
        "forward_ms": entry["forward_ms"],
        "reached": entry["forward_reached"],
    }
    return [
        Target(
            gettext("Backward trace of a finished lot under 10 ms"),
            f"{_ms(entry['backward_ms']['median'])} ms",
            entry["backward_ms"]["median"] < 10,
        ),
        Target(
            gettext("Forward trace reaching 10,000 lots under 300 ms"),
            gettext("%(ms)s ms, %(reached)s lots reached")
            % {
                "ms": _ms(wide["forward_ms"]["median"]),
                "reached": f"{wide['reached']:,}",
            },
            wide["forward_ms"]["median"] < 300 and wide["reached"] >= 10_000,
        ),
        Target(
            gettext("Forward traces 30x faster than the ORM per level"),
            gettext("%(sampled)s on sampled raw lots, %(wide)s on the widest")
            % {"sampled": _times(forward_ratio), "wide": _times(wide.get("forward_vs_orm"))},
            forward_ratio is not None and forward_ratio >= 30,
        ),
        Target(
            gettext("At least 10,000 events/s recorded in batches"),
            _rate(batch),
            batch is not None and batch >= 10_000,
        ),
        *_page_targets(entry),
        *_incident_targets(entry),
    ]


def _incident_targets(entry: dict[str, Any]) -> list[Target]:
    found = []
    scope, contained = entry.get("incident_scope_ms"), entry.get("containment_ms")
    if scope and contained:
        found += [
            Target(
                gettext("An incident's scope in under 1 s"),
                gettext("%(ms)s ms, %(lots)s lots")
                % {"ms": _ms(scope["median"]), "lots": f"{scope['lots']:,}"},
                bool(scope["under_target"]),
            ),
            Target(
                gettext("Containment of every in-plant lot in under 5 s"),
                gettext("%(ms)s ms, %(held)s lots put on hold")
                % {"ms": _ms(contained["median"]), "held": f"{contained['held']:,}"},
                bool(contained["under_target"]),
            ),
        ]
    recall = entry.get("mock_recall_ms")
    if recall:
        found.append(
            Target(
                gettext("A mock recall with its report in under 10 s"),
                gettext("%(ms)s ms, %(lots)s lots, %(customers)s customers")
                % {
                    "ms": _ms(recall["median"]),
                    "lots": f"{recall['lots']:,}",
                    "customers": recall["customers"],
                },
                bool(recall["under_target"]),
            )
        )
    causes = entry.get("causes_ms")
    if not causes:
        return found
    return [
        *found,
        Target(
            gettext("Likely causes over a month of failed lots in under 2 s"),
            gettext("%(ms)s ms, %(failed)s failed and %(passed)s passed lots")
            % {
                "ms": _ms(causes["median"]),
                "failed": f"{causes['failed']:,}",
                "passed": f"{causes['passed']:,}",
            },
            bool(causes["under_target"]),
        ),
    ]


def scan_targets(entry: dict[str, Any]) -> list[Target]:
    """The scan bar judged at one station and with every station scanning at once."""
    found = []
    scans = entry.get("scan_ms")
    if scans:
        found.append(
            Target(
                gettext("A scan answers in under 50 ms (p95)"),
                f"{_ms(scans['all_ms']['median'])} / {_ms(scans['all_ms']['p95'])} ms",
                bool(scans["under_target"]),
            )
        )
    stations = entry.get("stations_ms")
    if stations:
        found.append(
            Target(
                gettext(
                    "%(stations)s stations at once, a scan a second each: a scan answers in "
                    "under 50 ms (p95)"
                )
                % {"stations": stations["stations"]},
                gettext("%(median)s / %(p95)s ms, %(rate)s scans/s")
                % {
                    "median": _ms(stations["all_ms"]["median"]),
                    "p95": _ms(stations["all_ms"]["p95"]),
                    "rate": _rate(stations["scans_per_s"]),
                },
                bool(stations["under_target"]),
            )
        )
    return found


def _page_targets(entry: dict[str, Any]) -> list[Target]:
    found = scan_targets(entry)
    pages = entry.get("pages_ms")
    if not pages or not pages["pages"]:
        return found
    name, slowest = max(pages["pages"].items(), key=lambda item: item[1]["median"])
    return [
        *found,
        Target(
            gettext("Every page renders in under 300 ms on the server"),
            gettext("slowest: %(page)s, %(ms)s ms") % {"page": name, "ms": _ms(slowest["median"])},
            bool(pages["under_target"]),
        ),
    ]


def scans_table(entries: list[dict[str, Any]]) -> Table | None:
    """Scan-to-answer per scale: one station, then every station at once, accepted and refused."""
    rows = []
    for entry in entries:
        single, stations = entry.get("scan_ms"), entry.get("stations_ms")
        flat_out = entry.get("stations_back_to_back_ms")
        # One station calls the capture service; the stations post to the scan page's view.
        if single:
            rows.append((entry, gettext("1 station, service call"), single, None))
        if stations:
            label = gettext("%(stations)s stations, a scan a second each, scan page") % {
                "stations": stations["stations"]
            }
            rows.append((entry, label, stations, stations["scans_per_s"]))
        if flat_out:
            label = gettext("%(stations)s stations back to back (capacity), scan page") % {
                "stations": flat_out["stations"]
            }
            rows.append((entry, label, flat_out, flat_out["scans_per_s"]))
    if not rows:
        return None
    table = Table(title=gettext("Scan to answer (milliseconds: median / p95 / max)"))
    for header in (
        gettext("Lots"),
        gettext("Database"),
        gettext("Stations"),
        gettext("Scans"),
        gettext("Accepted"),
        gettext("Refused"),
        gettext("All"),
        gettext("Scans/s"),
    ):
        table.add_column(header, justify="right")
    for entry, label, scans, rate in rows:
        table.add_row(
            f"{entry['lots']:,}",
            entry["database"],
            label,
            f"{scans['scans']:,}",
            _triple(scans["accepted_ms"]),
            _triple(scans["refused_ms"]),
            _triple(scans["all_ms"]),
            _rate(rate),
        )
    return table


def _triple(timing: dict[str, float]) -> str:
    highest = timing.get("max")
    return _pair(timing) + (" / —" if highest is None else f" / {_ms(highest)}")


def stations_problems(entries: list[dict[str, Any]]) -> list[str]:
    """What went wrong at the stations: failed requests, answers not planned, lost events."""
    problems = []
    for entry in entries:
        for stations in (entry.get("stations_ms"), entry.get("stations_back_to_back_ms")):
            problems.extend(_station_problems(entry, stations))
    return problems


def _station_problems(entry: dict[str, Any], stations: dict[str, Any] | None) -> list[str]:
    if not stations:
        return []
    problems = []
    lots = f"{entry['lots']:,}"
    if stations["errors"]:
        problems.append(
            gettext("%(lots)s lots: scans failed at the stations: %(count)s, first: %(error)s")
            % {"lots": lots, "count": stations["errors"], "error": stations["first_error"]}
        )
    if stations["unexpected"]:
        problems.append(
            gettext("%(lots)s lots: scans answered otherwise than planned: %(count)s.")
            % {"lots": lots, "count": stations["unexpected"]}
        )
    if stations["recorded_events"] != stations["accepted"]:
        problems.append(
            gettext("%(lots)s lots: %(recorded)s consumptions for %(accepted)s scans accepted.")
            % {
                "lots": lots,
                "accepted": stations["accepted"],
                "recorded": stations["recorded_events"],
            }
        )
    return problems


def targets_table(entries: list[dict[str, Any]]) -> Table:
    """The targets on the largest scale, flagged when that scale is under 1,000,000 lots."""
    largest = max(entries, key=lambda entry: entry["lots"])
    title = gettext("Targets at %(lots)s lots (%(database)s)") % {
        "lots": f"{largest['lots']:,}",
        "database": largest["database"],
    }
    if largest["lots"] < TARGET_LOTS or largest["database"] != "sqlite":
        title += " — " + gettext("the targets are set for 1,000,000 lots on SQLite")
    table = Table(title=title)
    table.add_column(gettext("Target"))
    table.add_column(gettext("Measured (median)"), justify="right")
    table.add_column(gettext("Met"))
    for target in targets(largest):
        # Outside the f-string: makemessages does not read calls inside one.
        met = pgettext("target met", "yes") if target.met else pgettext("target met", "no")
        table.add_row(
            target.label, target.measured, f"[{'green' if target.met else 'red'}]{met}[/]"
        )
    return table


def render(entries: list[dict[str, Any]], *, width: int = 160) -> str:
    """Both tables as text, with colour only when writing to a terminal."""
    console = Console(width=width)
    with console.capture() as capture:
        console.print(scales_table(entries))
        scans = scans_table(entries)
        if scans is not None:
            console.print(scans)
        console.print(targets_table(entries))
        server = max(entries, key=lambda entry: entry["lots"]).get("server_settings")
        if server:
            shown = ", ".join(f"{name}={value}" for name, value in sorted(server.items()))
            console.print(gettext("PostgreSQL settings: %(settings)s") % {"settings": shown})
        for problem in stations_problems(entries):
            console.print(f"[red]{escape(problem)}[/]")
        mismatched = [lot for entry in entries for lot in entry["agreement"]["mismatched_lots"]]
        if mismatched:
            console.print(
                "[red]"
                + gettext("The baselines disagree with the engine on lots %(ids)s.")
                % {"ids": ", ".join(map(str, mismatched[:10]))}
                + "[/]"
            )
    return capture.get()
