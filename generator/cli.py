"""`python -m generator`: one CLI whose commands are small functions.

Exit status: 0 success, 1 content or build errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import BuildError, UnknownLanguageError, build
from .config import ConfigError
from .content import read_content
from .coverage import translation_coverage
from .layout import KINDS
from .interrupt import Interrupted, signals_raise
from .output import OutError, SwapError
from .problems import ContentError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def cmd_build(args: argparse.Namespace) -> int:
    out = args.out or Path("site-offline" if args.offline else "site")
    report = build(args.content, out, args.config, args.lang, offline=args.offline,
                   pdf_cache=not args.no_cache)
    print(report.summary())
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    started = time.monotonic()
    kb = read_content(args.content)
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
    build_parser.add_argument("--no-cache", action="store_true",
                              help="print every cheat sheet's PDF again rather than take "
                                   "unchanged ones from .hinahon-cache/ beside the output")
    build_parser.set_defaults(run=cmd_build)

    check_parser = commands.add_parser("check", help="validate content only (fast)")
    content_option(check_parser)
    check_parser.add_argument("--translations", action="store_true",
                              help="also report translation coverage per language; "
                                   "exit 1 unless every language is at 100%%")
    check_parser.set_defaults(run=cmd_check)
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
    except Interrupted as exc:
        site = ("; the new site was already in place" if exc.site_replaced
                else "; the previous site was left untouched" if args.command == "build" else "")
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
        print(f"{len(exc.problems)} error(s); nothing was built." if args.command == "build"
              else f"{len(exc.problems)} error(s).", file=sys.stderr)
        return EXIT_ERRORS
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        print("The build failed; the previous site was left untouched.", file=sys.stderr)
        return EXIT_ERRORS
    except SwapError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS


if __name__ == "__main__":
    sys.exit(main())
