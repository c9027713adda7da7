"""Checks every store an endpoints file configures before Rasa starts, and says which setting is
wrong: a missing variable, an address nothing answers on, a refused credential.

    python scripts/check_stores.py endpoints.production.yml

Exit 0 when every configured store answers; 2 with one line per problem otherwise. Rasa itself
would find out later, deep in a stack trace, or (the event broker) only after minutes of retries.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml

VARIABLE = re.compile(r"\$\{(\w+)\}")
TIMEOUT_SECONDS = 5


def variables_by_section(text: str) -> Dict[str, List[str]]:
    """The environment variables each top-level section of the file uses."""
    found: Dict[str, List[str]] = {}
    section = None
    for line in text.splitlines():
        if re.match(r"^[A-Za-z_]+:", line):
            section = line.split(":", 1)[0]
        for name in VARIABLE.findall(line):
            if section:
                found.setdefault(section, []).append(name)
    return found


def expand(value: Any) -> Any:
    if isinstance(value, str):
        return VARIABLE.sub(lambda m: os.environ.get(m.group(1), ""), value)
    if isinstance(value, dict):
        return {k: expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


def check_sql(cfg: Dict[str, Any]) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import URL

    dialect = cfg.get("dialect", "sqlite")
    if dialect == "sqlite":
        return
    # The tracker database itself: without `login_db`, Rasa does not create it, and a missing one
    # only shows later as conversations that are not saved.
    url = URL.create(f"{dialect}+psycopg2" if dialect == "postgresql" else dialect, username=cfg.get("username") or None,
                     password=cfg.get("password") or None, host=cfg.get("url") or None,
                     port=int(cfg["port"]) if cfg.get("port") else None, database=cfg.get("login_db") or cfg.get("db"))
    engine = create_engine(url, connect_args={"connect_timeout": TIMEOUT_SECONDS} if dialect == "postgresql" else {})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def check_redis(cfg: Dict[str, Any]) -> None:
    import redis

    client = redis.Redis(host=cfg.get("url") or "localhost", port=int(cfg.get("port") or 6379), db=int(cfg.get("db") or 0),
                         password=cfg.get("password") or None, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()


def check_rabbitmq(cfg: Dict[str, Any]) -> None:
    import aio_pika

    async def connect() -> None:
        connection = await aio_pika.connect(host=cfg.get("url") or "localhost", port=int(cfg.get("port") or 5672),
                                            login=cfg.get("username") or "guest", password=cfg.get("password") or "guest",
                                            timeout=TIMEOUT_SECONDS)
        await connection.close()

    asyncio.run(connect())


CHECKS: Dict[str, Dict[str, Callable[[Dict[str, Any]], None]]] = {
    "tracker_store": {"sql": check_sql},
    "lock_store": {"redis": check_redis, "stores.lock_store.atomicredislockstore": check_redis},
    "event_broker": {"pika": check_rabbitmq},
}


def _where(section: str, cfg: Dict[str, Any]) -> str:
    host, port = cfg.get("url") or cfg.get("db") or "?", cfg.get("port")
    user = f" as {cfg['username']}" if cfg.get("username") else ""
    return f"{section} ({cfg.get('type')} at {host}{':' + str(port) if port else ''}{user})"


def problems(path: Path) -> List[str]:
    text = path.read_text(encoding="utf-8")
    uses = variables_by_section(text)
    found: List[str] = []
    for section, names in uses.items():
        missing = sorted({n for n in names if n not in os.environ})
        if missing:
            found.append(f"{section}: {', '.join(missing)} not set (used in {path.name})")
    if found:
        return found
    config = expand(yaml.safe_load(text) or {})
    for section, checks in CHECKS.items():
        cfg: Optional[Dict[str, Any]] = config.get(section)
        if not cfg:
            continue
        check = checks.get(str(cfg.get("type", "")).lower())
        if check is None:
            continue
        try:
            check(cfg)
        except Exception as exc:  # every driver has its own errors; the first line says what happened
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            settings = ", ".join(uses.get(section, [])) or f"{section} in {path.name}"
            found.append(f"{_where(section, cfg)}: {reason} [check {settings}]")
    return found


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "endpoints.yml")
    found = problems(path)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        print(f"{path.name}: every configured store answered")
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
