"""Helpers for knowledge-base storage tests: articles as files, a problem code, an import."""

from __future__ import annotations

from pathlib import Path

from domain.kb_files import collect, read_articles
from storage.engine import run_write
from storage.kb_import import import_articles
from storage.tables import Department, ProblemCode, Provider, ServiceCategory


def article_file(directory: Path, name: str, front: str, body: str = "") -> Path:
    """Write `name` with front matter lines `front` and Markdown `body`."""
    path = directory / name
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}\n", encoding="utf-8")
    return path


def import_paths(engine, paths, now, agent_id=None):
    """Import files or directories through the real reader and importer."""
    return import_articles(engine, read_articles(collect([str(p) for p in paths])), now=now,
                           agent_id=agent_id, actor="test")


def add_problem_code(engine, code: str = "appliance-pickup") -> int:
    """A department > provider > category > problem code chain; returns the code's id."""

    def work(session) -> int:
        department = Department(code=f"d-{code}", names={"en": "Environmental Services"})
        session.add(department)
        session.flush()
        provider = Provider(code=f"p-{code}", department_id=department.id, names={"en": "Solid Waste"})
        session.add(provider)
        session.flush()
        category = ServiceCategory(code=f"c-{code}", provider_id=provider.id, names={"en": "Garbage"})
        session.add(category)
        session.flush()
        problem = ProblemCode(code=code, service_category_id=category.id, names={"en": code})
        session.add(problem)
        session.flush()
        return problem.id

    return run_write(engine, work)
