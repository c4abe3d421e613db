"""Write the notebooks in notebooks/ from the cell sources below (so they stay reviewable as code).

Run: .venv/bin/python scripts/make_notebooks.py   (the test suite executes the notebooks with nbclient)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

QUICKSTART = [
    ("md", "# fa-policy-nlp — quick start\n\nOne article from the project's sample dump (`corpora/sample`, "
           "written for the project, not real news): normalised text, entities, claims with speakers, figures "
           "and dates."),
    ("code", "import json\nfrom pathlib import Path\n\nimport pandas as pd\nfrom fa_policy_nlp import analyze\n\n"
             "ROOT = Path.cwd().parent if Path.cwd().name == 'notebooks' else Path.cwd()\n"
             "records = [json.loads(l) for l in (ROOT / 'corpora/sample/articles.jsonl').read_text(encoding='utf-8').splitlines()]\n"
             "rec = max(records, key=lambda r: r['text'].count(':'))  # an article with many quotes\n"
             "article = analyze(rec['title'] + '\\n' + rec['text'], published=rec['published'], source=rec['source'])\n"
             "print(rec['id'], rec['published'], rec['source'])\nprint(article.normalized[:400])"),
    ("md", "## Entities (spaCy + displacy, right-to-left)"),
    ("code", "import spacy\nfrom spacy import displacy\nfrom IPython.display import HTML, display\n\n"
             "nlp = spacy.blank('fa')\nnlp.add_pipe('fa_policy', config={'published': str(rec['published'])})\n"
             "doc = nlp(article.text)\ndisplay(HTML(displacy.render(doc, style='ent', jupyter=False)))"),
    ("md", "## Claims: who said what"),
    ("code", "frames = article.to_frames()\n"
             "frames['claims'][['claim_id', 'speaker_name', 'cue', 'domain', 'n_figures', 'n_dates', 'text']]"),
    ("code", "frames['figures'][['text', 'value', 'unit', 'kind', 'currency', 'qualifier', 'claim_id']]"),
    ("code", "frames['dates'][['text', 'jalali', 'start_date', 'end_date', 'granularity', 'relative']]"),
    ("md", "## A plot with Persian labels\n`fa()` shapes and orders Persian text for matplotlib."),
    ("code", "import matplotlib.pyplot as plt\n"
             "from fa_policy_nlp.plotting import fa, use_persian_font\n\nuse_persian_font()\n"
             "counts = frames['figures']['kind'].value_counts()\n"
             "names = {'count': 'شمار', 'money': 'پول', 'percent': 'درصد', 'measure': 'اندازه', 'ordinal': 'ترتیبی'}\n"
             "fig, ax = plt.subplots(figsize=(6, 3))\n"
             "ax.bar([fa(names.get(k, k)) for k in counts.index], counts.values, color='#4c72b0')\n"
             "ax.set_title(fa('ارقام این خبر بر حسب نوع'))\nplt.tight_layout()\nplt.show()"),
]

OVERVIEW = [
    ("md", "# fa-policy-nlp — corpus overview\n\nThe whole sample dump (`corpora/sample/articles.jsonl`, written "
           "for the project) through `analyze_frame`: claims per CAP domain by Solar Hijri month, the most quoted "
           "officials, and the largest money figures by domain."),
    ("code", "from pathlib import Path\n\nimport pandas as pd\nfrom fa_policy_nlp import analyze_frame\n"
             "from fa_policy_nlp.calendar import gregorian_to_jalali\nfrom fa_policy_nlp.domain import load_taxonomy\n\n"
             "ROOT = Path.cwd().parent if Path.cwd().name == 'notebooks' else Path.cwd()\n"
             "df = pd.read_json(ROOT / 'corpora/sample/articles.jsonl', lines=True, dtype={'published': str})\n"
             "tables = analyze_frame(df, text_col=['title', 'text'], date_col='published', id_col='id', source_col='source')\n"
             "{k: len(v) for k, v in tables.items()}"),
    ("code", "import matplotlib.pyplot as plt\n"
             "from fa_policy_nlp.plotting import fa, use_persian_font\nuse_persian_font()\n"
             "labels = {code: v.get('name_fa', code) for code, v in load_taxonomy()['labels'].items()}\n"
             "arts = tables['articles'][['article_id', 'published']]\n"
             "claims = tables['claims'].merge(arts, on='article_id')\n"
             "claims['month'] = [f'{y}-{m:02d}' for y, m, _ in (gregorian_to_jalali(d) for d in claims['published'])]\n"
             "pivot = claims.pivot_table(index='month', columns='domain', values='claim_id', aggfunc='count', fill_value=0)\n"
             "top = pivot.sum().sort_values(ascending=False).index[:6]\n"
             "ax = pivot[top].plot(kind='bar', stacked=True, figsize=(8, 4))\n"
             "ax.legend([fa(labels.get(c, c)) for c in top], fontsize=8)\n"
             "ax.set_title(fa('ادعاها بر حسب حوزه سیاستی و ماه شمسی'))\nax.set_xlabel(fa('ماه'))\nplt.tight_layout()\nplt.show()"),
    ("code", "quoted = tables['claims'].dropna(subset=['speaker_name'])['speaker_name'].value_counts().head(10)\n"
             "fig, ax = plt.subplots(figsize=(7, 4))\n"
             "ax.barh([fa(n) for n in quoted.index[::-1]], quoted.values[::-1], color='#55a868')\n"
             "ax.set_title(fa('پرنقل‌قول‌ترین مقام‌ها'))\nplt.tight_layout()\nplt.show()"),
    ("code", "money = tables['figures'][tables['figures']['kind'] == 'money'].merge(\n"
             "    tables['claims'][['article_id', 'claim_id', 'domain']], on=['article_id', 'claim_id'], how='left')\n"
             "money.sort_values('value', ascending=False).groupby('domain', dropna=False).head(1)[\n"
             "    ['domain', 'text', 'value', 'currency', 'article_id']].head(10)"),
]


def build(cells) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    return nb


def main() -> None:
    out = ROOT / "notebooks"
    out.mkdir(exist_ok=True)
    nbformat.write(build(QUICKSTART), out / "quickstart.ipynb")
    nbformat.write(build(OVERVIEW), out / "corpus_overview.ipynb")
    print("wrote", *sorted(p.name for p in out.glob("*.ipynb")))


if __name__ == "__main__":
    main()
