"""What machine a result came from: cores, CPU model, memory, database versions."""

from __future__ import annotations

import functools
import os
import platform
import sqlite3
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


@functools.cache
def machine_info() -> dict[str, Any]:
    """nproc, CPU model, RAM, Python and SQLite versions of this machine."""
    return {"nproc": os.cpu_count(), "cpu": _cpu_model(), "ram_mb": _memory_mb(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}


def server_version(engine) -> str:
    """The database server's version string (SQLite's library version on SQLite)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return "SQLite " + connection.exec_driver_sql("select sqlite_version()").scalar_one()
        return connection.exec_driver_sql("show server_version").scalar_one().join(("PostgreSQL ", ""))
