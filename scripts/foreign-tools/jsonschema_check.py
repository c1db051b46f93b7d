"""Python `jsonschema` (Draft202012Validator + FormatChecker) against the
published schemas, exactly as they are on disk.

    python jsonschema_check.py REPO_ROOT [--verbose]

`format` is only an annotation in 2020-12 unless a FormatChecker is passed;
the FormatChecker checks `date` with the standard library and `date-time`
only when `rfc3339-validator` is installed (it is pinned in requirements.txt,
and this script fails if the checker lacks either format rather than
silently checking less).

Prints one summary line; details only for failures, or for everything with
--verbose. Exits 1 on any failure.
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match

from common import entities, read_json, rel


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 5] + " ..."


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    verbose = "--verbose" in sys.argv[2:]
    failures: list[str] = []
    details: list[str] = []
    n = dict(schemas=0, embedded=0, embedded_valid=0, examples=0, valid=0, invalid=0, rejected=0)

    format_checker = Draft202012Validator.FORMAT_CHECKER
    for fmt in ("date", "date-time"):
        if fmt not in format_checker.checkers:
            failures.append(f"the FormatChecker cannot check format {fmt!r} (is rfc3339-validator installed?)")

    def errors_of(validator: Draft202012Validator, doc: object) -> list[str]:
        return [
            f"{e.json_path}: {short(e.message)}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        ]

    all_entities = entities(root)
    for entity in all_entities:
        try:
            schema = read_json(entity.schema_path)
        except ValueError as e:
            failures.append(f"{entity.rel}: not JSON: {e}")
            continue
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as e:
            failures.append(f"{entity.rel}: check_schema failed: {best_match([e]).message}")
            continue
        n["schemas"] += 1
        validator = Draft202012Validator(schema, format_checker=format_checker)

        # The `examples` the schema carries, at the root and in $defs.
        embedded = [("#", schema.get("examples", []))]
        embedded += [
            (f"#/$defs/{name}", d["examples"])
            for name, d in schema.get("$defs", {}).items()
            if isinstance(d.get("examples"), list)
        ]
        for pointer, docs in embedded:
            sub = validator
            if pointer != "#":
                # The $def alone, resolved inside the same document.
                sub = Draft202012Validator(
                    {"$schema": schema["$schema"], "$id": schema["$id"], "$defs": schema["$defs"], "$ref": pointer},
                    format_checker=format_checker,
                )
            for i, doc in enumerate(docs):
                n["embedded"] += 1
                errs = errors_of(sub, doc)
                if errs:
                    failures.append(f"{entity.rel} {pointer}/examples/{i} fails its own schema: {'; '.join(errs)}")
                else:
                    n["embedded_valid"] += 1

        examples = entity.examples()
        if not examples:
            failures.append(f"no examples in schemas/examples/{entity.name}/")
        for path in examples:
            n["examples"] += 1
            try:
                doc = read_json(path)
            except ValueError as e:
                failures.append(f"{rel(root, path)}: not JSON: {e}")
                continue
            errs = errors_of(validator, doc)
            if errs:
                failures.append(f"{rel(root, path)}: example rejected: {'; '.join(errs)}")
            else:
                n["valid"] += 1
                details.append(f"valid    {rel(root, path)}")

        for path in entity.invalid():
            n["invalid"] += 1
            try:
                doc = read_json(path)
            except ValueError as e:
                failures.append(f"{rel(root, path)}: not JSON: {e}")
                continue
            errs = errors_of(validator, doc)
            if errs:
                n["rejected"] += 1
                details.append(f"rejected {rel(root, path)}: {'; '.join(errs)}")
            else:
                failures.append(f"{rel(root, path)}: invalid document ACCEPTED")

    status = "FAIL" if failures else "ok"
    print(
        f"jsonschema {version('jsonschema')} Draft202012Validator + FormatChecker: {status}: "
        f"{n['schemas']}/{len(all_entities)} schemas pass check_schema, "
        f"{n['valid']}/{n['examples']} examples valid, "
        f"{n['rejected']}/{n['invalid']} invalid fixtures rejected, "
        f"{n['embedded_valid']}/{n['embedded']} examples embedded in the schemas valid"
    )
    if verbose:
        for d in details:
            print(f"  {d}")
    for f in failures:
        print(f"  FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
