"""The ``fa-policy`` command line (thin click layer over the library)."""

from __future__ import annotations

import json
import os
import sys

from importlib import import_module

import click

from . import __version__


class _LazyGroup(click.Group):
    """A group whose heavier subcommands are imported only when used (or listed by ``--help``): ``train`` pulls in
    the training code and NumPy, which ``extract``'s parent process never needs; with ``--jobs`` every worker
    process also imports this module, so what it imports costs once per process."""

    lazy = {"train": ("fa_policy_nlp.training", "train_command")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attr = self.lazy[cmd_name]
            command = getattr(import_module(module), attr)
            if command is not None:
                self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    from .errors import InputError, ModelError
    from .pipeline import analyze as _analyze

    try:
        art = _analyze(file.read(), published=published, source=source, model=model)
    except (InputError, ModelError) as exc:
        raise click.UsageError(str(exc)) from exc
    json.dump(art.to_dict(), sys.stdout, ensure_ascii=False, indent=indent)
    sys.stdout.write("\n")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="Folder for the tables.")
@click.option("--text-field", default="title,text", show_default=True,
              help="Field(s) holding the text, comma-separated; several are joined with a newline.")
@click.option("--id-field", default="id", show_default=True, help="Field with the article id (else FILE:LINE).")
@click.option("--date-field", default="published", show_default=True,
              help="Field with the publication date (ISO or Jalali).")
@click.option("--source-field", default="source", show_default=True, help="Field with the source/agency.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True,
              help="parquet: one file per table; jsonl: nested articles.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Processes that analyse (this one and N-1 workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --engine dask); a local cluster otherwise.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False),
              help="Where to write one JSON line per broken record [default: OUTPUT/errors.jsonl].")
@click.option("--model", type=click.Path(exists=True, dir_okay=False), help="Domain model from 'fa-policy train'.")
@click.option("--chunk-size", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Records per work unit (and per resume checkpoint).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run into the same --output.")
@click.option("--overwrite", is_flag=True, help="Replace results already in --output.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any record failed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def extract(inputs, output, text_field, id_field, date_field, source_field, fmt, jobs, engine, scheduler,
            errors_path, model, chunk_size, resume, overwrite, strict, quiet) -> None:
    """Analyse article dumps (JSONL, JSON arrays, CSV, Parquet, .gz, folders of .txt) into tables.

    Writes articles/claims/figures/dates/officials/mentions.parquet into OUTPUT (or articles.jsonl with
    --format jsonl). Broken records go to the errors file with their line numbers; the run goes on.
    """
    from .batch import RunConfig, run_extract
    from .errors import InputError, ModelError, WorkerError
    from .io import FieldSpec

    fields = tuple(f.strip() for f in text_field.split(",") if f.strip())
    if not fields:
        raise click.UsageError("--text-field names no field")
    spec = FieldSpec(text=fields, id=id_field or None, date=date_field or None, source=source_field or None)
    config = RunConfig(inputs=list(inputs), output=output, spec=spec, format=fmt, jobs=jobs, chunk_size=chunk_size,
                       model=model, errors=errors_path, resume=resume, overwrite=overwrite, quiet=quiet,
                       engine=engine, scheduler=scheduler)
    if model:
        from .domain import load_model

        try:
            load_model(model)  # refuse a bad model before any work starts
        except ModelError as exc:
            raise click.UsageError(str(exc)) from exc
    try:
        summary = run_extract(config)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    except WorkerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        click.echo(summary.line(), err=True)
    if strict and summary.failed:
        sys.exit(1)


def run() -> None:
    """The ``fa-policy`` console command: :func:`main`, then an exit that skips the interpreter's teardown.

    Tearing down a process that built the pipeline (freeing its word tables and caches object by object) takes
    0.1-0.5 s and does nothing useful at the end of a command: every output is already written and renamed, worker
    processes are done (and end with their parent anyway), streams are flushed here. Library use (``main`` called
    in-process, e.g. by tests) is not affected."""
    # one BLAS thread (unless the user set otherwise): the pipeline's matrices are tiny, parallel runs use processes,
    # and a process without extra threads may fork its --jobs workers (see batch._worker_context)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        main()  # standalone mode: always ends with SystemExit
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
