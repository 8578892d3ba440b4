"""The `negotiate` command: a thin shell that turns options into Settings, calls the core,
and renders the result for a terminal."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assistant.settings import Settings
from index.embed import Embedder
from index.errors import GuidesUnavailable, IndexLocked
from index.lint import GuideReport, Severity, coverage_of, lint_path

if TYPE_CHECKING:
    from assistant.storage import Store

app = typer.Typer(
    help="Negotiation Assistant: exact, cited answers from negotiation guides.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# soft_wrap: a finding stays one `file:line: ...` line when piped, so it can be grepped.
# emoji off: rich would turn "file.md:100:" into a 💯.
console = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)
prose = Console()  # answers wrap to the terminal like any text

PathArg = Annotated[
    Path | None, typer.Argument(help="A guide file or a folder of guides (default: NEGOTIATE_SEEDS_DIR).")
]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Index folder (default: NEGOTIATE_INDEX_DIR).")]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Embedding model name or path (default: NEGOTIATE_MODEL).")
]
TodayOpt = Annotated[
    datetime | None,
    typer.Option("--today", formats=["%Y-%m-%d"], help="Judge staleness as of this date (default: today)."),
]

# Conversations started with `negotiate ask` belong to the command line (any local user of
# this database); --conversation continues only those.
CLI_OWNER = "cli"
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def settings_from(**overrides: object) -> Settings:
    """Settings from the environment, with the CLI options that were given on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    today = given.get("today")
    if isinstance(today, datetime):
        given["today"] = today.date()
    return Settings(**given)  # type: ignore[arg-type]


def embed_progress(progress: Progress, description: str):  # type: ignore[no-untyped-def]
    task = progress.add_task(description, total=None)
    return lambda done, total: progress.update(task, completed=done, total=total)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def print_reports(reports: list[GuideReport], console: Console, quiet_ok: bool = False) -> None:
    for report in reports:
        if quiet_ok and not report.findings:
            continue
        mark = "[green]✓[/]" if report.ok else "[bold red]✗[/]"
        name = f" ({escape(report.guide.id)})" if report.guide else ""
        console.print(f"{mark} [bold]{escape(report.file)}[/]{name}", highlight=False)
        if report.guide is not None:
            console.print(f"  {coverage_of(report.guide)}", style="dim", highlight=False, markup=False)
        for finding in sorted(report.findings, key=lambda f: (f.line or 0, f.code)):
            console.print(f"  {finding}", style=_STYLE[finding.severity], highlight=False, markup=False)


@app.command()
def lint(path: PathArg = None, today: TodayOpt = None) -> None:
    """Check guides: errors (unusable), warnings (inconsistent or stale), info. Exits 1 on any error."""
    settings = settings_from(seeds_dir=path, today=today)
    root = settings.seeds_dir.parent if settings.seeds_dir.is_dir() else Path.cwd()
    try:
        reports = lint_path(
            settings.seeds_dir, root, settings.effective_today(), max_guide_bytes=settings.max_guide_bytes
        )
    except GuidesUnavailable as error:
        err.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(2) from error
    if not reports:
        err.print(f"no guides (*.md) found under {settings.seeds_dir}")
        raise typer.Exit(2)
    print_reports(reports, console)
    counts = {s: sum(f.severity is s for r in reports for f in r.findings) for s in Severity}
    console.print(
        f"\n{len(reports)} guides: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} info"
    )
    if counts[Severity.ERROR]:
        raise typer.Exit(1)


WatchOpt = Annotated[
    bool,
    typer.Option(
        "--watch",
        help="After building, rebuild whenever a guide file changes, until Ctrl-C. A guide that breaks "
        "is reported and the last good index stays published.",
    ),
]


@app.command()
def build(
    path: PathArg = None, index: IndexOpt = None, model: ModelOpt = None, force: bool = False, watch: WatchOpt = False
) -> None:
    """Build or update the index: lint, split into sections, embed what changed, save atomically."""
    settings = settings_from(seeds_dir=path, index_dir=index, model=model)
    if not settings.seeds_dir.exists():
        err.print(f"[red]no such folder or file: {settings.seeds_dir}[/]")
        raise typer.Exit(2)
    embedder = settings.build_embedder()  # loaded once: every rebuild while watching reuses it
    try:
        if not watch:
            _build_and_report(settings, embedder, force=force)
            return
        try:
            _watch(settings, embedder, force)
        except KeyboardInterrupt:
            console.print("Stopped watching; the last index built stays published.")
    finally:
        embedder.close()


def _watch(settings: Settings, embedder: Embedder, force: bool) -> None:
    """Build, then rebuild on every burst of guide changes. A rebuild that fails is reported and
    watching goes on: whatever failed, the generation published before stays in place."""
    from index.watch import guide_changes

    changes = guide_changes(settings.seeds_dir)
    next(changes)  # watching from here: an edit made during the first build is seen, and rebuilt after it
    _build_and_report(settings, embedder, force=force, keep_last_good=True, fatal=False)
    console.print(f"Watching {settings.seeds_dir} for guide changes (Ctrl-C to stop).")
    for changed in changes:
        names = ", ".join(_shown(p, settings) for p in changed[:3]) + (", …" if len(changed) > 3 else "")
        console.print(f"\n[bold]{datetime.now():%H:%M:%S}[/] changed: {escape(names)}", highlight=False)
        try:
            _build_and_report(settings, embedder, keep_last_good=True, changed=changed, fatal=False)
        except Exception as error:  # noqa: BLE001 - one failed rebuild must not end the watch
            err.print(f"[red]rebuild failed: {escape(str(error))}; the last good index stays published[/]")


def _shown(path: Path, settings: Settings) -> str:
    root = settings.seeds_dir if settings.seeds_dir.is_dir() else settings.seeds_dir.parent
    return str(path.relative_to(root.resolve())) if path.is_relative_to(root.resolve()) else str(path)


def _build_and_report(
    settings: Settings,
    embedder: Embedder,
    *,
    force: bool = False,
    keep_last_good: bool = False,
    changed: list[Path] | None = None,
    fatal: bool = True,
) -> None:
    """One build, with its lint findings and timing. Guides with errors are always listed;
    when `changed` names the files that triggered it, their warnings too (their author is
    looking). `fatal`: a locked index or missing folder exits; otherwise it is reported."""
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index

    started = time.perf_counter()
    try:
        with progress_bar() as bar:
            result = build_index(
                settings.seeds_dir,
                settings.index_dir,
                embedder,
                today=settings.effective_today(),
                force=force,
                progress=embed_progress(bar, "Embedding sections"),
                extras=IntentArtifacts(),
                max_guide_bytes=settings.max_guide_bytes,
                lock_timeout=settings.build_lock_timeout,
                keep_last_good=keep_last_good,
            )
    except (GuidesUnavailable, IndexLocked) as error:
        err.print(f"[red]{escape(str(error))}[/]")
        if fatal:
            raise typer.Exit(2) from error
        return
    took = time.perf_counter() - started
    if result.up_to_date:
        console.print(f"Index is up to date: {result.guides} guides in {settings.index_dir} (nothing changed).")
        return
    looked_at = {p.resolve() for p in changed or []}
    print_reports([r for r in result.reports if not r.ok or r.path.resolve() in looked_at], console)
    if result.held_back:
        console.print(
            f"[bold red]Not published ({took:.1f} s): {', '.join(result.held_back)} now has errors (above). "
            f"The last good index stays published, with {result.guides} guides.[/]"
        )
        return
    warnings = sum(f.severity is Severity.WARNING for r in result.reports for f in r.findings)
    sections = result.embedded + result.reused
    console.print(
        f"Indexed {result.guides} guides, {sections} sections ({result.embedded} embedded, {result.reused} reused) "
        f"in {took:.1f} s → {settings.index_dir} ({result.manifest.generation})"
    )
    if result.manifest.skipped:
        console.print(f"[bold red]Skipped {len(result.manifest.skipped)} guide(s) with errors (listed above).[/]")
    if warnings:
        console.print(f"[yellow]{warnings} warning(s): run `negotiate lint` to see them.[/]")


def open_assistant(settings: Settings, remember: bool = False):  # type: ignore[no-untyped-def]
    """The assistant over the configured index, building it first (with progress) if needed.
    `remember` keeps conversations in the database, so a later command can continue one."""
    from assistant.core import Assistant

    with progress_bar() as bar:
        return Assistant.from_settings(
            settings,
            conversations=_store(settings) if remember else None,
            on_rebuild=lambda why: err.print(f"[yellow]Building the index first: {why}[/]"),
            progress=embed_progress(bar, "Embedding sections"),
        )


def _store(settings: Settings) -> Store:
    """The configured store; a database that cannot be opened or reached ends the command
    with its reason (which names the file or host, never a password)."""
    from assistant.storage import StoreUnavailable, open_store

    try:
        return open_store(settings.database)
    except StoreUnavailable as error:
        err.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(2) from error


def render_answer(answer, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        console.print_json(answer.model_dump_json())
        return
    from rich.markdown import Markdown

    prose.print(Markdown(answer.answer_markdown))
    if answer.citations:
        prose.print()
        for c in answer.citations:
            lines = f"{c.start_line}" if c.start_line == c.end_line else f"{c.start_line}–{c.end_line}"
            prose.print(f"[dim][{c.n}] {c.guide_title} — {c.section} ({c.source_path}:{lines})[/]", highlight=False)
    if answer.follow_ups:
        prose.print("\n[dim]Try: " + " · ".join(answer.follow_ups) + "[/]", highlight=False)


SeedsOpt = Annotated[
    Path | None,
    typer.Option("--seeds", help="Folder of guides the index is built from (default: NEGOTIATE_SEEDS_DIR)."),
]


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON.")] = False,
    conversation: Annotated[str | None, typer.Option("--conversation", help="Continue this conversation id.")] = None,
    index: IndexOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Answer one question with exact, cited figures from the guides."""
    from assistant.conversation import UnknownConversation
    from assistant.core import BadQuestion

    assistant = open_assistant(settings_from(index_dir=index, seeds_dir=seeds), remember=True)
    try:
        answer = assistant.ask(question, conversation, owner=CLI_OWNER)
        render_answer(answer, as_json)
        if not as_json:
            prose.print(f"[dim]Continue with --conversation {answer.conversation_id}[/]", highlight=False)
    except (BadQuestion, UnknownConversation) as error:
        err.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error


def _age(text: str) -> timedelta:
    """ "30d", "12h", "90m" -> a timedelta."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise typer.BadParameter(f"{text!r} is not an age like 30d, 12h or 90m")
    return timedelta(**{units[text[-1]]: int(text[:-1])})


def _build_before_serving(settings: Settings) -> None:
    """Bring the index up to date once, here, rather than in every worker at once. A locked
    index or a missing folder is reported, not fatal: the workers serve the last good index."""
    embedder = settings.build_embedder()
    try:
        _build_and_report(settings, embedder, fatal=False)
    finally:
        embedder.close()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: NEGOTIATE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: NEGOTIATE_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes (default: NEGOTIATE_WORKERS).")] = None,
) -> None:
    """Serve the chat page, the HTTP API and Slack (building the index first if needed)."""
    import os

    import uvicorn

    settings = settings_from(host=host, port=port, workers=workers)
    # Each worker process builds its app from the environment: hand it what was chosen here.
    os.environ["NEGOTIATE_WORKERS"] = str(settings.workers)
    # Reach and migrate the database once here: a wrong URL is one clear line, not a
    # traceback per worker (each worker checks again, and finds nothing to migrate).
    _store(settings).close()
    _build_before_serving(settings)
    uvicorn.run(
        "web.app:create_app",  # by name: this command never imports the web layer
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="info",
        # No "Server: uvicorn" header, and no uvicorn access log: its lines hold full paths
        # (and so conversation ids); web.access logs each request by its route instead.
        server_header=False,
        access_log=False,
        log_config=_log_config(),
    )


def _log_config() -> dict[str, object]:
    """uvicorn's logging, with the app's own loggers (web.access, the index) shown too."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["app"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["app"] = {"class": "logging.StreamHandler", "formatter": "app", "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["app"], "level": "INFO"}
    return config


@app.command()
def forget(
    older_than: Annotated[str, typer.Option("--older-than", help="Age like 30d, 12h or 90m.")],
) -> None:
    """Delete every conversation (questions, answers, ratings) not continued for this long."""
    age = _age(older_than)
    store = _store(settings_from())
    try:
        gone = store.forget(age)
    finally:
        store.close()
    console.print(f"Forgot {gone} conversation{'s' if gone != 1 else ''} not continued for {older_than}.")


@app.command("api-key")
def api_key() -> None:
    """Make an API key: give the key to the client, add its SHA-256 to NEGOTIATE_API_KEYS."""
    from assistant.settings import new_api_key

    key, digest = new_api_key()
    console.print(f"key (give to the client; it is not kept):  {key}")
    console.print(f"sha256 (add to NEGOTIATE_API_KEYS):        {digest}")


@app.command()
def chat(index: IndexOpt = None, seeds: SeedsOpt = None) -> None:
    """Ask questions one after another; follow-ups keep the conversation's context."""
    from assistant.core import BadQuestion

    assistant = open_assistant(settings_from(index_dir=index, seeds_dir=seeds))
    conversation = None
    console.print("[dim]Ask about an offer (empty line or Ctrl-D to quit). Try: help[/]")
    while True:
        try:
            question = console.input("[bold]> [/]")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip():
            break
        try:
            answer = assistant.ask(question, conversation)
        except BadQuestion as error:
            err.print(f"[red]{error}[/]")
            continue
        conversation = answer.conversation_id
        render_answer(answer, as_json=False)
        console.print()


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Option(help="The gold question set (YAML).")] = Path("tests/gold.yaml"),
    index: IndexOpt = None,
    seeds: SeedsOpt = None,
    failures: Annotated[bool, typer.Option("--failures", help="List each failing question.")] = False,
    nlu: Annotated[
        Path | None,
        typer.Option("--nlu", help="Score understanding on a questions file (intents, entities, confusion matrix)."),
    ] = None,
) -> None:
    """Score the gold set end to end per retrieval mode, or (--nlu FILE) understanding on outside questions."""
    from rich.table import Table

    from assistant.core import Assistant
    from assistant.evaluate import check, field_accuracy, judge_file, load_gold, score, summarize

    base = open_assistant(settings_from(index_dir=index, seeds_dir=seeds))
    if nlu is not None:
        judged = judge_file(base, nlu)
        scores = score(judged)
        table = Table(title=f"Understanding: {nlu} ({len(judged)} questions and turns)")
        for column in ("intent", "precision", "recall", "F1"):
            table.add_column(column, justify="right" if column != "intent" else "left")
        for label in scores.labels:
            table.add_row(
                label, f"{scores.precision[label]:.2f}", f"{scores.recall[label]:.2f}", f"{scores.f1[label]:.2f}"
            )
        console.print(table)
        console.print(f"macro-F1 {scores.macro_f1:.3f} · intent accuracy {scores.accuracy:.1%} · "
                      f"all entities right {scores.entity_accuracy:.1%}")  # fmt: skip
        console.print(" · ".join(f"{k} {a}/{n}" for k, (a, n) in field_accuracy(judged).items()), highlight=False)
        console.print(scores.matrix(), highlight=False, markup=False)
        trained = base.training_report()
        if trained:
            console.print(
                f"intent model: C={trained['c']}, 5-fold cross-validated macro-F1 on intents.yaml "
                f"{trained['cv_macro_f1']:.3f}",
                highlight=False,
            )
        if failures:
            for j in judged:
                if j.wrong:
                    err.print(f"{j.question!r}: {j.wrong}", markup=False, highlight=False)
        return
    cases = load_gold(gold)
    table = Table(title=f"Gold set: {len(cases)} questions")
    table.add_column("metric")
    results = {}
    for mode in ("hybrid", "dense", "bm25"):
        assistant = Assistant(base.index, base.embedder, today=base.today, mode=mode, nlu=base.nlu)
        outcomes = [check(assistant, case) for case in cases]
        results[mode] = summarize(outcomes)
        table.add_column(mode, justify="right")
        if failures:
            for o in outcomes:
                if not o.ok:
                    err.print(
                        f"[{mode}] {o.case.question!r}: intent {o.answer.intent}/{o.answer.status} (want "
                        f"{o.case.intent}/{o.case.status}) entities {o.entity_misses} cites missing {o.missing_cites} "
                        f"figures missing {o.missing_figures} stray {o.stray_figures} "
                        f"shown-but-absent {o.present_absent}",
                        markup=False,
                    )
    for metric in results["hybrid"]:
        table.add_row(metric, *(f"{results[mode][metric]:.1%}" for mode in results))
    console.print(table)
