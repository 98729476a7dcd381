"""`knotcare`: seed the knowledge base, audit triage decisions, build the spaCy pipeline, serve actions."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

from knotcare.settings import Settings


def _cmd_db_seed(args: argparse.Namespace) -> int:
    from knotcare.kb import KnowledgeBase
    from knotcare.kb.seed import ensure_seeded, load_content, seed

    kb = KnowledgeBase(args.database_url)
    if args.if_needed:
        seeded = ensure_seeded(kb)
        print("seeded" if seeded else "already up to date", file=sys.stderr)
        return 0
    content = seed(kb, load_content())
    print(f"seeded {len(content.routines)} routines, {len(content.rules)} triage rules, "
          f"{len(content.answers)} answers, {len(content.tools)} tools, {len(content.referrals)} referral patterns "
          f"into {kb.engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    return 0


def _cmd_db_check(args: argparse.Namespace) -> int:
    from knotcare.kb.seed import load_content

    content = load_content()
    print(f"ok: {len(content.routines)} routines, {len(content.rules)} rules, {len(content.answers)} answers")
    return 0


def _cmd_triage(args: argparse.Namespace) -> int:
    from knotcare.kb import KnowledgeBase
    from knotcare.kb.seed import ensure_seeded
    from knotcare.triage import Facts, decide

    raw = Path(args.file).read_text() if args.file and args.file != "-" else sys.stdin.read()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        print(f"knotcare triage: the input is not JSON ({error})", file=sys.stderr)
        return 2
    kb = KnowledgeBase(args.database_url)
    ensure_seeded(kb)
    with kb.unit_of_work() as uow:
        rules = uow.rules.all()
    cases = data if isinstance(data, list) else [data]
    results = [{"facts": case, **decide(Facts.from_mapping(case), rules).as_dict()} for case in cases]
    print(json.dumps(results if isinstance(data, list) else results[0], indent=2))
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from knotcare.nlp.extractor import default_extractor

    for mention in default_extractor().extract(" ".join(args.text)):
        print(json.dumps(mention.__dict__))
    return 0


def _cmd_nlp_build(args: argparse.Namespace) -> int:
    import spacy

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    spacy.blank("en").to_disk(out)
    print(f"wrote a blank English spaCy pipeline to {out}", file=sys.stderr)
    return 0


def _cmd_domain_write(args: argparse.Namespace) -> int:
    """Write the domain files made from the reviewed content (retrain afterwards: `make train`)."""
    from knotcare.config import ROOT
    from knotcare.domain_files import SAFETY_NET_FILE, write_safety_net
    from knotcare.kb.seed import words

    changed = write_safety_net(words())
    print(f"{SAFETY_NET_FILE.relative_to(ROOT)}: {'written' if changed else 'unchanged'}", file=sys.stderr)
    return 0


def _cmd_actions(args: argparse.Namespace) -> int:
    """Seed if needed, then run the rasa-sdk action server on the actions package."""
    from knotcare.config import ROOT
    from knotcare.kb import get_knowledge_base
    from knotcare.kb.seed import ensure_seeded

    ensure_seeded(get_knowledge_base())
    from knotcare.clinic.profile import ProfileError, default_profile

    try:
        default_profile()  # a broken clinic profile stops the start here, not at someone's first question
    except ProfileError as error:
        print(f"knotcare actions: {error}", file=sys.stderr)
        return 2
    # The action server (the `actions` package at the repository root, beside config.yml) takes this
    # process over: same pid for whoever started it, and the domain package never imports rasa-sdk.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    os.execve(sys.executable, [sys.executable, "-m", "actions.server", "--host", args.host, "--port",
                               str(args.port)], env)


def _cmd_web_serve(args: argparse.Namespace) -> int:
    """Serve the chat page (web/) with the clinic's widget settings."""
    from knotcare.webchat import WidgetConfigError, make_server, widget_settings

    try:
        settings = widget_settings()
    except WidgetConfigError as error:  # a clinic's colours people could not read, a missing field
        print(f"knotcare web serve: {error}", file=sys.stderr)
        return 2
    server = make_server(args.host, args.port, settings)
    print(f"web page on http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _cmd_web_vendor(args: argparse.Namespace) -> int:
    from knotcare.webchat import VENDOR_FILES, vendor

    vendor(Path(args.node_modules), Path(args.target))
    print(f"copied {', '.join(VENDOR_FILES)} into {args.target}", file=sys.stderr)
    return 0


def _cmd_web_config(args: argparse.Namespace) -> int:
    from knotcare.webchat import WidgetConfigError, widget_settings

    try:
        print(json.dumps(widget_settings(), indent=2))
    except WidgetConfigError as error:
        print(f"knotcare web config: {error}", file=sys.stderr)
        return 2
    return 0


def _cmd_retention(args: argparse.Namespace) -> int:
    """Delete conversations and personal rows older than --days (default $KNOTCARE_RETENTION_DAYS)."""
    from sqlalchemy import create_engine

    from knotcare import privacy
    from knotcare.kb import KnowledgeBase

    tracker_url = args.tracker_url or privacy.tracker_store_url(Path(args.endpoints))
    expired = privacy.Expired(0, 0)
    engine = create_engine(tracker_url, future=True, hide_parameters=True) if tracker_url else None
    kb = KnowledgeBase(args.database_url)
    try:
        # Forget-me requests left half-way first: they are not a matter of age.
        privacy.finish_pending_forgets(kb.engine, engine)
        if engine is not None:
            expired = privacy.expire_conversations(engine, args.days)
        rows = privacy.expire_personal_rows(kb.engine, args.days)
    finally:
        kb.dispose()
        if engine is not None:
            engine.dispose()
    print(f"retention {args.days:g} days: deleted {expired.conversations} whole conversations, {expired.events} "
          f"events in all (older sessions included) and {rows} personal rows"
          + ("" if tracker_url else " (the tracker store is not SQL: Redis keys expire by record_exp)"),
          file=sys.stderr)
    return 0


def _cmd_forget_pending(args: argparse.Namespace) -> int:
    """Finish the "forget me" requests whose conversation the tracker store could not delete at the time."""
    from sqlalchemy import create_engine

    from knotcare import privacy
    from knotcare.kb import KnowledgeBase

    tracker_url = args.tracker_url or privacy.tracker_store_url(Path(args.endpoints))
    engine = create_engine(tracker_url, future=True, hide_parameters=True) if tracker_url else None
    kb = KnowledgeBase(args.database_url)
    try:
        finished = privacy.finish_pending_forgets(kb.engine, engine)
    finally:
        kb.dispose()
        if engine is not None:
            engine.dispose()
    print(f"forget-pending: {finished} unfinished forget requests finished", file=sys.stderr)
    return 0


def _cmd_migrate_ids(args: argparse.Namespace) -> int:
    """Move stored conversations and personal rows to the per-channel conversation ids (run once; safe again)."""
    from sqlalchemy import create_engine

    from knotcare import identity, privacy
    from knotcare.kb import get_knowledge_base

    tracker_url = args.tracker_url or privacy.tracker_store_url(Path(args.endpoints))
    if not tracker_url:
        print("migrate-ids: the tracker store is not SQL; nothing to move", file=sys.stderr)
        return 1
    engine = create_engine(tracker_url, future=True, hide_parameters=True)
    try:
        moved = identity.migrate_ids(engine, get_knowledge_base().engine, args.slack_team)
    finally:
        engine.dispose()
    print(f"migrate-ids: {moved.conversations} conversations ({moved.events} events) and "
          f"{moved.personal_rows} personal rows moved to their channel's ids", file=sys.stderr)
    return 0


def _cmd_tickets(args: argparse.Namespace) -> int:
    """List, show or close handoff tickets (closing also updates the ticket's Slack message)."""
    import asyncio
    import datetime as dt

    from knotcare.clinic.profile import default_profile
    from knotcare.clinic.slack import SlackSettings, update_ticket_message
    from knotcare.clinic.tickets import TicketRepository, shown, summary_lines
    from knotcare.kb import KnowledgeBase

    kb = KnowledgeBase(args.database_url)
    kb.create_schema()
    with kb.unit_of_work() as uow:
        repo = TicketRepository(uow.session)
        if args.tickets_command == "list":
            found = repo.list(None if args.status == "all" else args.status)
            for listed in found:
                region = listed.summary.get("region") or "-"
                level = listed.summary.get("triage_level") or "-"
                failed = f"\tSTAFF NOT MESSAGED (Slack: {shown(listed.slack_error)})" if listed.slack_error else ""
                print(f"#{listed.id}\t{listed.status}\t{listed.created_at:%Y-%m-%d %H:%M}\t{listed.reason}\t"
                      f"region={region}\ttriage={level}{failed}")
            if not found:
                print(f"no {args.status} tickets", file=sys.stderr)
            return 0
        if args.tickets_command == "notify":
            unsent = repo.unsent()
        elif args.tickets_command == "show":
            ticket = repo.get(args.id)
        else:
            ticket = repo.close(args.id, args.by, dt.datetime.now(dt.timezone.utc))
            uow.commit()
    if args.tickets_command == "notify":
        return _notify(kb, unsent)
    if ticket is None:
        print(f"knotcare tickets: no ticket #{args.id}", file=sys.stderr)
        return 1
    if args.tickets_command == "close":
        updated = asyncio.run(update_ticket_message(SlackSettings.from_env(), ticket, default_profile().name))
        print(f"ticket #{ticket.id} is {ticket.status}" + (" (Slack message updated)" if updated else ""))
        return 0
    print(f"Ticket #{ticket.id} ({ticket.status}, {ticket.reason}), opened {ticket.created_at:%Y-%m-%d %H:%M}")
    if ticket.closed_at:
        print(f"Closed {ticket.closed_at:%Y-%m-%d %H:%M} by {shown(ticket.closed_by)}")
    print(f"Conversation: {ticket.conversation}  (GET on the Rasa server, with ?token=)")
    if ticket.slack_error:
        print(f"Staff were NOT messaged: Slack said {shown(ticket.slack_error)}. Send again: knotcare tickets notify")
    print("\n".join(summary_lines(ticket.summary)))
    print(f"For the records system (FHIR R4): knotcare tickets export {ticket.id} --format fhir")
    return 0


def _notify(kb: Any, unsent: List[Any]) -> int:
    """Send the staff messages Slack did not take; 1 when some still did not go."""
    import asyncio

    from knotcare.clinic.handoff import notify_staff
    from knotcare.clinic.profile import default_profile
    from knotcare.clinic.slack import SlackSettings

    settings, name = SlackSettings.from_env(), default_profile().name
    failed = 0
    for ticket in unsent:
        with kb.unit_of_work() as uow:
            posted = asyncio.run(notify_staff(uow, settings, ticket, name))
        print(f"ticket #{ticket.id}: " + ("staff messaged" if posted.ts else f"still not sent ({posted.error})"))
        failed += not posted.ts
    if not unsent:
        print("every open ticket's staff message was sent", file=sys.stderr)
    return 1 if failed else 0


def _cmd_tickets_export(args: argparse.Namespace) -> int:
    """Write one ticket as a FHIR R4 Bundle (JSON), tickets since a time as NDJSON, or the definitions."""
    import datetime as dt

    from fhir.resources.bundle import Bundle, BundleEntry

    from knotcare.clinic.tickets import TicketRepository
    from knotcare.fhir.definitions import code_systems, default_definitions, questionnaire
    from knotcare.fhir.export import export_lines, ticket_bundle
    from knotcare.kb import KnowledgeBase
    from knotcare.kb.seed import load_rules, rules_version

    definitions, version = default_definitions(), rules_version()
    if args.definitions:
        resources = [questionnaire(definitions, version), *code_systems(definitions, load_rules(), version)]
        text = Bundle(type="collection", entry=[BundleEntry(fullUrl=f"{r.url}", resource=r)
                                                for r in resources]).json(indent=2) + "\n"
        return _write(args.out, text)
    if (args.id is None) == (args.since is None):
        print("knotcare tickets export: give a ticket number, or --since (or --definitions)", file=sys.stderr)
        return 2
    kb = KnowledgeBase(args.database_url)
    kb.create_schema()
    with kb.unit_of_work() as uow:
        repo = TicketRepository(uow.session)
        if args.since is not None:
            since = dt.datetime.fromisoformat(args.since)
            found = repo.since(since if since.tzinfo else since.replace(tzinfo=dt.timezone.utc))
            text = "".join(line + "\n" for line in export_lines(definitions, found, version))
            print(f"{len(found)} tickets exported", file=sys.stderr)
            return _write(args.out, text)
        ticket = repo.get(args.id)
    if ticket is None:
        print(f"knotcare tickets: no ticket #{args.id}", file=sys.stderr)
        return 1
    return _write(args.out, ticket_bundle(definitions, ticket, version).json(indent=2) + "\n")


def _write(out: Optional[str], text: str) -> int:
    """To standard output, or to a file only its owner can read (an export holds health data)."""
    if not out or out == "-":
        sys.stdout.write(text)
        return 0
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text, encoding="utf-8")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """Write the front desk's HTML report from the tracker store and the tickets."""
    import datetime as dt

    from knotcare.clinic.profile import default_profile
    from knotcare.clinic.report import compute, read_events, render_html, tracker_url_from_endpoints
    from knotcare.kb import KnowledgeBase

    url = args.tracker_url or tracker_url_from_endpoints()
    data = compute(read_events(url), KnowledgeBase(args.database_url))
    _write(args.out, render_html(data, f"{default_profile().name}: front desk report",
                                 dt.datetime.now(dt.timezone.utc), quote_messages=args.quote_messages))
    print(f"wrote {args.out}: {data.conversations} conversations, deflection {data.deflection:.0%}, "
          f"fallback rate {data.fallback_rate:.1%}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="knotcare", description=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (default: $DATABASE_URL or SQLite in var/)")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="the knowledge base").add_subparsers(dest="db_command", required=True)
    seed = db.add_parser("seed", help="load the reviewed YAML files under data/kb into the database")
    seed.add_argument("--if-needed", action="store_true", help="only when empty or older than the files")
    seed.set_defaults(func=_cmd_db_seed)
    db.add_parser("check", help="check the reviewed files without touching a database").set_defaults(func=_cmd_db_check)

    domain = sub.add_parser("domain", help="Rasa domain files made from the reviewed content")
    domain.add_subparsers(dest="domain_command", required=True).add_parser(
        "write", help="write domain/safety.yml from data/kb/messages.yml").set_defaults(func=_cmd_domain_write)

    triage = sub.add_parser("triage", help="facts as JSON in (stdin or a file), the decision as JSON out")
    triage.add_argument("file", nargs="?", default="-")
    triage.set_defaults(func=_cmd_triage)

    extract = sub.add_parser("extract", help="show what the fact extractor reads in a sentence")
    extract.add_argument("text", nargs="+")
    extract.set_defaults(func=_cmd_extract)

    nlp = sub.add_parser("nlp", help="spaCy assets").add_subparsers(dest="nlp_command", required=True)
    build = nlp.add_parser("build", help="save the blank English pipeline that config.yml loads")
    build.add_argument("--out", default="build/spacy-en-blank")
    build.set_defaults(func=_cmd_nlp_build)

    settings = Settings.from_env()
    actions = sub.add_parser("actions", help="seed if needed and start the action server")
    actions.add_argument("--host", default=settings.actions_host)
    actions.add_argument("--port", type=int, default=settings.actions_port)
    actions.set_defaults(func=_cmd_actions)

    web = sub.add_parser("web", help="the web chat page").add_subparsers(dest="web_command", required=True)
    serve = web.add_parser("serve", help="serve web/ with the widget settings (data/clinic/widget.yml + env)")
    serve.add_argument("--host", default=settings.web_host)
    serve.add_argument("--port", type=int, default=settings.web_port)
    serve.set_defaults(func=_cmd_web_serve)
    vendor = web.add_parser("vendor", help="copy the page's libraries from node_modules into web/vendor")
    vendor.add_argument("--node-modules", default="node_modules")
    vendor.add_argument("--target", default="web/vendor")
    vendor.set_defaults(func=_cmd_web_vendor)
    web.add_parser("config", help="print the widget settings in effect").set_defaults(func=_cmd_web_config)

    retention = sub.add_parser("retention", help="delete conversations and personal rows older than N days")
    retention.add_argument("--days", type=float, default=settings.retention_days,
                           help="keep this many days (default: $KNOTCARE_RETENTION_DAYS or 30)")
    retention.add_argument("--endpoints", default="endpoints.yml", help="where the SQL tracker store is configured")
    retention.add_argument("--tracker-url", default=None, help="the tracker store's SQLAlchemy URL (overrides)")
    retention.set_defaults(func=_cmd_retention)

    pending = sub.add_parser("forget-pending", help="finish forget-me requests the tracker store did not complete")
    pending.add_argument("--endpoints", default="endpoints.yml", help="where the SQL tracker store is configured")
    pending.add_argument("--tracker-url", default=None, help="the tracker store's SQLAlchemy URL (overrides)")
    pending.set_defaults(func=_cmd_forget_pending)

    migrate = sub.add_parser("migrate-ids", help="move conversations and personal rows to per-channel ids")
    migrate.add_argument("--endpoints", default="endpoints.yml", help="where the SQL tracker store is configured")
    migrate.add_argument("--tracker-url", default=None, help="the tracker store's SQLAlchemy URL (overrides)")
    migrate.add_argument("--slack-team", default=settings.slack_team,
                         help="the Slack workspace id (T...) of stored Slack chats (default: $KNOTCARE_SLACK_TEAM)")
    migrate.set_defaults(func=_cmd_migrate_ids)

    tickets = sub.add_parser("tickets", help="handoff tickets: list, show, close, notify, export").add_subparsers(
        dest="tickets_command", required=True)
    listing = tickets.add_parser("list", help="tickets, newest first")
    listing.add_argument("--status", choices=["open", "closed", "all"], default="open")
    listing.set_defaults(func=_cmd_tickets)
    show = tickets.add_parser("show", help="one ticket's summary and conversation link")
    show.add_argument("id", type=int)
    show.set_defaults(func=_cmd_tickets)
    close = tickets.add_parser("close", help="close a ticket (and update its Slack message)")
    close.add_argument("id", type=int)
    close.add_argument("--by", default=os.environ.get("USER", "staff"), help="who closed it (default: $USER)")
    close.set_defaults(func=_cmd_tickets)
    tickets.add_parser("notify", help="send again the staff messages Slack did not take").set_defaults(
        func=_cmd_tickets)
    export = tickets.add_parser("export", help="tickets as HL7 FHIR R4 Bundles (one as JSON, --since as NDJSON)")
    export.add_argument("id", type=int, nargs="?")
    export.add_argument("--format", choices=["fhir"], default="fhir", help="FHIR R4 (4.0.1), the only format")
    export.add_argument("--since", help="every ticket opened since this ISO date or time, one Bundle a line")
    export.add_argument("--definitions", action="store_true",
                        help="the intake Questionnaire and our CodeSystems instead (import once)")
    export.add_argument("--out", default=None, help="a file (made readable by its owner only); default stdout")
    export.set_defaults(func=_cmd_tickets_export)

    report = sub.add_parser("report", help="HTML report: conversations, deflection, triage, regions, fallbacks")
    report.add_argument("--tracker-url", default=None,
                        help="SQLAlchemy URL of Rasa's SQL tracker store (default: from endpoints.yml)")
    report.add_argument("--out", default="var/report.html", help="the HTML file (made readable by its owner only)")
    report.add_argument("--quote-messages", action="store_true",
                        help="list the messages it could not understand, as people wrote them (staff only)")
    report.set_defaults(func=_cmd_report)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the `knotcare` console script."""
    args = build_parser().parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
