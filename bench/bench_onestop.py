"""One-stop desk: the Decision 766 report and the citizen look-up over 1,000,000 dossiers, and
receipts per second through the API under 8 concurrent clients — each against a baseline
measured in the same run.

``onestop`` (SQLite or PostgreSQL) generates about 50,000 dossiers with the demo's own
generator (``gandan.onestop.demo._dossiers`` at scale 0.28: July 2025 and the last 90 days of
Huế's 40 desks, with ratings), then copies them with ``INSERT … SELECT`` until the table holds
at least 1,000,000 dossiers: copy *k* gets new ids, the code suffixed ``~k`` and every instant
moved back by *k* × 4 weeks (whole weeks, so a Monday morning stays a Monday morning and the
desk's volume stays Huế's real ≈ 45,000 a month); ratings are copied with their dossiers.
Dossiers still open today are not copied (a copy would stay open for months, which no desk
does), nor their events, documents, supplements or apologies, which neither the report nor the
look-up reads. Then ``ANALYZE`` (PostgreSQL: ``VACUUM ANALYZE``), and:

1. ``onestop_report`` for the province and for its busiest commune over the last 90 days,
   beside :data:`REPORT_SQL`, one query written by hand for the same figures by commune
   (received, finished, handled, open, on time, online, digitised, reused, complaints, hours,
   ratings), after checking that every commune's figures are equal;
2. the look-up: ``dossier_lookup(code, digits)`` and the public page (``POST
   /dossiers/lookup/`` with ``code`` and ``digits`` — a GET only fills the form), through
   Django's test client in-process, each request from its own ``REMOTE_ADDR`` (the page allows
   10 attempts a minute per address) — beside one hand-written ``SELECT`` by code and keyed
   hash; hits (the original dossiers, the last four digits of the ID or phone) and misses (a
   real code with wrong digits, or a code that does not exist) alternate.

``onestop_receipts`` (PostgreSQL only) serves gandan with granian (2 workers × 4 threads, as
``gandan serve`` does) and sends ``POST /api/v1/dossiers/`` over real HTTP from 8 client
threads, each with its own keep-alive connection and API token (8 province specialists);
half of the receipts go to one hot commune (one day counter row that every receipt locks
until it commits), the rest to 7 others; every 10th request retries one of the client's earlier
Idempotency-Keys. Real HTTP, not the test client in threads: in one process the threads would
share one interpreter lock, and the figure would be Python's, not the server's. Two baselines
follow each round, in rotating order with the floor below, from 8 threads, each its own
connection: "the same rows" — every row the API wrote in the round (other codes and keys),
written with plain statements, one transaction a receipt: the day's counter (``INSERT … ON
CONFLICT``), the dossier, its documents and its event; and, as before, the dossier rows alone,
one ``INSERT`` a transaction. Three floors through the same server and clients: the same rows
again, each receipt POSTed as JSON to ``/bench/same-rows/`` (``bench/receipts_floor.py``, a
Django view behind gandan's middleware that runs the same statements and nothing else — what
any Django endpoint writing these rows costs); the same rows POSTed with the client's token to
``/bench/same-rows-api/``, the same statements behind Django REST framework with gandan's API
settings (token authentication, signed-in permission, DRF's parser and renderer — what any
``/api/v1/`` endpoint writing these rows costs); and as many ``GET /healthz`` (no
authentication, no query) — the floor of any request. Afterwards: no duplicate code, every code answered exists,
one dossier per distinct key, every retry answered 200 with its first code, and each unit's
numbers for the day run 1, 2, 3 … with no gap, up to its counter.

On PostgreSQL both sides run with ``jit = off`` (see "Households and the poverty report" in
docs/performance.md: compiling costs more than it saves at this size).
"""

from __future__ import annotations

from bench.common import Result, run_in_fresh_database

# The Decision 766 figures by commune over [begin, end) as a person would write them: the
# dossiers that can count (received before the end; not finished, or closed, before the
# start), one pass with a flag per figure, the ratings given in the period, and every commune
# of the scope with both. ``{unit_where}`` narrows to one commune.
REPORT_SQL = """
WITH units AS (
  SELECT u.id, u.code, u.name FROM geo_unit u
  WHERE {units_where}
    AND (u.valid_from IS NULL OR u.valid_from <= %(on)s)
    AND (u.valid_to IS NULL OR u.valid_to >= %(on)s)
), flags AS (
  SELECT d.unit_id, d.channel, d.reused, d.complaint, d.handling_hours,
    d.digitised AND d.result_electronic AS digital,
    d.received_at >= %(begin)s AS is_received,
    d.finished_at >= %(begin)s AND d.finished_at < %(end)s AS is_finished,
    d.finished_at <= d.due_at AS finished_in_time,
    d.due_at >= %(cut)s AS due_after_cut,
    d.supplement_count <= 1 AS few_supplements,
    (d.finished_at IS NULL OR d.finished_at >= %(end)s)
      AND NOT (d.status IN (3, 7, 8, 10) AND d.closed_at IS NOT NULL AND d.closed_at < %(end)s
               AND d.finished_at IS NULL) AS open_at_end
  FROM onestop_dossier d
  WHERE d.province_code = %(province)s {unit_where}
    AND d.received_at < %(end)s
    AND (d.finished_at >= %(begin)s
         OR (d.finished_at IS NULL AND (d.closed_at IS NULL OR d.closed_at >= %(begin)s)))
), figures AS (
  SELECT unit_id,
    SUM(CASE WHEN is_received THEN 1 ELSE 0 END) AS received,
    SUM(CASE WHEN is_received AND channel = 2 THEN 1 ELSE 0 END) AS online,
    SUM(CASE WHEN is_received AND reused THEN 1 ELSE 0 END) AS reused,
    SUM(CASE WHEN is_finished THEN 1 ELSE 0 END) AS finished,
    SUM(CASE WHEN is_finished AND digital THEN 1 ELSE 0 END) AS digitised,
    SUM(CASE WHEN is_finished OR open_at_end THEN 1 ELSE 0 END) AS handled,
    SUM(CASE WHEN few_supplements AND ((is_finished AND finished_in_time)
                                       OR (open_at_end AND due_after_cut)) THEN 1 ELSE 0 END)
      AS on_time,
    SUM(CASE WHEN (is_finished OR open_at_end) AND complaint THEN 1 ELSE 0 END) AS complaints,
    SUM(CASE WHEN open_at_end THEN 1 ELSE 0 END) AS open,
    SUM(CASE WHEN is_finished THEN handling_hours END) AS hours
  FROM flags GROUP BY unit_id
), ratings AS (
  SELECT d.unit_id, COUNT(*) AS count, AVG(r.average) AS average
  FROM onestop_rating r JOIN onestop_dossier d ON d.id = r.dossier_id
  WHERE r.rated_at >= %(begin)s AND r.rated_at < %(end)s
    AND d.province_code = %(province)s {unit_where}
  GROUP BY d.unit_id
)
SELECT u.code, f.received, f.online, f.reused, f.finished, f.digitised, f.handled, f.on_time,
  f.complaints, f.open, f.hours, r.count, r.average
FROM units u LEFT JOIN figures f ON f.unit_id = u.id LEFT JOIN ratings r ON r.unit_id = u.id
ORDER BY u.name
"""
FIGURES = (
    "received",
    "online",
    "reused",
    "finished",
    "digitised",
    "handled",
    "on_time",
    "complaints",
    "open",
    "hours",
)

LOOKUP_SQL = """
SELECT d.id, d.code, d.status, d.submitted_at, d.received_at, d.appointment_at, d.step_order,
  u.name, p.name
FROM onestop_dossier d
JOIN geo_unit u ON u.id = d.unit_id
JOIN onestop_procedureversion v ON v.id = d.version_id
JOIN onestop_procedure p ON p.id = v.procedure_id
WHERE d.code = %s AND (d.lookup_id_key = %s OR d.lookup_phone_key = %s)
"""

_SCRIPT = r"""
import datetime as dt, json, math, random, statistics, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test import Client
from django.utils import timezone
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # pages rendered as in production
from bench.bench_onestop import FIGURES, LOOKUP_SQL, REPORT_SQL
from gandan.core.demo import DemoContext
from gandan.core.rules import load_all
from gandan.geo.models import REFORM_DATE, Level, Unit
from gandan.geo.services import units_load
from gandan.onestop import demo
from gandan.onestop.models import Dossier, Rating
from gandan.onestop.selectors import Figures, children_of, dossier_lookup, onestop_report, period_bounds
from gandan.onestop.services import lookup_key
from tqdm import tqdm

repeat, target, scale = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
postgres = connection.vendor == "postgresql"
units_load(); load_all()

def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount

started = time.perf_counter()
demo._dossiers(DemoContext(scale=scale, seed=46, out=sys.stderr), tqdm(disable=True))
generated = time.perf_counter() - started
generated_count = Dossier.objects.count()
top = Dossier.objects.aggregate(top=Max("pk"))["top"]

# Copies: new ids, codes suffixed ~k, every instant k × 4 weeks earlier; open dossiers stay out.
INSTANTS = {"submitted_at", "received_at", "starts_at", "due_at", "appointment_at", "paused_at",
            "finished_at", "returned_at", "closed_at", "created_at", "updated_at"}
def shifted(column, days):
    if postgres:
        return f"{column} - interval '{days} days'"
    # Django's text (decision 0002): whole seconds, then the microseconds if the value has them.
    return f"datetime({column}, '-{days} days') || substr({column}, 20)"
def columns(model):
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]
closed = "NOT (finished_at IS NULL AND closed_at IS NULL AND received_at IS NOT NULL)"
with connection.cursor() as cursor:
    cursor.execute(f"SELECT COUNT(*) FROM onestop_dossier WHERE id <= %s AND {closed}", [top])
    per_copy = cursor.fetchone()[0]
copies = math.ceil((target - generated_count) / per_copy)
started = time.perf_counter()
for k in range(1, copies + 1):
    days = 28 * k
    with transaction.atomic():
        names = columns(Dossier)
        select = ", ".join(
            f"code || '~{k}'" if c == "code" else shifted(c, days) if c in INSTANTS else c
            for c in names)
        execute(f"INSERT INTO onestop_dossier ({', '.join(names)}) SELECT {select} "
                f"FROM onestop_dossier WHERE id <= %s AND {closed}", [top])
        names = columns(Rating)
        select = ", ".join("n.id" if c == "dossier_id" else shifted(f"r.{c}", days) if c == "rated_at"
                           else f"r.{c}" for c in names)
        execute(f"INSERT INTO onestop_rating ({', '.join(names)}) SELECT {select} "
                "FROM onestop_rating r JOIN onestop_dossier o ON o.id = r.dossier_id "
                f"JOIN onestop_dossier n ON n.code = o.code || '~{k}' WHERE o.id <= %s", [top])
copied = time.perf_counter() - started
execute("VACUUM ANALYZE" if postgres else "ANALYZE")
if postgres:
    execute("SET jit = off")
total = Dossier.objects.count()

def alternate(*functions, runs):
    # Medians of runs that alternate, so a change in the machine's load falls on both sides.
    samples = [[] for _ in functions]
    for f in functions:
        f()
    for _ in range(runs):
        for f, taken in zip(functions, samples):
            t = time.perf_counter(); f(); taken.append((time.perf_counter() - t) * 1000)
    return [statistics.median(taken) for taken in samples]

now = timezone.now()
today = timezone.localdate(now)
start, end = today - dt.timedelta(days=89), today
begin, stop = period_bounds(start, end)
adapt = connection.ops.adapt_datetimefield_value
province = Unit.objects.get(province_code="46", level=Level.PROVINCE, valid_from=REFORM_DATE)
busiest = (Dossier.objects.filter(received_at__gte=begin).values("unit_id")
           .annotate(n=Count("pk")).order_by("-n").first()["unit_id"])
commune = Unit.objects.get(pk=busiest)
KEYS = ("received", "finished", "handled", "open", "on_time", "late", "online", "online_rate",
        "digitisation_rate", "reuse_rate", "average_days", "complaints", "satisfaction")

def by_hand(unit):
    one = unit.level != Level.PROVINCE
    sql = REPORT_SQL.format(
        units_where="u.id = %(unit)s" if one else "u.province_code = %(province)s AND u.level = 'commune'",
        unit_where="AND d.unit_id = %(unit)s" if one else "")
    params = {"on": connection.ops.adapt_datefield_value(min(end, today)), "begin": adapt(begin), "end": adapt(stop), "cut": adapt(min(stop, now)),
              "province": unit.province_code, "unit": unit.pk}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()

def report_case(unit):
    def report():
        return onestop_report(unit=unit, start=start, end=end, now=now)
    def raw():
        return by_hand(unit)
    data, rows = report(), raw()
    assert [r["unit"] for r in data["by_unit"]] == [r[0] for r in rows], "communes differ"
    for mine, row in zip(data["by_unit"], rows):
        f = Figures(**{k: (v or 0) for k, v in zip(FIGURES, row[1:11])})
        expected = f.as_dict()
        assert {k: mine[k] for k in KEYS} == {k: expected[k] for k in KEYS}, (mine, expected)
        rating = None if not row[11] else {"count": row[11], "average": round(row[12], 2)}
        assert mine["rating"] == rating, (mine["rating"], rating)
    gandan_ms, raw_ms = alternate(report, raw, runs=repeat)
    return {"gandan": gandan_ms, "raw": raw_ms, "communes": len(rows),
            "figures": {k: data[k] for k in ("received", "finished", "handled", "on_time", "late", "online")}}

province_case = report_case(province)
commune_case = report_case(commune)

# Look-up: hits on generated dossiers (their keys were made for their codes), misses by wrong
# digits and by codes that do not exist.
rng = random.Random(46)
client = Client(HTTP_HOST="127.0.0.1")
ids = rng.sample(range(1, top + 1), k=min(top, 800))
originals = [d for d in Dossier.objects.filter(pk__in=ids) if d.applicant_id and d.applicant_phone]
cases = []
for n, d in enumerate(originals[:300]):
    digits = (d.applicant_id if n % 2 else d.applicant_phone)[-4:]
    cases.append((d.code, digits, True))
    if n % 2:
        wrong = f"{(int(d.applicant_id[-4:]) + 1) % 10000:04d}"
        if lookup_key(d.code, wrong) in (d.lookup_id_key, d.lookup_phone_key):
            continue
        cases.append((d.code, wrong, False))
    else:
        cases.append((d.code[:-4] + "9999", digits, False))  # no unit issues 9,999 a day here
rng.shuffle(cases)
times = {"lookup": [], "page": [], "sql": []}
for n, (code, digits, hit) in enumerate(cases):
    key = lookup_key(code, digits)
    t = time.perf_counter(); found = dossier_lookup(code, digits); times["lookup"].append((time.perf_counter() - t) * 1000)
    assert (found is not None) == hit, (code, hit)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [code, key, key]); row = cursor.fetchone()
    times["sql"].append((time.perf_counter() - t) * 1000)
    assert (row is not None) == hit
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    t = time.perf_counter()
    page = client.post("/dossiers/lookup/", {"code": code, "digits": digits}, REMOTE_ADDR=address)
    times["page"].append((time.perf_counter() - t) * 1000)
    assert page.status_code == 200, page.status_code
    assert ("Không tìm thấy hồ sơ khớp" not in page.content.decode()) == hit, code
def summary(samples):
    samples = sorted(samples)
    return {"p50": statistics.median(samples), "p95": samples[int(0.95 * (len(samples) - 1))]}
print(json.dumps({"vendor": connection.vendor, "generated": generated_count, "generated_s": generated,
  "copies": copies, "copied_s": copied, "dossiers": total, "ratings": Rating.objects.count(),
  "period": [start.isoformat(), end.isoformat()], "commune": commune.name,
  "province": province_case, "commune_case": commune_case,
  "lookups": len(cases), "hits": sum(1 for c in cases if c[2]),
  "lookup": summary(times["lookup"]), "page": summary(times["page"]), "sql": summary(times["sql"])}))
"""


def bench_onestop(repeat: int) -> list[Result]:
    f = run_in_fresh_database(
        _SCRIPT, str(max(5, repeat // 10)), "1000000", "0.28", label="onestop"
    )
    vendor, dossiers = f["vendor"], f["dossiers"]
    prov, com = f["province"], f["commune_case"]
    data = (
        f"{dossiers:,} dossiers ({f['generated']:,} generated in {f['generated_s']:.0f} s, "
        f"{f['copies']} copies in {f['copied_s']:.0f} s), {vendor}"
    )
    results = []
    for label, case in (("province (Huế)", prov), (f"commune ({f['commune']})", com)):
        figures = case["figures"]
        results.append(
            Result(
                f"onestop_report {label}, 90 days {f['period'][0]}…{f['period'][1]}, {data}",
                case["gandan"],
                case["raw"],
                "one hand-written query, same figures by commune (checked equal)",
                f"target ≤ 1.5×; {case['communes']} communes, received {figures['received']:,}, "
                f"handled {figures['handled']:,}, late {figures['late']:,}",
            )
        )
    hits = f"{f['lookups']} look-ups, {f['hits']} hits, {vendor}"
    for name, key in (
        ("dossier_lookup(code, digits)", "lookup"),
        ("POST /dossiers/lookup/", "page"),
    ):
        for stat in ("p95", "p50"):
            results.append(
                Result(
                    f"{name} — {stat}, {hits}",
                    f[key][stat],
                    f["sql"][stat],
                    f"hand-written SELECT by code and keyed hash ({stat})",
                    "target p95 ≤ 50 ms" if stat == "p95" else "",
                )
            )
    return results


_RECEIPTS_SCRIPT = r"""
import collections, datetime as dt, http.client, json, os, random, socket, statistics, subprocess, sys, threading, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.utils import timezone
call_command("migrate", verbosity=0)
import psycopg
from gandan.accounts.services import membership_grant, token_issue
from gandan.core.rules import load_all
from gandan.geo.models import REFORM_DATE, Level, Unit
from gandan.geo.services import units_load
from gandan.core.models import Event
from gandan.onestop.models import Dossier, DossierDocument, DossierSequence, Procedure

clients, per_round, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
assert connection.vendor == "postgresql"
units_load(); load_all()
today = timezone.localdate()
province = Unit.objects.get(province_code="46", level=Level.PROVINCE, valid_from=REFORM_DATE)
communes = list(Unit.objects.filter(province_code="46", level=Level.COMMUNE, valid_from__isnull=False)
                .order_by("code").values_list("code", flat=True))
hot = "19789"
others = [c for c in communes if c != hot][:7]
tokens = []
for n in range(clients):
    membership = membership_grant(username=f"bench{n}", role="province_specialist", unit=province)
    tokens.append(token_issue(user=membership.user))
procedures = {}
for code in ("1.004873", "2.000908", "1.001193"):
    version = Procedure.objects.get(code=code).versions.order_by("-valid_from").first()
    procedures[code] = [d["code"] for d in version.documents if d.get("required", True)]

port = (lambda s: (s.bind(("127.0.0.1", 0)), s.getsockname()[1], s.close())[1])(socket.socket())
# gandan's settings and middleware, with the floors' two URLs (bench/receipts_floor.py).
server = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
    "--port", str(port), "--workers", "2", "--blocking-threads", "4", "--log-level", "warning", "gandan.wsgi:application"],
    stdout=subprocess.DEVNULL, stderr=sys.stderr, env=dict(os.environ, DJANGO_SETTINGS_MODULE="bench.receipts_floor_settings"))
for _ in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.request("GET", "/healthz")
        if c.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.25)
else:
    raise SystemExit("granian did not start")

answers = collections.defaultdict(dict)   # client → key → code of the first answer
retries = []                               # (client, key, expected code, code answered, status)
failures = []

def body(rng, n):
    code = rng.choice(list(procedures))
    unit = hot if rng.random() < 0.5 else rng.choice(others)
    return json.dumps({"unit": unit, "procedure": code, "channel": 1, "documents": procedures[code],
        "applicant_name": "Nguyễn Thị Hoa", "applicant_id": f"0461900{n % 100000:05d}",
        "applicant_phone": f"090{n:07d}"})

def health_client(i, round_no, out):
    # The floor of any request: GET /healthz (no authentication, no query) through the same
    # server, clients and connections.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for n in range(per_round):
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        r = conn.getresponse(); r.read()
        assert r.status == 200, r.status
    conn.close()

def api_client(i, round_no, out):
    rng = random.Random(round_no * 100 + i)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {tokens[i]}", "Content-Type": "application/json",
               "Host": "127.0.0.1"}
    sent = []
    for n in range(per_round):
        key = f"r{round_no}-c{i}-{n}"
        payload = body(rng, round_no * 100000 + i * 1000 + n)
        conn.request("POST", "/api/v1/dossiers/", payload, {**headers, "Idempotency-Key": key})
        r = conn.getresponse(); data = r.read()
        if r.status != 201:
            failures.append((r.status, data[:300])); continue
        answers[i][key] = json.loads(data)["code"]
        sent.append((key, payload))
        if n % 9 == 8:  # a retry of an earlier key of this client (a lost answer)
            old, old_payload = rng.choice(sent)
            conn.request("POST", "/api/v1/dossiers/", old_payload, {**headers, "Idempotency-Key": old})
            r = conn.getresponse(); data = r.read()
            retries.append((i, old, answers[i][old], json.loads(data).get("code"), r.status))
    conn.close()

COLUMNS = [f.column for f in Dossier._meta.concrete_fields if not f.primary_key]
DOCUMENT_COLUMNS = [f.column for f in DossierDocument._meta.concrete_fields if not f.primary_key]
EVENT_COLUMNS = [f.column for f in Event._meta.concrete_fields if not f.primary_key]

def _connect():
    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                           password=settings["PASSWORD"] or None, dbname=settings["NAME"], autocommit=True)

def _insert(table, columns, returning=""):
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            + (f" RETURNING {returning}" if returning else ""))

def bare_client(rows, out):
    # The same dossier rows, other codes and keys, one INSERT per transaction on the thread's connection.
    with _connect() as conn:
        sql = _insert("onestop_dossier", COLUMNS)
        for row in rows:
            conn.execute(sql, row)

def receipt_client(receipts, out):
    # Every row a receipt writes — the day's counter, the dossier, its documents, its event —
    # one transaction a receipt, as plain statements on the thread's connection.
    with _connect() as conn:
        counter = ("INSERT INTO onestop_dossiersequence (unit_code, day, last) VALUES (%s, %s, 1) "
                   "ON CONFLICT (unit_code, day) DO UPDATE SET last = onestop_dossiersequence.last + 1 RETURNING last")
        dossier_sql = _insert("onestop_dossier", COLUMNS, returning="id")
        document_sql = _insert("onestop_dossierdocument", DOCUMENT_COLUMNS)
        event_sql = _insert("core_event", EVENT_COLUMNS)
        for sequence, row, documents, events in receipts:
            with conn.transaction():
                with conn.cursor() as cursor:
                    cursor.execute(counter, sequence)
                    cursor.execute(dossier_sql, row)
                    new_id = cursor.fetchone()[0]
                    cursor.executemany(document_sql, [[new_id if c == "dossier_id" else v for c, v in zip(DOCUMENT_COLUMNS, d)] for d in documents])
                    for e in events:
                        cursor.execute(event_sql, [str(new_id) if c == "subject_id" else v for c, v in zip(EVENT_COLUMNS, e)])

def floor_client(receipts, out, path="/bench/same-rows/", token=None):
    # The same rows as receipt_client, each receipt POSTed as JSON to /bench/same-rows/: a Django
    # view behind gandan's middleware that runs the same statements and nothing else; or, with
    # the client's token, to /bench/same-rows-api/: the same behind DRF with gandan's API settings.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
    if token:
        headers["Authorization"] = f"Token {token}"
    for sequence, row, documents, events in receipts:
        payload = json.dumps({"sequence": sequence, "row": row, "documents": documents, "events": events},
                             cls=DjangoJSONEncoder)
        conn.request("POST", path, payload, headers)
        r = conn.getresponse(); data = r.read()
        assert r.status == 201, (r.status, data[:300])
    conn.close()

def api_floor_client(receipts, i, out):
    floor_client(receipts, out, "/bench/same-rows-api/", tokens[i])

def phase(target, argument_of):
    threads = [threading.Thread(target=target, args=(*argument_of(i), None)) for i in range(clients)]
    t = time.perf_counter()
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    return time.perf_counter() - t

api_rates, bare_rates, full_rates, floor_rates, api_floor_rates, health_rates, api_requests = [], [], [], [], [], [], 0
code_at = COLUMNS.index("code"); key_at = COLUMNS.index("idempotency_key")
load = []

def written_since(first_id):
    # The rows the API wrote in this round: dossiers (not the baselines'), their documents and events.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(COLUMNS)} FROM onestop_dossier WHERE id > %s "
                       "AND idempotency_key <> '' AND idempotency_key NOT LIKE %s ORDER BY id", [first_id, "%-bare%"])
        dossiers = [list(r) for r in cursor.fetchall()]
        ids = [r[0] for r in dossiers]
        cursor.execute(f"SELECT dossier_id, {', '.join(DOCUMENT_COLUMNS)} FROM onestop_dossierdocument "
                       "WHERE dossier_id = ANY(%s)", [ids])
        documents = collections.defaultdict(list)
        for r in cursor.fetchall():
            documents[r[0]].append(list(r[1:]))
        cursor.execute(f"SELECT subject_id, {', '.join(EVENT_COLUMNS)} FROM core_event "
                       "WHERE subject_type = 'onestop.dossier' AND subject_id = ANY(%s)", [[str(i) for i in ids]])
        events = collections.defaultdict(list)
        for r in cursor.fetchall():
            events[int(r[0])].append(list(r[1:]))
    return dossiers, documents, events

for round_no in range(rounds + 1):  # round 0 warms every side up and is not counted
    before = Dossier.objects.count()
    first_id = Dossier.objects.aggregate(top=Max("pk"))["top"] or 0
    retried = len(retries)
    seconds = phase(api_client, lambda i: (i, round_no))
    health_seconds = phase(health_client, lambda i: (i, round_no))
    made = Dossier.objects.count() - before
    requests = made + len(retries) - retried
    dossiers, documents, events = written_since(first_id)
    assert len(dossiers) == made and all(documents[d[0]] and len(events[d[0]]) == 1 for d in dossiers)
    rows = []
    for d in dossiers:
        r = d[1:]; r[code_at] = "B" + r[code_at]; r[key_at] = r[key_at] + "-bare"; rows.append(r)
    receipts = []
    for d in dossiers:
        r = d[1:]; r[code_at] = "F" + r[code_at]; r[key_at] = r[key_at] + "-bare-full"
        unit_code, day, _n = d[1:][code_at].split("-")
        receipts.append(((f"F{unit_code}", dt.datetime.strptime(day, "%y%m%d").date()), r, documents[d[0]], events[d[0]]))
    floor = []
    for d in dossiers:
        r = d[1:]; r[code_at] = "H" + r[code_at]; r[key_at] = r[key_at] + "-bare-floor"
        unit_code, day, _n = d[1:][code_at].split("-")
        floor.append(((f"H{unit_code}", dt.datetime.strptime(day, "%y%m%d").date()), r, documents[d[0]], events[d[0]]))
    api_floor = []
    for d in dossiers:
        r = d[1:]; r[code_at] = "A" + r[code_at]; r[key_at] = r[key_at] + "-bare-api"
        unit_code, day, _n = d[1:][code_at].split("-")
        api_floor.append(((f"A{unit_code}", dt.datetime.strptime(day, "%y%m%d").date()), r, documents[d[0]], events[d[0]]))
    # The baselines and the floors in turn, their order rotating from round to round.
    sides = [("bare", bare_client, rows, False), ("full", receipt_client, receipts, False),
             ("floor", floor_client, floor, False), ("api_floor", api_floor_client, api_floor, True)]
    sides = sides[round_no % 4:] + sides[:round_no % 4]
    taken = {}
    for name, client, items, numbered in sides:
        chunks = [items[i::clients] for i in range(clients)]
        taken[name] = phase(client, lambda i: (chunks[i], i) if numbered else (chunks[i],))
    load.append(os.getloadavg()[0])
    if round_no:
        api_rates.append(made / seconds); bare_rates.append(len(rows) / taken["bare"])
        full_rates.append(len(receipts) / taken["full"])
        floor_rates.append(len(floor) / taken["floor"])
        api_floor_rates.append(len(api_floor) / taken["api_floor"])
        health_rates.append(clients * per_round / health_seconds)
        api_requests += requests
server.terminate(); server.wait(timeout=30)

# Checks.
api_dossiers = Dossier.objects.exclude(idempotency_key="").exclude(idempotency_key__contains="-bare")
codes = list(api_dossiers.values_list("code", flat=True))
distinct_keys = sum(len(k) for k in answers.values())
answered = {code for k in answers.values() for code in k.values()}
assert not failures, failures[:5]
assert len(codes) == len(set(codes)), "duplicate code"
assert len(codes) == distinct_keys, (len(codes), distinct_keys)
assert answered <= set(codes) and len(answered) == len(codes), "a code answered is missing"
assert all(status == 200 and got == expected for _i, _k, expected, got, status in retries), retries[:5]
by_day = collections.defaultdict(list)
for code in codes:
    unit, day, number = code.split("-")
    by_day[(unit, day)].append(int(number))
counters = {(s.unit_code, f"{s.day:%y%m%d}"): s.last for s in DossierSequence.objects.exclude(unit_code__regex=r"^[AFH]")}
for key, numbers in by_day.items():
    assert sorted(numbers) == list(range(1, len(numbers) + 1)), (key, sorted(numbers)[:20])
    assert counters[key] == len(numbers), (key, counters[key], len(numbers))
floor_codes = list(Dossier.objects.filter(code__startswith="H").values_list("code", flat=True))
assert len(floor_codes) == len(set(floor_codes)) == sum(len(k) for k in answers.values()), "floor rows lost"
api_floor_codes = list(Dossier.objects.filter(code__startswith="A").values_list("code", flat=True))
assert len(api_floor_codes) == len(set(api_floor_codes)) == len(floor_codes), "API floor rows lost"
print(json.dumps({"api": api_rates, "bare": bare_rates, "full": full_rates, "floor": floor_rates, "api_floor": api_floor_rates, "health": health_rates, "receipts": len(codes), "retries": len(retries),
  "requests": api_requests, "unit_days": len(by_day), "hot": len(by_day.get((hot, f"{today:%y%m%d}"), [])),
  "clients": clients, "load": load, "server": psycopg.__version__}))
"""


def bench_onestop_receipts(repeat: int) -> list[Result]:
    import os
    import statistics
    import sys

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.stderr.write("onestop_receipts: PostgreSQL only (DATABASE_URL=postgres://…)\n")
        return []
    f = run_in_fresh_database(_RECEIPTS_SCRIPT, "8", "90", "5", label="onestop_receipts")
    api, bare, full, floor, api_floor, health = (
        statistics.median(f[side])
        for side in ("api", "bare", "full", "floor", "api_floor", "health")
    )
    name = (
        f"POST /api/v1/dossiers/ over HTTP (granian 2×4), {f['clients']} clients, "
        f"half to one commune — ms per receipt ({api:,.0f} receipts/s)"
    )
    # This machine's speed drifts from minute to minute: the ratio within each round (both
    # sides timed seconds apart) says more than the ratio of the medians.
    paired = sorted(b / a for a, b in zip(f["api"], f["api_floor"], strict=True))
    checked = (
        f"{f['receipts']:,} receipts + {f['retries']} retries, codes checked "
        f"(no duplicate, none lost, consecutive in {f['unit_days']} unit-days)"
    )
    met = api >= 100 and api_floor / api <= 2.5
    return [
        Result(
            name,
            1000 / api,
            1000 / api_floor,
            "the API floor: the same rows behind Django REST framework with gandan's API "
            f"settings, same server and clients ({api_floor:,.0f} receipts/s)",
            f"target ≥ 100 receipts/s and ≤ 2.5× the API floor: {'met' if met else 'NOT MET'}; "
            f"paired per round {statistics.median(paired):.1f}× "
            f"({paired[0]:.1f}–{paired[-1]:.1f}×); {checked}; "
            f"rounds {', '.join(f'{x:.0f}' for x in f['api'])} vs "
            f"{', '.join(f'{x:.0f}' for x in f['api_floor'])} /s",
        ),
        Result(
            f"{name}: against the same rows written by hand",
            1000 / api,
            1000 / full,
            "plain statements writing every row a receipt writes (counter, dossier, documents, "
            f"event), one transaction a receipt, 8 connections ({full:,.0f} receipts/s)",
            f"rounds {', '.join(f'{x:.0f}' for x in f['full'])} /s",
        ),
        Result(
            f"{name}: dossier row only",
            1000 / api,
            1000 / bare,
            f"plain INSERT of the dossier rows alone, 8 connections ({bare:,.0f} rows/s)",
            f"rounds {', '.join(f'{x:.0f}' for x in f['bare'])} /s",
        ),
        Result(
            "POST /bench/same-rows/ over the same server and clients: a Django view that runs "
            f"the same-rows baseline's statements and nothing else — ms per receipt ({floor:,.0f} receipts/s)",
            1000 / floor,
            1000 / full,
            "the same-rows baseline above",
            "the floor of any Django endpoint writing a receipt's rows (granian, gandan's "
            "middleware, JSON in and out, Django's connection; no authentication, validation, "
            "scope or ORM): bench/receipts_floor.py; "
            f"rounds {', '.join(f'{x:.0f}' for x in f['floor'])} /s",
        ),
        Result(
            "POST /bench/same-rows-api/ over the same server and clients: the same statements "
            "behind Django REST framework with gandan's API settings — ms per receipt "
            f"({api_floor:,.0f} receipts/s)",
            1000 / api_floor,
            1000 / full,
            "the same-rows baseline above",
            "the floor of any /api/v1/ endpoint writing a receipt's rows (the Django floor "
            "above plus DRF's dispatch, the API token's authentication, the signed-in "
            "permission, DRF's parser and renderer; nothing of the receipt's own): "
            f"bench/receipts_floor.py; rounds {', '.join(f'{x:.0f}' for x in f['api_floor'])} /s",
        ),
        Result(
            "GET /healthz over the same server and clients — ms per request "
            f"({health:,.0f} requests/s)",
            1000 / health,
            1000 / full,
            "the same-rows baseline above",
            "the floor of any request through granian and Django's middleware (no "
            "authentication, no query): a receipt cannot be nearer its baseline than this; "
            f"rounds {', '.join(f'{x:.0f}' for x in f['health'])} /s",
        ),
    ]


BENCHMARKS = {"onestop": bench_onestop, "onestop_receipts": bench_onestop_receipts}
