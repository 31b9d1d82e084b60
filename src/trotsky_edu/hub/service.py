"""The class service: a JupyterHub service that collects every answer and shows the teacher the class.

Run by the hub as a managed service (``trotsky-edu class-service``; see
``deploy/jupyterhub_config.py``), it is built on JupyterHub's own service authentication, as
hub services such as ngshare are:

- ``POST api/events``: a student's kernel delivers the answer events of its outbox with the
  student's own hub token (``Authorization: token ...``). The student is whoever the token
  belongs to, never a name in the request; events are checked
  (:mod:`~trotsky_edu.hub.events`) and stored once each (:mod:`~trotsky_edu.hub.store`).
- ``GET`` (the dashboard): the class report of :mod:`trotsky_edu.classreport`, live, per
  lesson, with a CSV download (``report.csv``) and optional auto-refresh, for members of the
  instructors group and hub admins, who log in through the hub (OAuth).
- ``GET me``: a student's own answers. Anyone else's are not shown to them: the dashboard
  and the CSV answer 403 to anyone who is not an instructor or an admin.

Everything a student wrote is escaped by the report before it reaches a teacher's browser.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import html
import io
import json
import logging
import os
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated, UserNotAllowed
from jupyterhub.utils import url_path_join
from tornado import httpclient, web

from trotsky_edu.classreport import build_report, course_banks, objective_texts
from trotsky_edu.classreport.inputs import ClassWork, StudentWork
from trotsky_edu.exercises.progress import add_event, empty_progress
from trotsky_edu.hub.events import MAX_BYTES, EventError, check_delivery
from trotsky_edu.hub.store import add_events, connect, load_events, sqlite_url

log = logging.getLogger("trotsky_edu.class_service")
INSTRUCTORS = "instructors"
ROLE_CACHE_SECONDS = 30
REFRESH_CHOICES = (0, 15, 30, 60)


class Settings:
    """What the handlers share: the database, the course's banks, who teaches, and the limits."""

    def __init__(self, *, db_url: str, prefix: str, instructors_group: str, max_bytes: int,
                 objectives_from: str | None):
        self.engine = connect(db_url)
        self.prefix = prefix
        self.banks = course_banks()
        self.instructors_group = instructors_group
        self.max_bytes = max_bytes
        # The objectives' wording, read from the lesson notebooks once rather than on every refresh.
        self.objectives = objective_texts(Path(objectives_from)) if objectives_from else {}
        self.roles: dict[str, tuple[float, bool]] = {}
        self.class_ = LiveClass(load_events(self.engine))


class LiveClass:
    """The class as the dashboard shows it, kept in memory and brought up to date as events arrive.

    Read from the database once at start; after that each stored event is added here too.
    An event newer than the student's last one (the usual case: a kernel sends its answers
    in the order they were given) is added to that student's progress at once, so the
    dashboard never waits for it. An event older than that (an outbox sent late) marks the
    student for a replay of all their events in time order, done at the next view.
    """

    def __init__(self, pairs: list[tuple[str, dict]]):
        self.events: dict[str, list[dict]] = {}
        self.progress: dict[str, dict] = {}
        self.replay: set[str] = set()
        for user, event in sorted(pairs, key=lambda pair: pair[1]["time"]):
            self.add(user, [event])

    def add(self, user: str, events: list[dict]) -> None:
        kept = self.events.setdefault(user, [])
        for event in sorted(events, key=lambda e: e["time"]):
            in_order = not kept or kept[-1]["time"] <= event["time"]
            kept.append(event)
            if user in self.replay:
                continue
            if in_order:
                _add(self.progress.setdefault(user, empty_progress()), user, event)
            else:
                self.replay.add(user)

    def current(self) -> list[StudentWork]:
        for user in self.replay:
            self.events[user].sort(key=lambda e: e["time"])
            self.progress[user] = empty_progress()
            for event in self.events[user]:
                _add(self.progress[user], user, event)
        self.replay.clear()
        return [StudentWork(user, [], self.progress[user]["answers"]) for user in sorted(self.progress)]


class _Handler(HubOAuthenticated, web.RequestHandler):
    """A handler that knows the class service's settings and answers errors in words."""

    @property
    def class_settings(self) -> Settings:
        return self.settings["class"]

    async def prepare(self) -> None:
        """Find out who is asking without blocking the service.

        HubAuth's own lookup (``get_current_user``) runs on a thread of its own and waits for
        it on every request, even for a token it already knows; with a class submitting at
        once, every such wait is a turn on a busy processor. Asked here without blocking, the
        answer is kept where ``get_current_user`` looks first. A user the service does not
        admit is left to ``get_current_user``, which refuses them as usual.
        """
        model = await self.hub_auth.get_user(self, sync=False)
        if not model:
            self._hub_auth_user_cache = None
            return
        try:
            self._hub_auth_user_cache = self.check_hub_user(model)
        except UserNotAllowed:
            pass

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message % exc.args if exc.args else exc.log_message
        if self.request.path.rstrip("/").endswith(("api/events", ".csv", ".json")) or "json" in self.request.headers.get(
                "Accept", ""):
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"status": status_code, "message": reason}))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status_code}</title></head>"
                        f"<body><main><h1>{status_code}</h1><p>{html.escape(reason)}</p></main></body></html>")

    async def is_instructor(self, user: dict) -> bool:
        """Is ``user`` a hub admin or in the instructors group? Asked of the hub with the service's token, cached briefly."""
        name = user["name"]
        cached = self.class_settings.roles.get(name)
        if cached and time.monotonic() - cached[0] < ROLE_CACHE_SECONDS:
            return cached[1]
        api = os.environ.get("JUPYTERHUB_API_URL", "").rstrip("/")
        request = httpclient.HTTPRequest(
            f"{api}/users/{name}", headers={"Authorization": f"token {os.environ.get('JUPYTERHUB_API_TOKEN', '')}"},
            request_timeout=5,
        )
        try:
            response = await httpclient.AsyncHTTPClient().fetch(request)
            model = json.loads(response.body)
        except (httpclient.HTTPClientError, OSError, ValueError) as err:
            log.warning("cannot ask the hub whether %s teaches: %s", name, err)
            return False
        teaches = bool(model.get("admin")) or self.class_settings.instructors_group in (model.get("groups") or [])
        self.class_settings.roles[name] = (time.monotonic(), teaches)
        return teaches

    async def instructor_only(self) -> dict:
        user = self.current_user
        if not await self.is_instructor(user):
            raise web.HTTPError(403, "The class dashboard is for instructors. Your own answers are at %s",
                                url_path_join(self.class_settings.prefix, "me"))
        return user

    def lessons_asked(self) -> list[str]:
        lesson = self.get_argument("lesson", "")
        if not lesson:
            return list(self.class_settings.banks)
        if lesson not in self.class_settings.banks:
            raise web.HTTPError(404, "There is no lesson %r; the lessons are %s", lesson,
                                ", ".join(self.class_settings.banks))
        return [lesson]

    def class_report(self, lessons: list[str], *, user: str | None = None):
        """The class report of ``lessons``: the whole class's, or one ``user``'s own (read from the database)."""
        banks = {lesson: self.class_settings.banks[lesson] for lesson in lessons}
        students = (self.class_settings.class_.current() if user is None else
                    students_from_events(load_events(self.class_settings.engine, user=user, lessons=lessons)))
        work = ClassWork(students=students)
        work.files = [f"the class service ({len(work.students)} student(s))"]
        work.note(f"Answers collected live by the class service: {len(work.students)} student(s).", unusual=False)
        return build_report(work, banks, objectives=self.class_settings.objectives,
                            title="What the class answered" if user is None else f"Your answers, {user}")


def students_from_events(pairs: list[tuple[str, dict]]) -> list[StudentWork]:
    """Each student's progress, rebuilt from their events in time order (the same records their own file holds)."""
    data: dict[str, dict] = {}
    for user, event in pairs:
        _add(data.setdefault(user, empty_progress()), user, event)
    return [StudentWork(user, [], progress["answers"]) for user, progress in sorted(data.items())]


def _add(progress: dict, user: str, event: dict) -> None:
    """One stored event added to a student's progress, as their kernel added it to their file."""
    kept = {k: v for k, v in event.items() if k not in ("lesson", "question_id")}
    add_event(progress, event["lesson"], event["question_id"], kept, student=user)


class EventsHandler(_Handler):
    """``POST api/events``: a kernel delivers its outbox."""

    def check_xsrf_cookie(self) -> None:
        """Kernels authenticate with a token in the header, which a cross-site form cannot send."""
        if not self.request.headers.get("Authorization", "").startswith(("token ", "Bearer ")):
            super().check_xsrf_cookie()

    async def post(self) -> None:
        user = self.current_user
        if not user:
            raise web.HTTPError(401, "Send the student's hub token: Authorization: token ...")
        try:
            batch = check_delivery(self.request.body, max_bytes=self.class_settings.max_bytes)
        except EventError as err:
            raise web.HTTPError(err.status, "%s", str(err)) from None
        stored = add_events(self.class_settings.engine, user["name"], batch)
        new = set(stored.new)
        self.class_settings.class_.add(user["name"], [event for event in batch if event["id"] in new])
        self.set_header("Content-Type", "application/json")
        self.finish({"stored": stored.stored, "duplicates": stored.duplicates})


class DashboardHandler(_Handler):
    """The teacher's dashboard: the class report, one lesson or all, refreshed on request or every N seconds."""

    @web.authenticated
    async def get(self) -> None:
        await self.instructor_only()
        lessons = self.lessons_asked()
        refresh = self.get_argument("refresh", "0")
        refresh = int(refresh) if refresh.isdigit() and int(refresh) in REFRESH_CHOICES else 0
        report = self.class_report(lessons)
        head = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(report.html(head=head, banner=self._banner(lessons, refresh)))

    def _banner(self, lessons: list[str], refresh: int) -> str:
        here = self.class_settings.prefix
        chosen = lessons[0] if len(lessons) == 1 else ""
        links = [f'<a href="{html.escape(here)}?{urlencode({"refresh": refresh})}">All lessons</a>']
        current = ' aria-current="page"'
        links += [f'<a href="{html.escape(here)}?{urlencode({"lesson": lesson, "refresh": refresh})}"'
                  f'{current if lesson == chosen else ""}>{html.escape(lesson)}</a>'
                  for lesson in self.class_settings.banks]
        csv_link = url_path_join(here, "report.csv") + (f"?{urlencode({'lesson': chosen})}" if chosen else "")
        every = " · ".join(
            f'<a href="{html.escape(here)}?{urlencode({**({"lesson": chosen} if chosen else {}), "refresh": n})}">'
            f'{"off" if n == 0 else f"every {n} s"}</a>' for n in REFRESH_CHOICES)
        return (f'<nav aria-label="Lessons"><p>{" · ".join(links)}</p>'
                f'<p>Updated {time.strftime("%H:%M:%S")}. Refresh: {every}. '
                f'<a href="{html.escape(csv_link)}">Download the questions as CSV</a></p></nav>')


class ReportCSVHandler(_Handler):
    """``GET report.csv``: the per-question table of the dashboard, for a spreadsheet."""

    @web.authenticated
    async def get(self) -> None:
        await self.instructor_only()
        lessons = self.lessons_asked()
        report = self.class_report(lessons)
        out = io.StringIO()
        safe_for_spreadsheets(report.questions).to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
        name = f"class-report-{lessons[0] if len(lessons) == 1 else 'all'}.csv"
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        self.finish(out.getvalue())


def safe_for_spreadsheets(table):
    """``table`` with text that a spreadsheet would run as a formula (a student's "=HYPERLINK(...)") quoted as text."""
    def quoted(value):
        return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    return table.apply(lambda column: column.map(quoted) if column.dtype == object or str(column.dtype) == "str" else column)


class MyAnswersHandler(_Handler):
    """``GET me``: a student's own answers, as their own report (``?format=json`` for the events)."""

    @web.authenticated
    async def get(self) -> None:
        user = self.current_user["name"]
        if self.get_argument("format", "") == "json":
            events = [event for _, event in load_events(self.class_settings.engine, user=user)]
            self.set_header("Content-Type", "application/json")
            self.finish({"user": user, "events": events})
            return
        report = self.class_report(list(self.class_settings.banks), user=user)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(report.html())


def make_app(settings: Settings, prefix: str) -> web.Application:
    """The service's tornado application under ``prefix`` (``/services/trotsky-edu/``)."""
    return web.Application(
        [
            (prefix, DashboardHandler),
            (url_path_join(prefix, "report.csv"), ReportCSVHandler),
            (url_path_join(prefix, "me"), MyAnswersHandler),
            (url_path_join(prefix, "api/events"), EventsHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=os.urandom(32),
        xsrf_cookies=False,
        **{"class": settings},
    )


def main(argv: list[str] | None = None) -> int:
    """``trotsky-edu class-service``: run the service (the hub starts it; see deploy/jupyterhub_config.py)."""
    parser = argparse.ArgumentParser(prog="trotsky-edu class-service", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=os.environ.get("TROTSKY_EDU_CLASS_DATA", "."),
                        help="folder for the default SQLite database (default: $TROTSKY_EDU_CLASS_DATA or here)")
    parser.add_argument("--db-url", default=os.environ.get("TROTSKY_EDU_CLASS_DB_URL", ""),
                        help="any SQLAlchemy database URL (default: SQLite in --data-dir)")
    parser.add_argument("--instructors-group", default=os.environ.get("TROTSKY_EDU_INSTRUCTORS_GROUP", INSTRUCTORS))
    parser.add_argument("--max-bytes", type=int, default=int(os.environ.get("TROTSKY_EDU_CLASS_MAX_BYTES", MAX_BYTES)),
                        help="the largest delivery taken, in bytes")
    parser.add_argument("--lessons", default=os.environ.get("TROTSKY_EDU_LESSONS", ""),
                        help="a folder of lesson notebooks, for the objectives' wording")
    parser.add_argument("--ip", default=os.environ.get("TROTSKY_EDU_CLASS_IP", ""),
                        help="address to listen on (default: the host of $JUPYTERHUB_SERVICE_URL); 0.0.0.0 in a "
                             "Kubernetes hub pod, whose service name is not the pod's own address")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s class-service] %(message)s")
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/trotsky-edu/")
    settings = Settings(db_url=args.db_url or sqlite_url(args.data_dir), prefix=prefix,
                        instructors_group=args.instructors_group, max_bytes=args.max_bytes,
                        objectives_from=args.lessons or None)
    app = make_app(settings, prefix)

    async def serve() -> None:
        app.listen(url.port or 80, args.ip or url.hostname or "127.0.0.1")
        log.info("listening on %s:%s%s, database %s", url.hostname, url.port, prefix,
                 settings.engine.url.render_as_string())
        await asyncio.Event().wait()

    asyncio.run(serve())
    return 0
