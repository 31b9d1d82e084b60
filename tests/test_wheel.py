"""Does an installed (non-editable) wheel carry every dataset, and the JupyterLab extension for the exercises?"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(UV is None, reason="uv is installed by the Makefile's setup step")
def test_wheel_installed_outside_the_checkout_loads_every_dataset(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([UV, "build", "--wheel", "--out-dir", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("trotsky_edu-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([UV, "pip", "install", "--quiet", "--python", str(python), str(wheel)], check=True)
    code = (
        "import trotsky_edu as t\n"
        "from trotsky_edu.validate import validate_folder\n"
        "assert 'site-packages' in str(t.datasets.data_dir()), t.datasets.data_dir()\n"
        "for name in t.list_datasets(): assert len(t.datasets.load(name)) > 0, name\n"
        "assert validate_folder() == []\n"
        "print(len(t.list_datasets()))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 8
    extension = venv / "share" / "jupyter" / "labextensions" / "trotsky-edu"
    assert (extension / "package.json").is_file() and (extension / "static" / "remoteEntry.js").is_file()
