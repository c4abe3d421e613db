"""Every notebook runs top to bottom and shows at least one plot; Persian plot text is shaped."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_and_plots(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name} shows no plot"


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "corpus_overview.ipynb"}


def test_persian_title_is_shaped_and_rendered(tmp_path):
    pytest.importorskip("arabic_reshaper")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fa_policy_nlp.plotting import fa, is_shaped, use_persian_font

    use_persian_font()
    raw = "ادعاها بر حسب حوزه سیاستی"
    fig, ax = plt.subplots()
    ax.set_title(fa(raw))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise here
        fig.savefig(tmp_path / "t.png")
    title = ax.get_title()
    assert is_shaped(title) and not is_shaped(raw)
    # visual order: the first logical letter is drawn last (right-to-left), in its final or isolated form
    assert title != raw and (tmp_path / "t.png").stat().st_size > 1000
    plt.close(fig)
