"""Parses the examples and invalid fixtures with the pydantic v2 models that
datamodel-code-generator generated from the published schemas.

    python pydantic_check.py REPO_ROOT PACKAGE_DIR [--verbose]

PACKAGE_DIR holds `cf_models/<entity>.py` (one module per schema, written by
scripts/check-foreign-tools) and `<entity>.codegen.log` (the generator's
warnings). Every example must parse with `Model.model_validate_json`; every
invalid fixture must raise a ValidationError unless it is listed, with its
reason, in pydantic-known-gaps.txt beside this file (a listed fixture that
pydantic rejects, or that no longer exists, is a failure too, so the list
stays true).

Prints one summary line; details only for failures, or for everything with
--verbose. Exits 1 on any failure.
"""

from __future__ import annotations

import importlib
import re
import sys
from importlib.metadata import version
from pathlib import Path

from pydantic import BaseModel, ValidationError

from common import entities, read_json, rel

HERE = Path(__file__).resolve().parent


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 5] + " ..."


def first_error(e: ValidationError) -> str:
    err = e.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"]) or "<root>"
    return short(f"{e.error_count()} error(s), first at {loc}: {err['msg']}")


def is_json(path: Path, failures: list[str], root: Path) -> bool:
    """Whether `path` holds JSON; a file that does not is a failure, never a rejection."""
    try:
        read_json(path)
    except ValueError as e:
        failures.append(f"{rel(root, path)}: not JSON: {e}")
        return False
    return True


def known_gaps() -> dict[str, str]:
    """`entity/file.json  reason` lines of pydantic-known-gaps.txt."""
    gaps: dict[str, str] = {}
    path = HERE / "pydantic-known-gaps.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            gaps[name] = reason.strip()
    return gaps


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    package_dir = Path(sys.argv[2]).resolve()
    verbose = "--verbose" in sys.argv[3:]
    sys.path.insert(0, str(package_dir))

    failures: list[str] = []
    details: list[str] = []
    n = dict(modules=0, examples=0, valid=0, invalid=0, rejected=0, gaps=0, dropped=0)
    gaps = known_gaps()
    seen_gaps: set[str] = set()
    dropped: list[str] = []

    all_entities = entities(root)
    for entity in all_entities:
        log = package_dir / f"{entity.name}.codegen.log"
        if log.exists():
            # "UserWarning: Pydantic does not take pattern on date | None;
            #  Invoice.due_date is generated without this constraint."
            for m in re.finditer(r"UserWarning: (.*generated without this constraint\.)", log.read_text()):
                dropped.append(f"{entity.name}: {m.group(1)}")
        try:
            module = importlib.import_module(f"cf_models.{entity.name}")
        except Exception as e:  # noqa: BLE001 - any import error is the finding
            failures.append(f"cf_models/{entity.name}.py does not import: {type(e).__name__}: {e}")
            continue
        # datamodel-code-generator names the root model after the schema's title.
        title = read_json(entity.schema_path).get("title", "")
        model = getattr(module, re.sub(r"\W", "", title), None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            failures.append(f"cf_models/{entity.name}.py has no model named after the title {title!r}")
            continue
        n["modules"] += 1

        examples = entity.examples()
        if not examples:
            failures.append(f"no examples in schemas/examples/{entity.name}/")
        for path in examples:
            n["examples"] += 1
            if not is_json(path, failures, root):
                continue
            try:
                model.model_validate_json(path.read_bytes())
            except ValidationError as e:
                failures.append(f"{rel(root, path)}: example rejected: {first_error(e)}")
            else:
                n["valid"] += 1
                details.append(f"valid    {rel(root, path)}")

        for path in entity.invalid():
            n["invalid"] += 1
            key = f"{entity.name}/{path.name}"
            if not is_json(path, failures, root):
                seen_gaps.add(key)
                continue
            try:
                model.model_validate_json(path.read_bytes())
            except ValidationError as e:
                n["rejected"] += 1
                details.append(f"rejected {rel(root, path)}: {first_error(e)}")
                if key in gaps:
                    failures.append(f"{key} is listed in pydantic-known-gaps.txt but pydantic rejects it: remove the line")
                    seen_gaps.add(key)
            else:
                if key in gaps:
                    n["gaps"] += 1
                    seen_gaps.add(key)
                    details.append(f"ACCEPTED {rel(root, path)} (known gap: {gaps[key]})")
                else:
                    failures.append(
                        f"{rel(root, path)}: invalid document ACCEPTED by the generated model "
                        "(if pydantic cannot tell, list it with the reason in pydantic-known-gaps.txt)"
                    )
    for key in sorted(set(gaps) - seen_gaps):
        failures.append(f"pydantic-known-gaps.txt lists {key}, which is not an invalid fixture")

    status = "FAIL" if failures else "ok"
    line = (
        f"datamodel-code-generator {version('datamodel-code-generator')} + pydantic {version('pydantic')}: {status}: "
        f"{n['modules']}/{len(all_entities)} generated modules import, "
        f"{n['valid']}/{n['examples']} examples parse, "
        f"{n['rejected']}/{n['invalid']} invalid fixtures rejected"
    )
    if n["gaps"]:
        line += f" ({n['gaps']} known gaps accepted)"
    if dropped:
        line += f"; the generator dropped {len(dropped)} constraints (pattern on date/date-time fields)"
    print(line)
    if verbose:
        for d in dropped:
            print(f"  codegen: {d}")
        for d in details:
            print(f"  {d}")
    for f in failures:
        print(f"  FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
