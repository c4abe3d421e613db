"""The ``fa-policy`` command line (thin click layer over the library)."""

from __future__ import annotations

import json
import sys

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fa-policy")
def main() -> None:
    """fa-policy-nlp: structured data from Persian news (figures, dates, officials, claims, CAP domains)."""


@main.command()
@click.argument("infile", type=click.File("r", encoding="utf-8"), default="-")
@click.argument("outfile", type=click.File("w", encoding="utf-8"), default="-")
def normalize(infile, outfile) -> None:
    """Normalise Persian text (restore ZWNJ, unify letters and digits). Reads INFILE (or stdin)."""
    from .normalize import default_normalizer

    norm = default_normalizer()
    for line in infile:
        outfile.write(norm.normalize(line.rstrip("\n")) + "\n")


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--published", help="Publication date (ISO 2025-10-06 or Jalali 1404-07-14).")
@click.option("--source", help="Source (news agency) of the article.")
@click.option("--model", type=click.Path(exists=True, dir_okay=False), help="A domain model trained with 'fa-policy train'.")
@click.option("--indent", type=int, default=1, show_default=True)
def analyze(file, published, source, model, indent) -> None:
    """Analyse one article (a text file) and print JSON."""
    from .errors import InputError
    from .pipeline import analyze as _analyze

    try:
        art = _analyze(file.read(), published=published, source=source, model=model)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    json.dump(art.to_dict(), sys.stdout, ensure_ascii=False, indent=indent)
    sys.stdout.write("\n")


if __name__ == "__main__":  # pragma: no cover
    main()
