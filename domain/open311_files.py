"""Reading and writing an Open311 catalogue folder: `services.json` and `{service_code}.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import RootModel

from domain.errors import InvalidInput
from domain.open311 import Definition, Service, check_definition, check_services
from domain.seed_errors import SeedError
from domain.seed_load import parse, read_bytes

SERVICES = "services.json"


@dataclass(frozen=True)
class Catalogue:
    """A city's service list and the definitions of the services that have one."""

    directory: str
    services: list[Service]
    definitions: dict[str, Definition]


def _read_json(path: Path, model: type, shape: type, shape_name: str) -> Any:
    source = parse(str(path), read_bytes(path), "json")
    if not isinstance(source.data, shape):
        raise SeedError(str(path), f"must hold a JSON {shape_name}")
    return source, source.validate(model)


def load_catalogue(directory: Path) -> Catalogue:
    """Read DIR/services.json and DIR/{code}.json for each service with `metadata: true`."""
    name = str(directory)
    if not directory.exists():
        raise SeedError(name, "no such directory")
    if not directory.is_dir():
        raise SeedError(name, "is a file; an Open311 catalogue is a folder with services.json")
    services_path = directory / SERVICES
    if not services_path.is_file():
        raise SeedError(name, f"has no {SERVICES} (an Open311 catalogue folder needs one)")
    source, services = _read_json(services_path, RootModel[list[Service]], list, "list of services")
    services = services.root
    try:
        check_services(services)
    except InvalidInput as exc:
        raise source.error(exc) from None
    definitions: dict[str, Definition] = {}
    for index, service in enumerate(services):
        if not service.metadata:
            continue
        path = directory / f"{service.service_code}.json"
        if not path.is_file():
            raise SeedError(str(path), f"no such file ({SERVICES} [{index}] says metadata: true "
                                       f"for service {service.service_code!r})")
        definition_source, definition = _read_json(path, Definition, dict, "object (a service definition)")
        try:
            check_definition(definition, service.service_code)
        except InvalidInput as exc:
            raise definition_source.error(exc) from None
        definitions[service.service_code] = definition
    return Catalogue(name, services, definitions)


def _write(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # a reader never sees half a file


def write_catalogue(directory: Path, services: list[dict[str, Any]],
                    definitions: dict[str, dict[str, Any]]) -> list[str]:
    """Write services.json and one definition per service with metadata; returns the files."""
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"{directory} is a file, not a folder", where="DIR")
    directory.mkdir(parents=True, exist_ok=True)
    written = [SERVICES]
    _write(directory / SERVICES, services)
    for code, definition in definitions.items():
        _write(directory / f"{code}.json", definition)
        written.append(f"{code}.json")
    return written
