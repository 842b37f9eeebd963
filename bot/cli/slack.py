"""`csds-bot slack`: run the bot in Slack, over Socket Mode (SLACK_APP_TOKEN set) or HTTP (--http)."""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli.main import add_knowledge_option

DEFAULT_PORT = 3000


def register(sub) -> None:
    p = sub.add_parser(
        "slack", help="run the bot in Slack (Socket Mode, or HTTP with --http)",
        description="Run the bot in a Slack workspace. Needs SLACK_BOT_TOKEN, and SLACK_APP_TOKEN for Socket Mode "
                    "or SLACK_SIGNING_SECRET with --http. Optional: SLACK_API_URL (GovSlack, proxies), "
                    "CSDS_BOT_ADMINS (member IDs that may add FAQ entries). See the README's Slack section.")
    p.add_argument("--http", action="store_true",
                   help="serve the Events API, slash commands and interactivity on /slack/events instead of Socket Mode")
    p.add_argument("--port", type=_port, default=None, metavar="N", help=f"HTTP port with --http (default {DEFAULT_PORT})")
    p.add_argument("--host", default="0.0.0.0",
                   help="address to listen on with --http or --health-port (default 0.0.0.0)")
    p.add_argument("--health-port", type=_port, default=None, metavar="N",
                   help="in Socket Mode, serve /healthz, /readyz and /metrics on this port (HTTP mode serves them on --port)")
    p.add_argument("--no-log", action="store_true", help="do not record questions and feedback in the interaction log")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"),
                   help="how much to log on stderr (default info); tokens are never logged")
    p.add_argument("--log-format", default="text", choices=("text", "json"),
                   help="text lines (default) or one JSON object per line for log shippers")
    add_knowledge_option(p)
    p.set_defaults(run=run)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"--port takes a port number from 0 to 65535, not {value!r}")
    return int(value)


def run(args) -> int:
    from bot.errors import InputError
    from bot.slack.config import load_config

    if args.port is not None and not args.http:
        raise InputError("--port only applies to HTTP mode; add --http, or drop --port for Socket Mode")
    if args.health_port is not None and args.http:
        raise InputError("--health-port is for Socket Mode; in HTTP mode /healthz, /readyz and /metrics are on --port")
    config = load_config(os.environ, http=args.http)  # before the heavy imports: a bad token fails fast

    from bot.slack.logs import held_back, setup_logging

    handler = setup_logging(args.log_level, config.secrets())
    if args.log_format == "json":
        from bot.service.logformat import JsonFormatter

        handler.setFormatter(JsonFormatter(redact=handler.formatter.redact))
    with held_back(handler):  # a start-up failure is the one `Error:` line, not a page of logs
        from bot.service.database import database_check
        from bot.service.health import knowledge_check, service_app
        from bot.service.metrics import Metrics
        from bot.service.questions import QuestionObserver
        from bot.slack import server  # heavy: slack_bolt, slack_sdk
        from bot.slack.app import build_app, web_client
        from bot.slack.services import build_services

        metrics = Metrics()
        services = build_services(args.knowledge, config.admins, no_log=args.no_log,
                                  on_answer=QuestionObserver(metrics), on_reload=metrics.reloaded)
        app = build_app(config, services, client=server.count_api_errors(web_client(config), metrics))
        checks = {"knowledge": knowledge_check(services.engine), "database": database_check(services.log)}
        if config.socket_mode:
            running = server.start_socket_mode(app, config.app_token, service_app(checks, metrics), args.host,
                                               args.health_port)
        else:
            port = DEFAULT_PORT if args.port is None else args.port
            running = server.start_http(app, args.host, port, lambda slack: service_app(checks, metrics, slack))
    if args.log_format == "json":  # every stderr line a JSON object, the banner too
        import logging

        logging.getLogger("bot.cli.slack").info(running.banner)
    else:
        print(running.banner, file=sys.stderr, flush=True)
    running.serve()
    return 0
