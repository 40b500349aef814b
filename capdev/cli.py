"""The `capdev` command: `demo`, `serve` and `manage`.

capdev demo [--data-dir DIR] [--port 8000] [--no-serve] [--scale N]
capdev serve [--bind 0.0.0.0:8000] [--workers N]
capdev manage <django management command> ...
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

DEFAULT_DATA_DIR = Path.cwd() / "var"


def _setup(data_dir: Path | None = None, *, demo: bool = False) -> None:
    if data_dir is not None:
        os.environ["CAPDEV_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capdev.settings")
    if demo:
        os.environ["CAPDEV_DEMO"] = "1"
        target = Path(os.environ.get("CAPDEV_DATA_DIR", DEFAULT_DATA_DIR))
        target.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("SECRET_KEY"):
            # A demo still gets a real, persistent secret key, kept in its data directory.
            key_file = target / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_urlsafe(50))
                key_file.chmod(0o600)
            os.environ["SECRET_KEY"] = key_file.read_text().strip()
    import django

    django.setup()


def _print_logins(url: str) -> None:
    from capdev.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD

    print()
    print(f"  capdev demo is ready at {url}")
    print()
    width = max(len(email) for _role, email, _desc in DEMO_LOGINS)
    print(f"  {'Role':<26}  {'E-mail (login)':<{width}}  Password")
    print(f"  {'-' * 26}  {'-' * width}  {'-' * len(DEMO_PASSWORD)}")
    for role, email, _desc in DEMO_LOGINS:
        print(f"  {role:<26}  {email:<{width}}  {DEMO_PASSWORD}")
    print()


def _gunicorn(bind: str, workers: int, extra: list[str] | None = None) -> int:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "capdev.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        os.environ.get("GUNICORN_TIMEOUT", "120"),
        *(extra or []),
    ]
    run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir).resolve() if args.data_dir else DEFAULT_DATA_DIR.resolve()
    _setup(data_dir, demo=True)
    from django.core.management import call_command

    print(f"capdev demo: data directory {data_dir}")
    call_command("migrate", interactive=False, verbosity=0)
    from capdev.demo.programme import load_programme

    summary = load_programme(scale=args.scale, progress=print)
    print("Loaded: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    url = f"http://127.0.0.1:{args.port}/"
    _print_logins(url)
    if args.no_serve:
        return 0
    print("Press Ctrl+C to stop.")
    return _gunicorn(f"127.0.0.1:{args.port}", int(os.environ.get("WEB_CONCURRENCY", "2")))


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("check", deploy=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.migrate:
        call_command("migrate", interactive=False)
    workers = args.workers or int(
        os.environ.get("WEB_CONCURRENCY", str(max(2, (os.cpu_count() or 1) * 2 + 1)))
    )
    return _gunicorn(args.bind or os.environ.get("CAPDEV_BIND", "0.0.0.0:8000"), workers)


def cmd_manage(argv: list[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["capdev manage", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    parser = argparse.ArgumentParser(
        prog="capdev", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="create/migrate a local database, load the demo programme and serve it"
    )
    demo.add_argument("--data-dir", help="where the database and uploads live (default ./var)")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="do everything but start the server")
    demo.add_argument(
        "--scale", type=int, default=1, help="multiply the synthetic part (organisations, people)"
    )
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="the production server (gunicorn), configured from the environment")
    serve.add_argument("--bind", help="address:port (default $CAPDEV_BIND or 0.0.0.0:8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default $WEB_CONCURRENCY)")
    serve.add_argument("--migrate", action="store_true", help="apply database migrations first")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("manage", help="run a Django management command: capdev manage <command> ...")
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
