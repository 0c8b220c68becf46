"""Years of follow-up in a few minutes, to show the safety net catches every miss (issue 11 item 11).

`simulate(patients, years, seed)` puts patients across the three default protocols, then moves
frozen time on one day at a time. Each morning the daily sweep runs (twice on some days, as a
retried beat would); then the day's events happen through the same services staff, patients and
the lab feed use: results arrive, are reviewed and told; check-ins are answered; concerns are
triaged and closed; suspended pathways are reactivated. A share of those events, drawn from the
seed, never happens: a missed test, a late result, a result nobody reviews, one nobody tells,
a check-in nobody answers. Each such miss has a day by which the sweep's rules say it must be on
the worklist; the report counts how many were, within a day of that, and how many never were.

The caller runs this inside a transaction it rolls back (the command does): it writes to the
configured database like the portal does."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

import time_machine
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from followup.models import (
    OPEN_PATHWAY_STATUSES,
    CheckIn,
    Concern,
    ConcernStatus,
    FollowupLetter,
    Pathway,
    PathwayKind,
    PathwayStatus,
    Protocol,
    Result,
    SurveillanceTest,
    TestStatus,
    VersionStatus,
)
from followup.services import checkins, concerns, pathways, results, sweep
from followup.working_days import working_days_between
from portal.outbox.models import Notification
from portal.people.models import CareTeam, Organisation, Patient, Role, RoleAssignment, User
from portal.worklist.models import OPEN_STATUSES, Kind, WorkItem

TRIGGERS = ["A new lump or swelling", "Bleeding you cannot explain", "Pain that does not go away"]
# How often each kind of miss is injected (the rest of the time the event happens on time).
MISS_RATES = {"missed_test": 0.06, "late_result": 0.04, "unreviewed": 0.04, "untold": 0.04, "unanswered": 0.08}
ABNORMAL_RATE = 0.04
RED_FLAG_RATE = 0.02
REACTIVATE_AFTER_DAYS = 14
SWEEP_AT, DAY_AT = datetime.time(7, 15), datetime.time(10, 0)


@dataclass
class Miss:
    kind: str  # worklist kind that must surface it
    source_type: str
    source_id: str
    due_on: datetime.date  # the day the sweep's rule puts it on the worklist
    found_on: datetime.date | None = None
    void: bool = False  # its pathway ended first (discharged at the end of its window): nothing to chase


@dataclass
class World:
    rng: random.Random
    cns: dict = field(default_factory=dict)  # team pk -> staff user
    misses: list = field(default_factory=list)
    arrivals: dict = field(default_factory=dict)  # day -> [(test, sample day, abnormal, fate)]
    reviews: dict = field(default_factory=dict)  # day -> [(result pk, tell too?)]
    tells: dict = field(default_factory=dict)  # day -> [result pk]
    answers: dict = field(default_factory=dict)  # day -> [checkin pk]
    reactivations: dict = field(default_factory=dict)  # day -> [pathway pk]
    seen_checkins: set = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)


def _local(day, at) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _first_day_beyond_working_days(start: datetime.date, n: int) -> datetime.date:
    """The first day on which more than `n` working days have passed since `start` (the sweep's rule)."""
    day = start
    while working_days_between(start, day) <= n:
        day += datetime.timedelta(days=1)
    return day


def _people(world: World, count: int, start: datetime.date) -> list[Pathway]:
    trust = Organisation.objects.create(name="Simulation trust", ods_code="SIM01", kind=Organisation.Kind.TRUST)
    practice = Organisation.objects.create(
        name="Simulation surgery", ods_code="SIM02", kind=Organisation.Kind.GP_PRACTICE, email="gp@sim.invalid"
    )
    made = []
    protocols = list(Protocol.objects.filter(team__isnull=True).order_by("slug"))
    for site_index, protocol in enumerate(protocols):
        team = CareTeam.objects.create(
            organisation=trust, name=f"Simulation {protocol.tumour_site} team", tumour_site=protocol.tumour_site
        )
        cns = User.objects.create_user(email=f"cns.{protocol.tumour_site}@sim.invalid")
        RoleAssignment.objects.create(user=cns, role=Role.CNS, organisation=trust, team=team)
        world.cns[team.pk] = cns
        version = protocol.versions.get(status=VersionStatus.PUBLISHED)
        for i in range(site_index, count, len(protocols)):
            made.append(_stratified(world, cns, team, practice, version, i, start))
    return made


def _stratified(world, cns, team, practice, version, i, start) -> Pathway:
    rng = world.rng
    user = User.objects.create_user(email=f"patient.{i}@sim.invalid")
    patient = Patient.objects.create(
        nhs_number=_nhs_number(i),
        given_name="Sim",
        family_name=f"Patient {i}",
        date_of_birth=datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 30)),
        registered_practice=practice,
        user=user,
        # By turns: email, text message and post, so every way of telling a patient is exercised.
        preferred_contact=[Patient.Contact.EMAIL, Patient.Contact.SMS, Patient.Contact.POST][i % 3],
        email=f"patient.{i}@sim.invalid",
        mobile=f"07700900{i % 1000:03d}",
    )
    patient.care_teams.add(team)
    anchor = start - datetime.timedelta(days=rng.randrange(0, 30))
    kind = PathwayKind.PATIENT_INITIATED if rng.random() < 0.6 else PathwayKind.PROFESSIONAL_LED
    window = {}
    if kind == PathwayKind.PATIENT_INITIATED:
        months = rng.choice([12, 24, version.pifu_months or 60])
        window = {"pifu_start": anchor, "pifu_end": anchor + datetime.timedelta(days=round(months * 30.44))}
    return pathways.stratify(
        actor=cns,
        patient=patient,
        team=team,
        kind=kind,
        protocol_version=version,
        anchor_date=anchor,
        rationale="Simulated",
        trigger_symptoms=TRIGGERS,
        named_contact="The simulation CNS",
        team_phone="0113 496 0000",
        **window,
    )


def _nhs_number(i: int) -> str:
    """A valid NHS number in the 999 range (reserved for testing), one per simulated patient."""
    base = 999_500_000 + i * 13
    while True:
        digits = f"{base:09d}"
        check = 11 - sum(int(d) * (10 - n) for n, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)
        base += 1


def _plan_due_tests(world: World, day: datetime.date) -> None:
    """Decide what happens to each test falling due today: a result in a few days (normal or
    abnormal), a late one, or none at all."""
    rng = world.rng
    due = (
        SurveillanceTest.objects.filter(
            due_date=day, status__in=(TestStatus.SCHEDULED, TestStatus.REQUESTED), pathway__status=PathwayStatus.ACTIVE
        )
        .select_related("test_type", "pathway__patient")
        .order_by("pathway__patient__nhs_number", "test_type__code")
    )
    for test in due:
        world.counts["tests_due"] += 1
        fate = rng.random()
        if fate < MISS_RATES["missed_test"]:
            _expect(world, Kind.NO_RESULT, "followup.test", test.pk, day + _no_result_days())
            continue
        sample = day + datetime.timedelta(days=rng.randrange(0, 3))
        if fate < MISS_RATES["missed_test"] + MISS_RATES["late_result"]:
            arrive = day + datetime.timedelta(days=settings.FOLLOWUP_NO_RESULT_DAYS + rng.randrange(3, 20))
            _expect(world, Kind.NO_RESULT, "followup.test", test.pk, day + _no_result_days())
        else:
            arrive = sample + datetime.timedelta(days=rng.randrange(0, 5))
        world.arrivals.setdefault(arrive, []).append((test.pk, sample, rng.random() < ABNORMAL_RATE))


def _no_result_days() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FOLLOWUP_NO_RESULT_DAYS)


def _expect(world, kind, source_type, source_id, due_on) -> None:
    world.misses.append(Miss(kind, source_type, str(source_id), due_on))


def _results_arrive(world: World, day: datetime.date) -> None:
    rng = world.rng
    for test_pk, sample, abnormal in world.arrivals.pop(day, []):
        test = SurveillanceTest.objects.select_related("pathway__patient", "pathway__team", "test_type").get(pk=test_pk)
        if test.status not in (TestStatus.SCHEDULED, TestStatus.REQUESTED, TestStatus.MISSED):
            continue
        result = results.record_result(
            actor=world.cns[test.pathway.team_id],
            nhs_number=test.pathway.patient.nhs_number,
            test_code=test.test_type.code,
            sample_date=sample,
            source=Result.Source.API,
            value=8 if abnormal else 1,
            units=test.test_type.units,
            abnormal=abnormal,
            report_text="" if test.test_type.has_value else ("Abnormal" if abnormal else "Normal"),
        )
        world.counts["results"] += 1
        if result.test_id is None:
            world.counts["results_unmatched"] += 1
            continue
        fate = rng.random()
        if fate < MISS_RATES["unreviewed"]:
            review_by = _first_day_beyond_working_days(day, settings.FOLLOWUP_REVIEW_WORKING_DAYS)
            _expect(world, Kind.RESULT_TO_REVIEW, "followup.result", result.pk, review_by)
            continue
        reviewed_on = day + datetime.timedelta(days=rng.randrange(0, 2))
        world.reviews.setdefault(reviewed_on, []).append((result.pk, rng.random() >= MISS_RATES["untold"]))


def _reviews_and_tells(world: World, day: datetime.date) -> None:
    rng = world.rng
    for result_pk, tell in world.reviews.pop(day, []):
        result = Result.objects.select_related("test__pathway").get(pk=result_pk)
        pathway = result.test.pathway
        cns = world.cns[pathway.team_id]
        results.review(cns, result, note="Seen")
        world.counts["reviewed"] += 1
        if result.abnormal:
            world.counts["abnormal"] += 1
            back = day + datetime.timedelta(days=REACTIVATE_AFTER_DAYS)
            world.reactivations.setdefault(back, []).append(pathway.pk)
        if tell:
            told_on = day + datetime.timedelta(days=rng.randrange(0, 3))
            world.tells.setdefault(told_on, []).append(result_pk)
        else:
            tell_by = _first_day_beyond_working_days(day, settings.FOLLOWUP_TELL_WORKING_DAYS)
            _expect(world, Kind.RESULT_TO_TELL, "followup.result", result_pk, tell_by)
    for result_pk in world.tells.pop(day, []):
        result = Result.objects.select_related("test__pathway").get(pk=result_pk)
        results.tell(world.cns[result.test.pathway.team_id], result, Result.ToldHow.LETTER)
        world.counts["told"] += 1


def _checkins(world: World, day: datetime.date) -> None:
    """Check-ins the sweep sent today get an answer in a few days, or none at all."""
    rng = world.rng
    sent = CheckIn.objects.filter(sent_at__date=day).exclude(pk__in=world.seen_checkins).order_by("due_by", "pk")
    for checkin in sent.select_related("pathway__patient"):
        world.seen_checkins.add(checkin.pk)
        world.counts["checkins"] += 1
        if rng.random() < MISS_RATES["unanswered"]:
            _expect(
                world,
                Kind.CHECKIN_UNANSWERED,
                "followup.checkin",
                checkin.pk,
                checkin.due_by + datetime.timedelta(days=1),
            )
            continue
        answer_on = day + datetime.timedelta(days=rng.randrange(0, 10))
        world.answers.setdefault(answer_on, []).append(checkin.pk)
    for checkin_pk in world.answers.pop(day, []):
        checkin = CheckIn.objects.select_related("pathway__patient__user").get(pk=checkin_pk)
        if checkin.pathway.status not in OPEN_PATHWAY_STATUSES:
            continue
        red = rng.random() < RED_FLAG_RATE
        answers = {q: ("yes" if red and n == 0 else "no") for n, q in enumerate(checkins.questions(checkin))}
        checkins.answer_checkin(checkin.pathway.patient.user, checkin, answers)
        world.counts["checkins_answered"] += 1


def _concerns_and_reactivations(world: World, day: datetime.date) -> None:
    """The team triages every open concern the day it comes in, and closes it with advice."""
    for concern in Concern.objects.filter(status=ConcernStatus.OPEN).select_related("pathway").order_by("created_at"):
        cns = world.cns[concern.pathway.team_id]
        concerns.triage(cns, concern, concern.rating or "red", note="Called the patient")
        concerns.record_outcome(cns, concern, Concern.Outcome.ADVICE, note="Advice given")
        concerns.close(cns, concern)
        world.counts["concerns"] += 1
    for pathway_pk in world.reactivations.pop(day, []):
        pathway = Pathway.objects.get(pk=pathway_pk)
        if pathway.status == PathwayStatus.SUSPENDED:
            pathways.reactivate(actor=world.cns[pathway.team_id], pathway=pathway, reason="Stable after clinic")
            world.counts["reactivated"] += 1


def _look_for_misses(world: World, day: datetime.date) -> None:
    """After the morning sweep: which misses now due have an item on the worklist (open or done)."""
    waiting = [m for m in world.misses if not (m.found_on or m.void) and m.due_on <= day + datetime.timedelta(days=1)]
    if not waiting:
        return
    ids = {m.source_id for m in waiting}
    on_list = set(WorkItem.objects.filter(source_id__in=ids).values_list("kind", "source_type", "source_id"))
    ended = {str(pk) for pk in _ended(ids)}
    for miss in waiting:
        if (miss.kind, miss.source_type, miss.source_id) in on_list:
            miss.found_on = day
        elif miss.source_id in ended:
            miss.void = True


def _ended(ids) -> list:
    """Of these tests, results and check-ins, those whose pathway is no longer open."""
    closed = ~Q(pathway__status__in=OPEN_PATHWAY_STATUSES)
    return [
        *SurveillanceTest.objects.filter(closed, pk__in=ids).values_list("pk", flat=True),
        *CheckIn.objects.filter(closed, pk__in=ids).values_list("pk", flat=True),
        *Result.objects.filter(~Q(test__pathway__status__in=OPEN_PATHWAY_STATUSES), pk__in=ids).values_list(
            "pk", flat=True
        ),
    ]


def _without_next_step(day: datetime.date) -> int:
    """Open pathways with nothing ahead and nobody holding an item for them (NO_NEXT_STEP counts:
    it is the item that makes someone own the next step)."""
    future_test = SurveillanceTest.objects.filter(
        pathway=OuterRef("pk"), status__in=(TestStatus.SCHEDULED, TestStatus.REQUESTED), due_date__gte=day
    )
    open_item = WorkItem.objects.filter(patient=OuterRef("patient"), team=OuterRef("team"), status__in=OPEN_STATUSES)
    open_concern = Concern.objects.filter(
        pathway=OuterRef("pk"), status__in=(ConcernStatus.OPEN, ConcernStatus.TRIAGED)
    )
    window = Q(kind=PathwayKind.PATIENT_INITIATED, pifu_end__gte=day)
    return (
        Pathway.objects.filter(status__in=OPEN_PATHWAY_STATUSES)
        .exclude(window)
        .exclude(Exists(future_test))
        .exclude(Exists(open_item))
        .exclude(Exists(open_concern))
        .count()
    )


def _duplicates() -> tuple[int, int]:
    """Messages sent more often than they should be (a test's reminder once per lead time, anything
    else once), and items raised twice for one cause."""
    leads = 2  # a protocol version's first and second reminder
    allowed = {"followup.test_reminder": leads, FollowupLetter.Kind.REMINDER: leads}
    messages = Notification.objects.filter(template__startswith="followup.").values_list(
        "recipient", "template", "context"
    )
    letters = FollowupLetter.objects.values_list("patient", "kind", "context")
    duplicate_messages = sum(
        max(0, n - allowed.get(what, 1))
        for rows in (messages, letters)
        for (_, what, _), n in Counter(tuple(map(_hashable, row)) for row in rows).items()
    )
    items = (
        WorkItem.objects.exclude(kind=Kind.NO_NEXT_STEP)  # comes back while a pathway still has no next step
        .filter(source_type__startswith="followup.")
        .values("kind", "source_type", "source_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return duplicate_messages, sum(row["n"] - 1 for row in items)


def _hashable(value):
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def simulate(patients: int, years: int, seed: int, start: datetime.date | None = None) -> dict:
    world = World(rng=random.Random(seed))  # noqa: S311 - a simulation, not security
    start = start or timezone.localdate()
    days = round(years * 365.25)
    without_next_step = 0
    with time_machine.travel(_local(start, SWEEP_AT), tick=False) as clock:
        _people(world, patients, start)
        for n in range(days):
            day = start + datetime.timedelta(days=n)
            clock.move_to(_local(day, SWEEP_AT))
            sweep.run(day)
            if world.rng.random() < 0.1:
                sweep.run(day)  # a retried beat: nothing twice
            _look_for_misses(world, day)
            without_next_step += _without_next_step(day)
            clock.move_to(_local(day, DAY_AT))
            _plan_due_tests(world, day)
            _results_arrive(world, day)
            _reviews_and_tells(world, day)
            _checkins(world, day)
            _concerns_and_reactivations(world, day)
    last = start + datetime.timedelta(days=days - 1)
    # The sweep has had a day to see it, and its pathway had not ended before then.
    counted = [m for m in world.misses if m.due_on < last and not m.void]
    duplicate_reminders, duplicate_items = _duplicates()
    return {
        **dict(sorted(world.counts.items())),
        "patients": patients,
        "days": days,
        "seed": seed,
        "misses_injected": len(counted),
        "misses_void_pathway_ended": sum(1 for m in world.misses if m.void),
        "misses_by_kind": dict(Counter(m.kind for m in counted)),
        "misses_surfaced_within_1_day": sum(
            1 for m in counted if m.found_on and m.found_on <= m.due_on + datetime.timedelta(days=1)
        ),
        "misses_surfaced_late": sum(
            1 for m in counted if m.found_on and m.found_on > m.due_on + datetime.timedelta(days=1)
        ),
        "misses_never_surfaced": sum(1 for m in counted if m.found_on is None),
        # What to look at first when a run finds a hole in the net.
        "never_surfaced_examples": [
            {"kind": m.kind, "record": f"{m.source_type} {m.source_id}", "due_on": m.due_on.isoformat()}
            for m in counted
            if m.found_on is None
        ][:10],
        "duplicate_reminders": duplicate_reminders,
        "duplicate_items": duplicate_items,
        "patient_days_without_next_step": without_next_step,
    }
