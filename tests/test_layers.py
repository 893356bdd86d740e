"""`domain/` and `storage/` stay free of Textual (the CLI and scripts load fast)."""

import subprocess
import sys


def test_domain_and_storage_import_without_textual():
    code = ("import sys, pkgutil, importlib, domain, storage\n"
            "for pkg in (domain, storage):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        if '.migrations' not in m.name: importlib.import_module(m.name)\n"
            "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_writes_no_sql():
    code = ("import sys, pkgutil, importlib, domain\n"
            "for m in pkgutil.walk_packages(domain.__path__, 'domain.'): importlib.import_module(m.name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'textual'))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
