#!/usr/bin/env python
"""Benchmark of the attendance report parser on large Zoom and Teams exports.

Steps: build, in memory, a Zoom webinar attendee report of ``--attendees`` registrants (each
joining twice, one in ten a registered no-show, two custom registration questions) and a Teams
attendance report of as many participants (UTF-16, tab-separated, each with two in-meeting
activities), then time ``parse_attendance_report`` on each, ``--repeat`` times, and print the
median and the slowest time. Nothing touches a database; Django is set up only for its settings
(time zone, translations).

Usage (from the repository root)::

    .venv/bin/python bench/attendance_parse_bench.py
    .venv/bin/python bench/attendance_parse_bench.py --attendees 20000 --repeat 3
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import machine_description, setup_django  # noqa: E402

GOAL_SECONDS = 1.0


def zoom_report(attendees: int) -> bytes:
    lines = [
        "Attendee Report,",
        'Report Generated:,"11/20/2026 12:05:31 PM",',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers,",
        f'"Grand webinaire","812 3456 7890","11/20/2026 09:00:00 AM",120,{attendees},{attendees},',
        "Host Details,",
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,",
        "Yes,Équipe Virage,animation@virage.example,11/20/2026 09:00:00 AM,11/20/2026 11:00:00 AM,120,No,",
        "Attendee Details,",
        "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,"
        "Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,Organisation,Défi principal,",
    ]
    for number in range(attendees):
        person = f"Personne{number},Fictive,personne{number}@exemple.qc.ca,11/01/2026 09:00:00 AM,approved"
        if number % 10 == 9:
            lines.append(f"No,Personne{number} Fictive,{person},--,--,--,--,--,OBNL,--,")
            continue
        for join, leave, minutes in (("09:01:00", "09:41:00", 40), ("10:00:00", "10:20:00", 20)):
            lines.append(
                f"Yes,Personne{number} Fictive,{person},11/20/2026 {join} AM,11/20/2026 {leave} AM,{minutes},"
                f'Yes,Canada,OBNL,"Sauvegardes, site web",'
            )
    return ("\r\n".join(lines) + "\r\n").encode()


def teams_report(participants: int) -> bytes:
    lines = [
        "1. Summary",
        "Meeting title\tGrande rencontre",
        f"Attended participants\t{participants}",
        "Start time\t11/20/26, 9:00:00 AM",
        "End time\t11/20/26, 11:00:00 AM",
        "Meeting duration\t2h 0m 0s",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    ]
    activities = ["", "3. In-Meeting Activities", "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole"]
    for number in range(participants):
        name, email = f"Personne{number} Fictive", f"personne{number}@exemple.qc.ca"
        lines.append(f"{name}\t11/20/26, 9:01:00 AM\t11/20/26, 10:20:00 AM\t1h 0m 0s\t{email}\t{email}\tAttendee")
        activities.append(f"{name}\t11/20/26, 9:01:00 AM\t11/20/26, 9:41:00 AM\t40m 0s\t{email}\tAttendee")
        activities.append(f"{name}\t11/20/26, 10:00:00 AM\t11/20/26, 10:20:00 AM\t20m 0s\t{email}\tAttendee")
    return b"\xff\xfe" + ("\r\n".join(lines + activities) + "\r\n").encode("utf-16-le")


def measure(parse, data: bytes, repeat: int) -> tuple[list[float], int]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = parse(data)
        times.append(time.perf_counter() - started)
    return times, len(report.participants)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()

    # No query runs: the database named here is never opened.
    setup_django("sqlite:///:memory:")
    from virage.events.attendance_reports import parse_attendance_report

    machine = machine_description()
    print(f"Machine: {machine['cpus']} CPUs, {machine['cpu_model']}, Python {machine['python']}")
    print("| Report | Size | People | Median | Slowest |")
    print("|---|---:|---:|---:|---:|")
    for label, data in (
        (f"Zoom, {arguments.attendees:,} registrants", zoom_report(arguments.attendees)),
        (f"Teams, {arguments.attendees:,} participants", teams_report(arguments.attendees)),
    ):
        times, people = measure(parse_attendance_report, data, arguments.repeat)
        median, slowest = statistics.median(times), max(times)
        flag = "" if slowest < GOAL_SECONDS else f" (over the {GOAL_SECONDS:.0f} s goal)"
        print(f"| {label} | {len(data) / 1024:,.0f} KiB | {people:,} | {median:.3f} s | {slowest:.3f} s{flag} |")


if __name__ == "__main__":
    main()
