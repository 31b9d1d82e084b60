"""trotsky-edu handout: the student edition as commits in a git repository, and the nbgitpuller link that pulls it."""

import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell
from nbgitpuller.pull import GitPuller

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import BEGIN_SOLUTION, is_answer_key, is_instructor
from trotsky_edu.lessonkit.studentcopy import CODE_STUB

REPO_LESSONS = Path(__file__).resolve().parents[1] / "lessons"
HUB = "https://hub.example.edu"
REPO_URL = "https://github.com/ORG/trotsky-edu-class"


@pytest.fixture(autouse=True)
def git_config(tmp_path, monkeypatch):
    """Git reads only this test's settings (a name to commit with), never the machine's or the user's."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Instructor\n\temail = instructor@example.edu\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return config


@pytest.fixture
def lessons(tmp_path):
    """A copy of the course's lessons (the instructor edition), to change freely."""
    return shutil.copytree(REPO_LESSONS, tmp_path / "course" / "lessons")


def handout(lessons: Path, repo: Path, *extra: str, repo_url: str = REPO_URL) -> int:
    return main(["handout", "--lessons", str(lessons), "--repo", str(repo), "--hub", HUB, "--repo-url", repo_url, *extra])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def commits(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD"))


def add_cell(notebook_path: Path, text: str) -> None:
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.insert(1, new_markdown_cell(text))
    nbformat.write(notebook, notebook_path)


def test_first_handout_is_one_commit_of_exactly_the_student_edition(lessons, tmp_path, capsys):
    """The new repository's one commit holds the files `student-copy` writes, byte for byte, and nothing else."""
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    assert commits(repo) == 1
    assert main(["student-copy", "--lessons", str(lessons), "--out", str(tmp_path / "copy")]) == 0
    expected = sorted(path.name for path in (tmp_path / "copy").iterdir())
    assert git(repo, "ls-tree", "--name-only", "HEAD").splitlines() == expected
    for name in expected:
        assert git(repo, "show", f"HEAD:{name}") == (tmp_path / "copy" / name).read_text(encoding="utf-8").strip()
    assert git(repo, "status", "--porcelain") == ""
    assert "committed" in capsys.readouterr().out


def test_the_handout_leaves_out_instructor_notes_answer_keys_and_solutions(lessons, tmp_path):
    """The lessons have instructor cells, answer keys and solutions; none of them is committed."""
    sources = [nbformat.read(path, as_version=4) for path in sorted(lessons.glob("[0-9][0-9]-*.ipynb"))]
    assert any(is_instructor(cell) for notebook in sources for cell in notebook.cells)
    assert any(is_answer_key(cell) for notebook in sources for cell in notebook.cells)
    assert any(BEGIN_SOLUTION in cell.source for notebook in sources for cell in notebook.cells)
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    for name in git(repo, "ls-tree", "--name-only", "HEAD").splitlines():
        if name.endswith(".ipynb"):
            committed = nbformat.reads(git(repo, "show", f"HEAD:{name}"), as_version=4)
            assert not any(is_instructor(cell) or is_answer_key(cell) for cell in committed.cells), name
            assert not any(BEGIN_SOLUTION in cell.source for cell in committed.cells), name


def test_a_second_handout_without_changes_makes_no_commit(lessons, tmp_path, capsys):
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    head = git(repo, "rev-parse", "HEAD")
    capsys.readouterr()
    assert handout(lessons, repo) == 0
    assert git(repo, "rev-parse", "HEAD") == head
    assert "unchanged:" in capsys.readouterr().out


def test_a_changed_lesson_makes_a_second_commit_of_that_lesson_only(lessons, tmp_path):
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    add_cell(lessons / "02-civil-war.ipynb", "A correction for this term.")
    assert handout(lessons, repo) == 0
    assert commits(repo) == 2
    assert git(repo, "show", "--name-status", "--format=%s", "HEAD").splitlines() == [
        "Student edition: update 02-civil-war.ipynb", "", "M\t02-civil-war.ipynb"]
    assert "A correction for this term." in git(repo, "show", "HEAD:02-civil-war.ipynb")


def test_handing_out_fewer_lessons_removes_the_others_and_keeps_other_files(lessons, tmp_path):
    """The repository's lessons are the ones named; a file the instructor added (a README) stays."""
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    (repo / "README.md").write_text("Our class\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "--message", "A README")
    assert handout(lessons, repo, "00-start-here", "01-revolution") == 0
    assert git(repo, "ls-tree", "--name-only", "HEAD").splitlines() == [
        "00-start-here.ipynb", "01-revolution.ipynb", "README.md", "index.md"]
    assert git(repo, "log", "-1", "--format=%s") == "Student edition: remove 4 files"


def test_without_a_git_identity_the_commit_is_still_made_and_says_how_to_sign(lessons, tmp_path, git_config, capsys):
    git_config.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo) == 0
    assert git(repo, "log", "-1", "--format=%an") == "trotsky-edu handout"
    assert "git config --global user.name" in capsys.readouterr().out


def test_a_repository_on_another_branch_is_refused_with_the_fix(lessons, tmp_path, capsys):
    repo = tmp_path / "trotsky-edu-class"
    assert handout(lessons, repo, "--branch", "spring") == 0
    assert handout(lessons, repo) == 1
    error = capsys.readouterr().err
    assert "is on branch spring, not main" in error and "--branch spring" in error
    assert commits(repo) == 1


def test_a_repository_inside_the_lessons_folder_is_refused(lessons, capsys):
    assert handout(lessons, lessons / "class") == 1
    assert "choose a folder outside it" in capsys.readouterr().err
    assert not (lessons / "class").exists()


def test_the_link_is_nbgitpullers_pull_and_open_the_first_lesson(capsys):
    """--link-only prints one line: nbgitpuller's git-pull URL with repo, branch, targetpath and urlpath."""
    assert main(["handout", "--link-only", "--hub", HUB + "/", "--repo-url", REPO_URL, "--branch", "spring"]) == 0
    link = capsys.readouterr().out
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FORG%2Ftrotsky-edu-class"
        "&branch=spring&targetpath=trotsky-edu-class&urlpath=lab%2Ftree%2Ftrotsky-edu-class%2F00-start-here.ipynb\n")
    parts = urlsplit(link.strip())
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "repo": [REPO_URL], "branch": ["spring"], "targetpath": ["trotsky-edu-class"],
        "urlpath": ["lab/tree/trotsky-edu-class/00-start-here.ipynb"]}


def test_the_link_names_the_folder_given_and_drops_dot_git(capsys):
    assert main(["handout", "--link-only", "--hub", HUB, "--repo-url", REPO_URL + ".git", "--folder", "history"]) == 0
    query = parse_qs(urlsplit(capsys.readouterr().out.strip()).query)
    assert query["repo"] == [REPO_URL + ".git"]
    assert (query["targetpath"], query["urlpath"]) == (["history"], ["lab/tree/history/00-start-here.ipynb"])
    assert main(["handout", "--link-only", "--hub", HUB, "--repo-url", REPO_URL + ".git"]) == 0
    assert parse_qs(urlsplit(capsys.readouterr().out.strip()).query)["targetpath"] == ["trotsky-edu-class"]


@pytest.mark.parametrize("option, value, fix", [
    ("--hub", "hub.example.edu", "such as https://hub.example.edu"),
    ("--hub", "https://hub.example.edu/hub/home", "without /hub"),
    ("--repo-url", "git@github.com:ORG/trotsky-edu-class.git", "give its https:// address"),
])
def test_addresses_students_cannot_use_are_refused_with_the_fix(option, value, fix, capsys):
    options = {"--hub": HUB, "--repo-url": REPO_URL, option: value}
    assert main(["handout", "--link-only", *[item for pair in options.items() for item in pair]]) == 1
    assert fix in capsys.readouterr().err


def test_handout_without_repo_says_to_give_one(capsys):
    assert main(["handout", "--hub", HUB, "--repo-url", REPO_URL]) == 2
    assert "--repo DIR" in capsys.readouterr().err


def test_nbgitpuller_pulls_updates_and_keeps_the_students_own_work(lessons, tmp_path, capsys):
    """nbgitpuller, driven by the link's parameters, clones the handout into a student's home; after the
    student answers in one lesson and the instructor corrects another, a second pull brings the correction
    and keeps the answer."""
    published = tmp_path / "trotsky-edu-class"
    assert handout(lessons, published, repo_url=published.as_uri()) == 0
    link = capsys.readouterr().out.splitlines()[-1].removeprefix("Students open: ")
    query = {key: value for key, [value] in parse_qs(urlsplit(link).query).items()}
    home = tmp_path / "home" / "student"
    home.mkdir(parents=True)
    clone = home / query["targetpath"]

    def pull():
        for _line in GitPuller(query["repo"], str(clone), branch=query["branch"]).pull():
            pass

    pull()
    assert (home / query["urlpath"].removeprefix("lab/tree/")).is_file()

    answered = clone / "01-revolution.ipynb"
    notebook = nbformat.read(answered, as_version=4)
    exercise = next(cell for cell in notebook.cells if CODE_STUB in cell.source)
    exercise.source = exercise.source.replace(CODE_STUB, "answer = 'the Mensheviks'  # my own answer")
    nbformat.write(notebook, answered)

    add_cell(lessons / "02-civil-war.ipynb", "A correction for this term.")
    assert handout(lessons, published, repo_url=published.as_uri()) == 0
    assert commits(published) == 2
    pull()
    assert "the Mensheviks'  # my own answer" in answered.read_text(encoding="utf-8")
    assert "A correction for this term." in (clone / "02-civil-war.ipynb").read_text(encoding="utf-8")


def test_the_guides_link_is_the_one_the_guides_command_prints(capsys):
    """docs/instructors.md shows the link its `handout --link-only` command prints, character for character."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "instructors.md").read_text(encoding="utf-8")
    command = next(line for line in guide.splitlines() if line.startswith("trotsky-edu handout --link-only"))
    assert main(shlex.split(command)[1:]) == 0
    assert f"\n{capsys.readouterr().out}```" in guide
