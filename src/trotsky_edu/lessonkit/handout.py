"""Hand the lessons out through a git repository that students pull with nbgitpuller.

``publish_student_edition`` writes the student edition (:mod:`~trotsky_edu.lessonkit.studentcopy`)
into a git repository and commits it when it changed, so each handout is one commit the
instructor pushes. ``nbgitpuller_link`` is the one link a class opens: nbgitpuller clones the
repository into each student's home the first time and later merges new commits without
overwriting what the student changed.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import SLUG_PATTERN, display_path
from trotsky_edu.lessonkit.studentcopy import write_student_copies

FIRST_LESSON = "00-start-here.ipynb"
REPO_SCHEMES = ("https", "http", "file")
# Used only when git knows no name for the instructor, so a fresh machine can still publish.
FALLBACK_IDENTITY = ("-c", "user.name=trotsky-edu handout", "-c", "user.email=handout@trotsky-edu.invalid")
_VERBS = {"A": "add", "M": "update", "D": "remove"}


@dataclass(frozen=True)
class Handout:
    """What ``publish_student_edition`` did: the commit it made (None when nothing changed) and its changes."""

    created: bool
    commit: str | None
    head: str
    changes: list[tuple[str, str]]
    signed_as_fallback: bool

    @property
    def message(self) -> str:
        """The commit message's first line ("" when nothing changed)."""
        return commit_message(self.changes).splitlines()[0] if self.changes else ""


def folder_for(repo_url: str) -> str:
    """The folder nbgitpuller clones ``repo_url`` into by default: its last path part, without ``.git``."""
    name = urlsplit(repo_url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise LessonkitError(f"--repo-url {repo_url} names no repository — give its address, such as "
                             f"https://github.com/YOUR-ORG/trotsky-edu-class")
    return name


def nbgitpuller_link(hub: str, repo_url: str, *, branch: str = "main", folder: str | None = None) -> str:
    """The link that pulls ``repo_url`` into ``~/<folder>`` on the student's hub server and opens the first lesson.

    The parameters are nbgitpuller's: ``repo``, ``branch``, ``targetpath`` (the folder, so the
    lesson's path is known) and ``urlpath`` (what to open afterwards).
    """
    hub_parts = urlsplit(hub)
    if hub_parts.scheme not in ("https", "http") or not hub_parts.netloc or hub_parts.query or hub_parts.fragment:
        raise LessonkitError(f"--hub {hub} is not a hub's address — give the address students open, "
                             f"such as https://hub.example.edu")
    if "hub" in hub_parts.path.strip("/").split("/"):
        raise LessonkitError(f"--hub {hub} goes inside the hub — give its address without /hub/..., "
                             f"such as {hub_parts.scheme}://{hub_parts.netloc}")
    if urlsplit(repo_url).scheme not in REPO_SCHEMES:
        raise LessonkitError(f"--repo-url {repo_url}: students' servers clone it without your keys — give its "
                             f"https:// address, such as https://github.com/YOUR-ORG/trotsky-edu-class")
    folder = folder or folder_for(repo_url)
    if folder in (".", "..") or "/" in folder or "\\" in folder:
        raise LessonkitError(f"--folder {folder} must be one folder name, such as trotsky-edu-class")
    query = urlencode({"repo": repo_url, "branch": branch, "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{FIRST_LESSON}"}, quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def publish_student_edition(lessons: list[Path], repo: Path, *, branch: str = "main") -> Handout:
    """Write the student edition of ``lessons`` into the git repository ``repo`` and commit it if it changed.

    ``repo`` is created (``git init``) when it is not a repository yet. Afterwards the lesson
    notebooks (``NN-name.ipynb``) committed at its top are exactly the student editions of
    ``lessons`` (with ``index.md``): a lesson committed before and not named now is removed.
    Other files are left alone, and only these are committed.
    """
    if not lessons:
        raise LessonkitError("no lesson notebooks to hand out — name them, or run inside a copy of the course")
    for folder in {Path(os.path.abspath(lesson)).parent for lesson in lessons}:
        if folder == Path(os.path.abspath(repo)) or folder in Path(os.path.abspath(repo)).parents:
            raise LessonkitError(f"--repo {display_path(repo)} is inside {display_path(folder)}, the lessons being "
                                 f"handed out — choose a folder outside it, such as ../trotsky-edu-class")
    created = not (repo / ".git").exists()
    stale = []
    if not created:
        _check_branch(repo, branch)
        kept = {lesson.name for lesson in lessons}
        tracked = _git(repo, "ls-files", "--", "*.ipynb").splitlines()
        stale = [repo / name for name in tracked
                 if "/" not in name and SLUG_PATTERN.match(Path(name).stem) and name not in kept]
    written = write_student_copies(lessons, repo, force=True)
    for path in stale:
        path.unlink(missing_ok=True)
    if created:
        _git(repo, "init", "--quiet")
        _git(repo, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    paths = [path.name for path in [*written, *stale]]
    _git(repo, "add", "--all", "--", *paths)
    status = _git(repo, "diff", "--cached", "--no-renames", "--name-status", "--", *paths)
    changes = [tuple(line.split("\t", 1)) for line in status.splitlines()]
    identity = () if _has_identity(repo) else FALLBACK_IDENTITY
    commit = None
    if changes:
        _git(repo, *identity, "commit", "--quiet", "--message", commit_message(changes), "--", *paths)
        commit = _git(repo, "rev-parse", "--short", "HEAD")
    head = _git(repo, "rev-parse", "--short", "HEAD")
    return Handout(created=created, commit=commit, head=head, changes=changes,
                   signed_as_fallback=bool(changes and identity))


def commit_message(changes: list[tuple[str, str]]) -> str:
    """A commit message that says which files were added, updated and removed, from git's name-status pairs."""
    verbs = [(_VERBS.get(status[0], "update"), name) for status, name in changes]
    summary = []
    for verb in dict.fromkeys(_VERBS.values()):
        names = [name for done, name in verbs if done == verb]
        if names:
            summary.append(f"{verb} {names[0]}" if len(names) == 1 else f"{verb} {len(names)} files")
    body = "\n".join(f"{verb} {name}" for verb, name in verbs)
    return f"Student edition: {', '.join(summary)}\n\n{body}\n"


def has_origin(repo: Path) -> bool:
    """Whether ``repo`` has the remote ``origin`` to push to."""
    return "origin" in _git(repo, "remote").split()


def _check_branch(repo: Path, branch: str) -> None:
    """Refuse a repository whose checked-out branch is not ``branch``, saying how to switch."""
    shown = display_path(repo)
    try:
        current = _git(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
    except LessonkitError:
        raise LessonkitError(f"{shown} has no branch checked out — run `git -C {shown} switch {branch}` "
                             f"first") from None
    if current != branch:
        raise LessonkitError(f"{shown} is on branch {current}, not {branch} — run `git -C {shown} switch {branch}` "
                             f"first, or give --branch {current}")


def _has_identity(repo: Path) -> bool:
    """Whether git knows who commits here (user.name and user.email, or git's environment variables)."""
    try:
        _git(repo, "var", "GIT_AUTHOR_IDENT")
        _git(repo, "var", "GIT_COMMITTER_IDENT")
    except LessonkitError:
        return False
    return True


def _git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return what it printed; a failure raises a LessonkitError with git's own words."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], check=False, capture_output=True, text=True)
    except FileNotFoundError:
        raise LessonkitError("git is not installed — install it (Debian and Ubuntu: apt-get install git; "
                             "others: https://git-scm.com) and run this again") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        command = next(arg for arg in args if not arg.startswith("-") and "=" not in arg)
        raise LessonkitError(f"git {command} failed in {display_path(repo)}: {said[-1] if said else done.returncode}")
    return done.stdout.strip()
