"""Keep the size-and-shape script working on this checkout."""

from pathlib import Path

import pytest

from bench.size_and_shape import main, measure

ROOT = Path(__file__).resolve().parent.parent


def test_every_app_is_measured_with_its_tests_apart(capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    shape = main([])
    apps = {p.name for p in (ROOT / "iom").iterdir() if (p / "__init__.py").exists()}
    assert apps <= set(shape.apps)
    assert all(shape.apps[a].source > 0 for a in apps)
    assert shape.apps["cohorts"].tests > 0 and shape.apps["tests"].source == 0
    assert shape.largest_source[1] >= max(
        len(p.read_bytes().splitlines()) for p in (ROOT / "iom" / "cohorts").glob("*.py"))
    assert "Import circles: 0" in capsys.readouterr().out


def test_a_file_is_counted_where_it_sits(tmp_path: Path) -> None:
    for name, text in {"iom/__init__.py": "", "iom/app/__init__.py": "",
                       "iom/app/views.py": "a = 1\nb = 2\n",
                       "iom/app/tests/test_views.py": "x = 1\n",
                       "iom/app/migrations/0001_initial.py": "m = 1\nn = 2\no = 3\n",
                       "bench/test_smoke.py": "t = 1\n", "bench/run.py": "r = 1\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    shape = measure(tmp_path, with_circles=False)
    app = shape.apps["app"]
    assert (app.source, app.tests, app.migrations) == (2, 1, 3)
    assert (shape.apps["bench"].source, shape.apps["bench"].tests) == (1, 1)
    assert shape.largest_source == ("iom/app/views.py", 2)
