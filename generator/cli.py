"""`python -m generator`: one CLI whose commands are small functions.

Exit status: 0 success, 1 content or build errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import errno
import sys
import time
from pathlib import Path

from . import deploy, scaffold, schema, status
from .build import BuildError, UnknownLanguageError, build
from .config import ConfigError, normal_site_url, read_base_config, site_url_problem
from .content import check_content, read_languages, read_tree
from .coverage import translation_coverage
from .layout import KINDS
from .interrupt import Interrupted, signals_raise
from .output import OutError, SwapError
from .problems import ContentError, did_you_mean, display_path

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line asked for something that cannot be: exit 2, with this one line."""


def cmd_build(args: argparse.Namespace) -> int:
    out = args.out or Path("site-offline" if args.offline else "site")
    if args.offline and args.site_url:
        raise UsageError("--site-url has no use with --offline: the offline copy is opened from "
                         "files and links only to itself; build without --offline to publish")
    report = build(args.content, out, args.config, args.lang, offline=args.offline, jobs=args.jobs,
                   pdf_cache=not args.no_cache, site_url=args.site_url)
    print(report.summary())
    return EXIT_OK


def cmd_deploy(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    deploy.check_repository(cwd, args.remote)
    site_url = args.site_url or read_base_config(args.config).site_url
    if not site_url:
        raise UsageError("the site's address is not set: set site_url in "
                         f"{display_path(args.config)} or pass --site-url URL (its sheets, "
                         "sitemap and links need it); nothing was built or published")
    # GitHub Pages compresses what it sends itself: a .gz and a .br beside every
    # file would only double what each deploy adds to the branch's history.
    report = build(args.content, args.out, args.config, site_url=site_url, compress=False)
    print(report.summary())
    message = f"Publish {site_url} from {deploy.source_commit(cwd)}"
    published = deploy.publish(args.out, cwd, args.remote, args.branch, message)
    print(f"Published {display_path(args.out)} ({published.files} files, "
          f"{len(report.languages)} languages) to {published.remote} {published.branch} as "
          f"{published.commit}: {message}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.content, args.config, args.lang, args.port)


def cmd_check(args: argparse.Namespace) -> int:
    started = time.monotonic()
    kb = check_content(args.content)
    counted = []
    for kind in KINDS:
        counted.append(f"{len(kb.entries[kind.key])} {kind.plural}")
        if kind.key == "phrase_banks":
            counted.append(f"{len(kb.phrases)} phrases")
    counts = ", ".join(counted)
    print(f"Content OK: {counts} in {len(kb.languages)} languages "
          f"({time.monotonic() - started:.2f} s)")
    if not args.translations:
        return EXIT_OK
    coverage = translation_coverage(args.content, kb)
    print("Translations: " + ", ".join(
        f"{c.code} {c.percent:.1f}% ({c.translated}/{c.total})" for c in coverage))
    for c in coverage:
        for where in c.missing:
            print(f"{where}: no {c.code} text yet; the {c.code} site shows the "
                  f"{kb.default_language} text there")
    incomplete = [c.code for c in coverage if not c.complete]
    if incomplete:
        print(f"Not fully translated: {', '.join(incomplete)}.", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _site_url(value: str) -> str:
    problem = site_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return normal_site_url(value)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {value!r}")
    return int(value)


def cmd_schema(args: argparse.Namespace) -> int:
    files = schema.generate(read_languages(args.content))
    out = args.out or args.content / schema.FOLDER
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} is a file, not a folder")
    # Where the folder really is: a .schemas that links to a kind folder is in content.
    own_folder = args.content.resolve() / schema.FOLDER
    if out.resolve().is_relative_to(args.content.resolve()) and out.resolve() != own_folder:
        raise UsageError(f"--out: {out} is inside the content folder, where check would read the "
                         f"schemas as content; inside it, only {args.content / schema.FOLDER} may hold them")
    if args.check:
        differences = schema.out_of_date(files, out)
        for line in differences:
            print(line)
        if differences:
            print("The schemas are out of date: run python -m generator schema", file=sys.stderr)
            return EXIT_ERRORS
        print(f"Schemas up to date: {len(files)} in {display_path(out)}")
    else:
        try:
            changed = schema.write(files, out)
        except (schema.SchemaError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERRORS
        for path in changed:
            print(f"wrote {display_path(path)}" if path.exists() else f"removed {display_path(path)}")
        print(f"Schemas: {len(files)} in {display_path(out)}, {len(changed)} changed")
    print("For VS Code's YAML extension, in .vscode/settings.json:")
    print(schema.vscode_setting(args.content, out))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    try:
        kind = scaffold.kind_named(args.kind)
        languages = read_languages(args.content)
        path = scaffold.new_entry(args.content, kind, args.id, languages)
    except scaffold.NewError as exc:
        if exc.usage:
            raise UsageError(str(exc)) from None
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"wrote {display_path(path)}: fill in every \"\", then run python -m generator check")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    tree, kb = read_tree(args.content)
    state = status.survey(args.content, tree, kb)
    store = display_path(state.store_path)
    if args.update:
        stale = len(state.stale())
        if not status.save(state, state.updated()):
            print(f"{store}: up to date" + (f" ({stale} stale kept as they are)" if stale else ""))
            return EXIT_OK
        print(f"wrote {store}: {len(state.translations) - stale} translations recorded as made "
              f"from the text beside them" + (f", {stale} stale kept as they are" if stale else ""))
        return EXIT_ERRORS
    if args.accept:
        accepted = {_content_file(args.content, name, state.text_files) for name in args.accept}
        status.save(state, state.updated(accept=accepted))
        for rel in sorted(accepted):
            count = sum(1 for t in state.stale() if t.file == rel)
            print(f"accepted {display_path(args.content / rel)}: {count} stale translation(s) "
                  f"recorded as checked")
        return EXIT_OK
    return _print_status(state, kb, store)


def _print_status(state: status.Status, kb, store: str) -> int:
    default = kb.default_language
    print(f"Translations (stale: the {kb.language(default).name} text changed after the "
          "translation was written):")
    for c in state.coverage:
        if c.code == default:
            print(f"  {c.code}: {c.translated}/{c.total} ({c.percent:.1f}%), the default language")
        else:
            print(f"  {c.code}: {c.translated}/{c.total} translated ({c.percent:.1f}%), "
                  f"{len(state.stale(c.code))} stale")
    for c in state.coverage:
        for t in state.stale(c.code):
            print(status.stale_message(t, kb))
    for c in state.coverage:
        for where in c.missing:
            print(f"{where}: no {c.code} text yet; the {c.code} site shows the {default} text there")
    for rel in sorted(state.gone):
        print(f"{store} records {rel}, which is gone: its records stand for a file renamed from "
              "it until status --update drops them")
    new = len(state.new())
    if new:
        print(f"{new} translation(s) not recorded in {store} yet"
              f"{'' if state.store_found else ' (there is none yet)'}: once they are right, "
              "run python -m generator status --update")
    stale = len(state.stale())
    if stale:
        print(f"{stale} stale translation(s): bring each up to date with its {default} text, then "
              "run python -m generator status --update; if one is still right as it is, "
              "python -m generator status --accept FILE", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _content_file(root: Path, name: str, text_files: list[str]) -> str:
    """A content file named on the command line, relative to the content folder."""
    path = Path(name)
    for candidate in (path, root / path):
        try:
            rel = candidate.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        if rel in text_files:
            return rel
    raise UsageError(f"--accept: '{name}' is not a content file with texts"
                     f"{did_you_mean(name, text_files)}; name a file such as "
                     f"{display_path(root / text_files[0]) if text_files else 'content/tactics/x.yaml'}")


def _jobs(value: str) -> int:
    """`--jobs N`: a whole number of languages, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give how many "
                                         "languages build at once, e.g. --jobs 1") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (how many languages build at once), "
                                         f"not {jobs}")
    return jobs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build the Hinahon knowledge base from content/ into one site per language.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def content_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="content folder (default: content)")

    build_parser = commands.add_parser("build", help="validate content and build every language")
    content_option(build_parser)
    build_parser.add_argument("--out", type=Path, metavar="DIR",
                              help="output folder, replaced only when every language built "
                                   "(default: site, or site-offline with --offline)")
    build_parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                              help="base MkDocs config every language inherits (default: mkdocs.yml)")
    build_parser.add_argument("--lang", nargs="+", metavar="CODE",
                              help="build only these languages (default: all)")
    build_parser.add_argument("--offline", action="store_true",
                              help="build a copy that works opened from file://, search included")
    build_parser.add_argument("--jobs", type=_jobs, metavar="N",
                              help="how many languages build at once "
                                   "(default: one per core, at most one per language)")
    build_parser.add_argument("--no-cache", action="store_true",
                              help="print every cheat sheet's PDF and compress every file "
                                   "again rather than take unchanged ones from .hinahon-cache/ "
                                   "beside the output")
    build_parser.add_argument("--site-url", type=_site_url, metavar="URL",
                              help="the address the site is published at, e.g. "
                                   "https://example.org/hinahon/ (default: site_url in the config)")
    build_parser.set_defaults(run=cmd_build)

    deploy_parser = commands.add_parser(
        "deploy", help="build, then publish site/ to a git branch (gh-pages) and push it")
    content_option(deploy_parser)
    deploy_parser.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                               help="output folder, built and then published (default: site)")
    deploy_parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                               help="base MkDocs config every language inherits (default: mkdocs.yml)")
    deploy_parser.add_argument("--site-url", type=_site_url, metavar="URL",
                               help="the address the site is published at (default: site_url "
                                    "in the config; one of the two is required)")
    deploy_parser.add_argument("--remote", default="origin", metavar="NAME",
                               help="the git remote to push to (default: origin)")
    deploy_parser.add_argument("--branch", default="gh-pages", metavar="NAME",
                               help="the branch that holds the published site (default: gh-pages)")
    deploy_parser.set_defaults(run=cmd_deploy)

    serve_parser = commands.add_parser(
        "serve", help="serve the site on 127.0.0.1, rebuilt and reloaded as content changes")
    content_option(serve_parser)
    serve_parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                              help="base MkDocs config every language inherits (default: mkdocs.yml)")
    serve_parser.add_argument("--lang", nargs="+", metavar="CODE",
                              help="serve only these languages (default: all)")
    serve_parser.add_argument("--port", type=_port, default=8000,
                              help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    serve_parser.set_defaults(run=cmd_serve)

    check_parser = commands.add_parser("check", help="validate content only (fast)")
    content_option(check_parser)
    check_parser.add_argument("--translations", action="store_true",
                              help="also report translation coverage per language; "
                                   "exit 1 unless every language is at 100%%")
    check_parser.set_defaults(run=cmd_check)

    schema_parser = commands.add_parser(
        "schema", help="write a JSON Schema per kind and file, for editors (VS Code)")
    content_option(schema_parser)
    schema_parser.add_argument("--out", type=Path, metavar="DIR",
                               help=f"folder for the schemas (default: <content>/{schema.FOLDER})")
    schema_parser.add_argument("--check", action="store_true",
                               help="write nothing; exit 1 if the schemas are out of date")
    schema_parser.set_defaults(run=cmd_schema)

    new_parser = commands.add_parser(
        "new", help="write a new entry with every field, in every language, ready to fill")
    new_parser.add_argument("kind", metavar="KIND",
                            help="one of: " + ", ".join(kind.name for kind in KINDS))
    new_parser.add_argument("id", metavar="ID", help="the new entry's id (its file name and URL)")
    content_option(new_parser)
    new_parser.set_defaults(run=cmd_new)

    status_parser = commands.add_parser(
        "status", help="translated and stale texts per language; exit 1 if any is stale")
    content_option(status_parser)
    what = status_parser.add_mutually_exclusive_group()
    what.add_argument("--update", action="store_true",
                      help=f"record every translation that is not stale in {status.STORE.name}; "
                           "exit 1 if that changed the file")
    what.add_argument("--accept", nargs="+", metavar="FILE",
                      help="record the stale translations in these content files as still right")
    status_parser.set_defaults(run=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    if getattr(args, "config", None) is not None and not args.config.exists():
        parser.error(f"--config: no such file: {args.config}")
    codes = getattr(args, "lang", None) or []
    twice = [code for i, code in enumerate(codes) if codes.index(code) == i and codes.count(code) > 1]
    if twice:
        parser.error(f"--lang: {', '.join(twice)} given more than once; name each language once")
    try:
        with signals_raise():
            return args.run(args)
    except UsageError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        site = ("; the new site was already in place" if exc.site_replaced
                else "; the previous site was left untouched" if args.command in ("build", "deploy")
                else "")
        print(f"interrupted ({exc}){site}", file=sys.stderr)
        return exc.exit_status
    except UnknownLanguageError as exc:
        parser.error(f"--lang: {exc}")
    except OutError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERRORS
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"{len(exc.problems)} error(s); nothing was built or published." if args.command == "deploy"
              else f"{len(exc.problems)} error(s); nothing was built." if args.command == "build"
              else f"{len(exc.problems)} error(s).", file=sys.stderr)
        return EXIT_ERRORS
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        print("The build failed; the previous site was left untouched"
              + (", and nothing was published." if args.command == "deploy" else "."), file=sys.stderr)
        return EXIT_ERRORS
    except SwapError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    except deploy.DeployError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        # The machine, not the content: a full disk, a failing one, a folder taken
        # away. The site is swapped in whole or not at all (generator/output.py).
        where = f" ({exc.filename})" if exc.filename else ""
        what = ("no space left on the device" + where + ": free some space, then run it again"
                if exc.errno == errno.ENOSPC else f"{exc.strerror or exc}{where}")
        print(f"{parser.prog} {args.command}: error: {what}" + (
            "; the previous site was left untouched" if args.command in ("build", "deploy") else ""),
            file=sys.stderr)
        return EXIT_ERRORS


if __name__ == "__main__":
    sys.exit(main())
