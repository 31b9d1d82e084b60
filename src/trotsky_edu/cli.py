"""The ``trotsky-edu`` command: parses arguments and calls the library.

Each subcommand is added by one ``_add_<name>`` function below; nothing imports this
module, and it is the only place that parses arguments or chooses an exit code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a data folder for problems",
                       description="Check the CSV data files in DIR (default: the bundled data) against data/datasets.toml.")
    p.add_argument("dir", nargs="?", type=Path, help="data folder to check (default: the bundled data)")
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from trotsky_edu.validate import validate_folder

    problems = validate_folder(args.dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


# --- instructor toolkit (trotsky_edu.lessonkit) -------------------------------------------


def _lessonkit_options(p: argparse.ArgumentParser, *, exercises: bool = False) -> None:
    p.add_argument("--lessons", type=Path, metavar="DIR",
                   help="the lessons folder holding course.toml (default: lessons/ of the checkout around the "
                        "working folder, or the folder of the notebooks named)")
    if exercises:
        p.add_argument("--exercises", type=Path, metavar="DIR",
                       help="the question banks (default: data/exercises beside the lessons folder)")


def _lessonkit_course(args: argparse.Namespace):
    from trotsky_edu.lessonkit.course import COURSE_FILE, find_lessons_folder, load_course

    folder = args.lessons
    if folder is None:
        named = [Path(name) for name in getattr(args, "names", []) if name.endswith(".ipynb")]
        beside = [path.parent for path in named if (path.parent / COURSE_FILE).is_file()]
        folder = beside[0] if beside else find_lessons_folder()
    return load_course(folder)


def _reported(run, error_class):
    """Run a subcommand; print the message of an ``error_class()`` error (it names the fix) instead of a traceback, exit code 1.

    ``error_class`` is a function returning the exception class, so its module is imported only when needed.
    """

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except error_class() as error:
            name = " ".join(part for part in (args.command, getattr(args, "action", None)) if part)
            print(f"trotsky-edu {name}: {error}", file=sys.stderr)
            return 1

    return wrapped


def _lessonkit_errors(run):
    """Report a LessonkitError as one line instead of a traceback."""

    def error_class():
        from trotsky_edu.lessonkit import LessonkitError

        return LessonkitError

    return _reported(run, error_class)


def _add_student_copy(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("student-copy", help="write student editions of lessons",
                       description="Write student editions of LESSONS (paths or slugs; default: every lesson in "
                                   "course.toml) into DIR: solution regions (### BEGIN SOLUTION ... ### END SOLUTION) "
                                   "become '# YOUR ANSWER HERE', cells tagged 'instructor' or 'answer-key' are removed, "
                                   "outputs and saved widget state are cleared. Nothing else changes.")
    p.add_argument("names", nargs="*", metavar="LESSONS", help="lesson notebooks or slugs (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the student editions")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist in DIR")
    _lessonkit_options(p)
    p.set_defaults(func=_lessonkit_errors(_run_student_copy))


def _run_student_copy(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path, resolve_lessons
    from trotsky_edu.lessonkit.studentcopy import write_student_copies

    only_paths = args.names and args.lessons is None and all(Path(n).suffix == ".ipynb" for n in args.names)
    lessons = resolve_lessons(args.names, None if only_paths else _lessonkit_course(args))
    for path in [path for path in lessons if not path.is_file()]:
        print(f"skipped {path.stem}: {display_path(path)} does not exist yet")
    for path in write_student_copies([path for path in lessons if path.is_file()], args.out, force=args.force):
        print(f"wrote {display_path(path)}")
    return 0


def _add_handout(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("handout", help="publish the student edition as a git repository and print its nbgitpuller link",
                       description="Write the student edition of LESSONS (default: every lesson in course.toml) into "
                                   "the git repository --repo (created if needed) and commit it when it changed, as "
                                   "`student-copy` writes it; then print the nbgitpuller link that pulls the repository "
                                   "into each student's home on the hub and opens the first lesson. Push the "
                                   "repository to --repo-url yourself. With --link-only, only print the link.")
    p.add_argument("names", nargs="*", metavar="LESSONS", help="lesson notebooks or slugs (default: all)")
    p.add_argument("--repo", type=Path, metavar="DIR", help="the repository folder to publish into (not needed with "
                                                             "--link-only)")
    p.add_argument("--hub", required=True, metavar="URL", help="the hub's address, e.g. https://hub.example.edu")
    p.add_argument("--repo-url", required=True, metavar="URL",
                   help="where students' servers clone the repository from, e.g. "
                        "https://github.com/YOUR-ORG/trotsky-edu-class")
    p.add_argument("--branch", default="main", help="the branch students pull (default: main)")
    p.add_argument("--folder", metavar="NAME", help="the folder it lands in, in each student's home (default: the "
                                                    "repository's name)")
    p.add_argument("--link-only", action="store_true", help="only print the link; write and commit nothing")
    _lessonkit_options(p)
    p.set_defaults(func=_lessonkit_errors(_run_handout))


def _run_handout(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path, resolve_lessons
    from trotsky_edu.lessonkit.handout import has_origin, nbgitpuller_link, publish_student_edition

    link = nbgitpuller_link(args.hub, args.repo_url, branch=args.branch, folder=args.folder)
    if args.link_only:
        print(link)
        return 0
    if args.repo is None:
        print("trotsky-edu handout: give --repo DIR, the repository folder to publish into (or --link-only).",
              file=sys.stderr)
        return 2
    lessons = resolve_lessons(args.names, _lessonkit_course(args))
    for path in [path for path in lessons if not path.is_file()]:
        print(f"skipped {path.stem}: {display_path(path)} does not exist yet")
    done = publish_student_edition([path for path in lessons if path.is_file()], args.repo, branch=args.branch)
    repo = display_path(args.repo)
    if done.created:
        print(f"created the git repository {repo}")
    if done.commit is None:
        print(f"unchanged: {repo} already holds this student edition (commit {done.head})")
    else:
        print(f"committed {done.commit} in {repo}: {done.message}")
        if done.signed_as_fallback:
            print("git knows no name for you, so the commit is signed 'trotsky-edu handout'; to sign as yourself, "
                  "run git config --global user.name 'Your Name' and git config --global user.email you@example.edu")
        if has_origin(args.repo):
            print(f"Next: git -C {repo} push")
        else:
            print(f"Next, once: git -C {repo} remote add origin {args.repo_url} && git -C {repo} push -u origin "
                  f"{args.branch}")
    print(f"Students open: {link}")
    return 0


def _add_new_lesson(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new-lesson", help="start a lesson from the template",
                       description="Create lessons/NN-SLUG.ipynb from the lesson template (all standard sections and "
                                   "metadata in place), list it last in course.toml, and create an empty question bank "
                                   "data/exercises/NN-SLUG.yaml. Then run `trotsky-edu index` to update the links.")
    p.add_argument("slug", metavar="SLUG", help="lower-case words joined by hyphens, e.g. kronstadt (numbered "
                                                "automatically) or 06-kronstadt")
    p.add_argument("--title", required=True, help="the lesson title, e.g. 'Kronstadt (March 1921)'")
    p.add_argument("--period", default="", help="the period it covers, e.g. 'March 1921'")
    _lessonkit_options(p, exercises=True)
    p.set_defaults(func=_lessonkit_errors(_run_new_lesson))


def _run_new_lesson(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path
    from trotsky_edu.lessonkit.newlesson import new_lesson

    course = _lessonkit_course(args)
    created = new_lesson(args.slug, title=args.title, period=args.period, course=course,
                         exercises_folder=args.exercises or course.exercises_folder)
    print(f"wrote {display_path(created.notebook)} and {display_path(created.bank)}; "
          f"added {created.slug} to {display_path(course.toml_path)}")
    print("Next: run `trotsky-edu index` to update the navigation links, then `trotsky-edu check` as you write.")
    return 0


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check lessons against the lesson standard",
                       description="Check LESSONS (paths or slugs; default: every lesson in course.toml, and that "
                                   "course.toml and the lessons folder agree) against the lesson standard. Prints one "
                                   "line per problem, naming the notebook, the cell (counted from 1) and the fix; "
                                   "exits with status 1 when there are problems. Before the problems, prints each "
                                   "lesson's objectives by kind of thinking and its estimated minutes per section "
                                   "(the numbers are in course.toml's [timing] table).")
    p.add_argument("names", nargs="*", metavar="LESSONS", help="lesson notebooks or slugs (default: all)")
    _lessonkit_options(p, exercises=True)
    p.add_argument("--sources", type=Path, metavar="DIR",
                   help="the four source documents, for the own-words check (default: ../shared/sources beside the "
                        "folder that holds lessons/; the check is skipped when they are not there)")
    p.set_defaults(func=_lessonkit_errors(_run_check))


def _run_check(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.check import check_course, lesson_tables
    from trotsky_edu.lessonkit.course import resolve_lessons

    course = _lessonkit_course(args)
    lessons = resolve_lessons(args.names, course)
    exercises = args.exercises or course.exercises_folder
    sources = _source_runs(course, args.sources)
    problems = check_course(course, lessons, exercises_folder=exercises, whole_course=not args.names, sources=sources)
    for path in lessons:
        if not path.is_file():
            continue
        for table in lesson_tables(path, course=course, exercises_folder=exercises):
            print(table, end="\n\n")
    for problem in problems:
        print(problem, file=sys.stderr)
    checked = sum(path.is_file() for path in lessons)
    if problems:
        print(f"{len(problems)} problem(s) in {checked} lesson(s) checked.", file=sys.stderr)
        return 1
    print(f"{checked} lesson(s) checked: no problems found.")
    return 0


def _source_runs(course, given: Path | None):
    """The source documents' runs for the own-words check, or None (and a note saying so) when they are not there."""
    from trotsky_edu.lessonkit.own_words import DEFAULT_SOURCES, read_sources, sources_folder

    folder = sources_folder(course.folder.parent, given)
    if folder is None:
        print(f"Own words not checked: no source documents in {DEFAULT_SOURCES.as_posix()} beside the course — "
              f"give their folder with --sources DIR.", file=sys.stderr)
        return None
    return read_sources(folder)


def _add_index(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="rebuild the course index and navigation links",
                       description="Rebuild lessons/index.md (the course map) and every lesson's navigation cell "
                                   "from course.toml, the one place the lesson order is kept.")
    _lessonkit_options(p)
    p.set_defaults(func=_lessonkit_errors(_run_index))


def _run_index(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path
    from trotsky_edu.lessonkit.index import INDEX_FILE, rebuild_index

    course = _lessonkit_course(args)
    result = rebuild_index(course)
    index = display_path(course.folder / INDEX_FILE)
    print(f"{'wrote' if result.index_written else 'unchanged:'} {index}")
    for path in result.notebooks_written:
        print(f"updated the navigation of {display_path(path)}")
    for path in result.missing:
        print(f"not written yet: {display_path(path)}")
    return 0


def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="execute the lessons and write a static HTML course",
                       description="Execute LESSONS (default: every lesson in course.toml that exists) in a temporary "
                                   "copy and write DIR/index.html plus one HTML page per lesson, plots included. "
                                   "Widgets need a running kernel, so the pages show a note in their place. Pages are "
                                   "the student edition unless --instructor is given.")
    p.add_argument("names", nargs="*", metavar="LESSONS", help="lesson notebooks or slugs (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the HTML pages")
    p.add_argument("--instructor", action="store_true",
                   help="keep solutions, instructor notes and the answer key in the pages")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                   help="longest a single cell may run (default: 600)")
    _lessonkit_options(p)
    p.set_defaults(func=_lessonkit_errors(_run_render))


def _run_render(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path, resolve_lessons
    from trotsky_edu.lessonkit.render import INDEX_PAGE, render_course

    course = _lessonkit_course(args)
    lessons = resolve_lessons(args.names, course)
    for path in [path for path in lessons if not path.is_file()]:
        print(f"skipped {path.stem}: {display_path(path)} does not exist yet")
    for page in render_course(course, [path for path in lessons if path.is_file()], args.out,
                              instructor=args.instructor, timeout=args.timeout):
        print(f"{page.slug}: executed in {page.seconds:.1f} s → {display_path(page.page)}")
    print(f"wrote {display_path(args.out / INDEX_PAGE)}")
    return 0


def _add_refresh(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("refresh", help="re-run lessons and save their fresh outputs",
                       description="Execute LESSONS (default: every lesson in course.toml that exists) top to bottom "
                                   "in a temporary copy and save each with its new outputs and no widget state, so "
                                   "that nbval compares against the current data and plots. Run it after changing "
                                   "a dataset, a question bank or a lesson's code.")
    p.add_argument("names", nargs="*", metavar="LESSONS", help="lesson notebooks or slugs (default: all)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                   help="longest a single cell may run (default: 600)")
    _lessonkit_options(p)
    p.set_defaults(func=_lessonkit_errors(_run_refresh))


def _run_refresh(args: argparse.Namespace) -> int:
    from trotsky_edu.lessonkit.course import display_path, resolve_lessons
    from trotsky_edu.lessonkit.refresh import refresh_lessons

    course = _lessonkit_course(args)
    lessons = [path for path in resolve_lessons(args.names, course) if path.is_file()]
    for lesson in refresh_lessons(course, lessons, timeout=args.timeout):
        print(f"{lesson.slug}: executed in {lesson.seconds:.1f} s → saved {display_path(lesson.path)}")
    return 0


# --- student progress (trotsky_edu.exercises.progress) -------------------------------------


def _add_progress(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("progress", help="export, merge or report on students' exercise progress",
                       description="Work with exercise progress. A student's answers are kept in "
                                   "~/.local/share/trotsky_edu/progress.json, or in the file named by the environment "
                                   "variable TROTSKY_EDU_PROGRESS.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    export = actions.add_parser("export", help="write your progress as CSV for your instructor",
                                description="Write the progress recorded on this computer as CSV, one row per "
                                            "question: lesson, question_id, attempts, correct, hints_used, revealed, "
                                            "first_time, time. Name the file after yourself (--out alice.csv) or give "
                                            "--student, so a merged table says whose answers they are.")
    export.add_argument("--out", type=Path, metavar="FILE", help="CSV file to write (default: print the CSV)")
    export.add_argument("--student", default="", help="your name, written in the 'student' column")
    export.set_defaults(func=_progress_errors(_run_progress_export))
    merge = actions.add_parser("merge", help="combine a class's exports into one CSV",
                               description="Combine CSV files made by `trotsky-edu progress export` into one table "
                                           "with a 'student' column: each file's own student column, or else the file "
                                           "name without .csv. Rows are sorted by student, lesson and question; an "
                                           "answer found twice keeps its most recent row.")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILES", help="exported CSV files")
    merge.add_argument("--out", type=Path, metavar="FILE", help="CSV file to write (default: print the CSV)")
    merge.set_defaults(func=_progress_errors(_run_progress_merge))
    report = actions.add_parser("report", help="what the class answered, as one HTML page",
                                description="Read a class's progress files (students' progress.json files, exports, "
                                            "or folders of them; - reads standard input) and write one self-contained "
                                            "HTML page: per lesson, per question (with the options chosen first and the "
                                            "commonest misconception), every written source analysis, per objective, "
                                            "and the students who may need help. It opens offline and prints. Files "
                                            "that cannot be used are named, one line each, and listed in the report.")
    report.add_argument("files", nargs="+", metavar="FILES", help="progress files, exports, folders, or -")
    report.add_argument("--out", type=Path, required=True, metavar="FILE", help="HTML file to write")
    report.add_argument("--anonymous", action="store_true", help="leave students' names out (Student 01, 02, ...)")
    report.add_argument("--lessons", nargs="+", metavar="LESSON", help="only these lessons (default: all)")
    report.add_argument("--title", default="Class report", help="the page's title")
    report.set_defaults(func=_progress_errors(_run_progress_report))
    sample = actions.add_parser("sample", help="make a sample class of progress files to try the report on",
                                description="Write a realistic class of progress files into DIR: students who use "
                                            "hints, share misconceptions, straggle and self-assess, plus the awkward "
                                            "files a teacher meets (empty, cut short, old format, another course, a "
                                            "student's second file). The same --seed gives the same class.")
    sample.add_argument("folder", type=Path, metavar="DIR", help="folder to write the files into")
    sample.add_argument("--students", type=int, default=30, help="how many students (default: 30)")
    sample.add_argument("--seed", type=int, default=1917, help="the class's random seed (default: 1917)")
    sample.add_argument("--no-extras", action="store_true", help="only the students, none of the awkward files")
    sample.set_defaults(func=_progress_errors(_run_progress_sample))
    p.set_defaults(func=lambda _args: p.print_help() or 2)


def _progress_errors(run):
    """Report a ProgressError as one line instead of a traceback."""

    def error_class():
        from trotsky_edu.exercises.progress import ProgressError

        return ProgressError

    return _reported(run, error_class)


def _write_progress_csv(rows: list[dict[str, str]], out: Path | None) -> None:
    from trotsky_edu.exercises.progress import ProgressError, write_rows

    if out is None:
        write_rows(rows, sys.stdout)
        return
    try:
        with out.open("w", encoding="utf-8", newline="") as handle:
            write_rows(rows, handle)
    except OSError as error:
        raise ProgressError(f"cannot write {out}: {error.strerror or error}. Choose another --out file.") from None
    print(f"wrote {len(rows)} row(s) to {out}", file=sys.stderr)


def _run_progress_export(args: argparse.Namespace) -> int:
    from trotsky_edu.exercises.progress import progress_path, progress_rows

    rows = progress_rows(student=args.student.strip())
    if not rows:
        print(f"No progress recorded yet in {progress_path()}; the CSV has only its header.", file=sys.stderr)
    _write_progress_csv(rows, args.out)
    return 0


def _run_progress_merge(args: argparse.Namespace) -> int:
    from trotsky_edu.exercises.progress import merge_exports

    _write_progress_csv(merge_exports(args.files), args.out)
    return 0


def _run_progress_report(args: argparse.Namespace) -> int:
    from trotsky_edu.classreport import report
    from trotsky_edu.exercises.bank import BankError
    from trotsky_edu.exercises.progress import ProgressError

    try:
        made = report(args.files, lessons=args.lessons, anonymous=args.anonymous, title=args.title)
    except BankError as error:
        raise ProgressError(str(error).splitlines()[0]) from None
    for line in made.unusual:
        print(line, file=sys.stderr)
    try:
        made.write_html(args.out)
    except OSError as error:
        raise ProgressError(f"cannot write {args.out}: {error.strerror or error}. Choose another --out file.") from None
    print(f"wrote {args.out}: {len(made.students)} student(s), {len(made.skipped)} file(s) or part(s) skipped",
          file=sys.stderr)
    return 0


def _run_progress_sample(args: argparse.Namespace) -> int:
    from trotsky_edu.classreport.sample import make_sample_class

    if args.students < 1:
        print("--students must be 1 or more.", file=sys.stderr)
        return 2
    written = make_sample_class(args.folder, students=args.students, seed=args.seed, extras=not args.no_extras)
    print(f"wrote {len(written)} file(s) to {args.folder}", file=sys.stderr)
    return 0


def _add_class_service(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("class-service", add_help=False, help="run the class service on a JupyterHub (the hub starts it)",
                       description="Run the JupyterHub service that collects students' answers and serves the "
                                   "teacher's dashboard. The hub starts it; see deploy/jupyterhub_config.py.")
    p.set_defaults(func=lambda _args: _run_class_service([]))


def _add_student_server(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("student-server", add_help=False, help="run a student's server below the class service (the hub starts it)",
                       description="Run jupyterhub-singleuser, and the kernels it starts, at a lower priority than the hub "
                                   "and the class service. The hub starts it; see deploy/jupyterhub_config.py.")
    p.set_defaults(func=lambda _args: _run_student_server([]))


def _run_student_server(options: list[str]) -> int:
    from trotsky_edu.hub.priority import run_student_server

    run_student_server(options)  # becomes the server: returns only if it cannot be started
    return 1


def _run_class_service(options: list[str]) -> int:
    from trotsky_edu.hub.service import main as service_main

    return service_main(options)


SUBCOMMANDS = [_add_validate, _add_student_copy, _add_handout, _add_new_lesson, _add_check, _add_index, _add_render, _add_refresh, _add_progress,
               _add_class_service, _add_student_server]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="trotsky-edu", description="Tools for the trotsky_edu curriculum.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``trotsky-edu`` command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["class-service"]:  # its options are the service's own (trotsky_edu.hub.service.main)
        return _run_class_service(argv[1:])
    if argv[:1] == ["student-server"]:  # its options are jupyterhub-singleuser's
        return _run_student_server(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
