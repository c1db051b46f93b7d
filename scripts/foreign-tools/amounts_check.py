"""Checks that the generated TypeScript and Python types read every decimal
(amounts, quantities, rates, percentages) as a string, never as a number.

    python amounts_check.py REPO_ROOT OUT_DIR [--verbose]

OUT_DIR is scripts/foreign-tools/out: `ts/types/<entity>.schema.d.ts`
(json-schema-to-typescript) and `py/cf_models/<entity>.py`
(datamodel-code-generator), both generated from the schemas as the crate
writes them (as_written.cjs). Which fields are decimals is read from the
published schemas (a property whose schema, through `$ref` and `anyOf`, is
`"type": ["string", "number"]` with a `pattern`), so a decimal added later
is checked without a change here. Fails when:

  1. in a .d.ts, a decimal property's type mentions `number` or `bigint`;
  2. in a generated Python module, a decimal field's annotation mentions
     float, int, Decimal or a con*() of them;
  3. a decimal parsed from an example is not a Python `str` (any float
     anywhere in a parsed example fails too);
  4. an example whose first amount is changed to a JSON number (12.5) is
     accepted: the models must reject it, not read it as a float.

(check-foreign-tools also asks tsc to reject a number amount, through a
`// @ts-expect-error` line next to the typed examples.)

Prints one summary line; details only for failures, or with --verbose.
Exits 1 on any failure.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from common import entities, read_json

NUMERIC_PY = re.compile(r"\b(float|int|Decimal|StrictFloat|StrictInt|confloat|conint|condecimal)\b")
STRING_PY = re.compile(r"\b(str|StrictStr|constr)\b")
# `  name?: type;` inside a json2ts interface (names may be quoted).
TS_PROPERTY = re.compile(r'^\s+"?([A-Za-z_][A-Za-z0-9_]*)"?\??: (.+);$')


def is_decimal(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    return "string" in types and "number" in types and "pattern" in schema


def resolve(root: dict, schema: Any) -> Any:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return schema
        target: Any = root
        for token in ref[2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        schema = target
    return schema


def holds_decimal(root: dict, schema: Any, depth: int = 0) -> bool:
    schema = resolve(root, schema)
    if is_decimal(schema):
        return True
    if not isinstance(schema, dict) or depth > 4:
        return False
    return any(holds_decimal(root, s, depth + 1) for key in ("anyOf", "oneOf", "allOf") for s in schema.get(key, []))


def holds_number(root: dict, schema: Any, depth: int = 0) -> bool:
    schema = resolve(root, schema)
    if not isinstance(schema, dict) or depth > 4:
        return False
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if "integer" in types or "number" in types:
        return True
    return any(holds_number(root, s, depth + 1) for key in ("anyOf", "oneOf", "allOf") for s in schema.get(key, []))


def decimal_fields(schema: dict) -> tuple[set[str], set[str]]:
    """Property names that are decimals, and names that are other numbers.

    A name may also be an object elsewhere (`amount` is a decimal in `Money`
    and a `Money` in a journal line): the checks below skip a property whose
    generated type is neither a string nor a number, so that is no conflict.
    """
    decimals: set[str] = set()
    others: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if holds_decimal(schema, sub):
                    decimals.add(name)
                elif holds_number(schema, sub):
                    others.add(name)
            for key, value in node.items():
                if key not in ("examples", "default", "const", "enum"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return decimals, others


def check_ts(path: Path, decimals: set[str], failures: list[str], details: list[str]) -> int:
    checked = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = TS_PROPERTY.match(line)
        if not m or m.group(1) not in decimals:
            continue
        name, ts_type = m.groups()
        members = {t.strip() for t in ts_type.split("|")}
        where = f"{path.name}:{number}: {name}: {ts_type}"
        if members & {"number", "bigint"}:
            failures.append(f"TypeScript: {where} (a decimal must be string)")
            checked += 1
        elif "string" in members and members <= {"string", "null"}:
            details.append(f"TypeScript: {where}")
            checked += 1
        # else: the same name holding an object (`amount: Money`), not a decimal.
    return checked


def check_py(path: Path, decimals: set[str], failures: list[str], details: list[str]) -> int:
    checked = 0
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        for field in node.body:
            if not (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)):
                continue
            if field.target.id not in decimals:
                continue
            annotation = ast.unparse(field.annotation)
            # Only the type, not the Field(description=...) text.
            if isinstance(field.annotation, ast.Subscript) and ast.unparse(field.annotation.value) == "Annotated":
                first = field.annotation.slice
                first = first.elts[0] if isinstance(first, ast.Tuple) else first
                annotation = ast.unparse(first)
            where = f"{path.name}:{field.lineno}: {node.name}.{field.target.id}: {annotation}"
            if NUMERIC_PY.search(annotation):
                failures.append(f"Python: {where} (a decimal must be str)")
                checked += 1
            elif STRING_PY.search(annotation):
                details.append(f"Python: {where}")
                checked += 1
            # else: the same name holding a model (`amount: Money`), not a decimal.
    return checked


def floats_in(value: Any, where: str, out: list[str]) -> None:
    if isinstance(value, float):
        out.append(f"{where} = {value!r}")
    elif isinstance(value, dict):
        for k, v in value.items():
            floats_in(v, f"{where}/{k}", out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            floats_in(v, f"{where}/{i}", out)


def decimal_strings(value: Any, decimals: set[str], where: str, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in decimals and not isinstance(v, (dict, list)) and v is not None:
                out.append((f"{where}/{k}", v))
            decimal_strings(v, decimals, f"{where}/{k}", out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            decimal_strings(v, decimals, f"{where}/{i}", out)


def first_amount_as_number(doc: Any) -> bool:
    """Replaces the first `"amount": "<decimal>"` in `doc` with 12.5."""
    if isinstance(doc, dict):
        if isinstance(doc.get("amount"), str) and "currency" in doc:
            doc["amount"] = 12.5
            return True
        return any(first_amount_as_number(v) for v in doc.values())
    if isinstance(doc, list):
        return any(first_amount_as_number(v) for v in doc)
    return False


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    out = Path(sys.argv[2]).resolve()
    verbose = "--verbose" in sys.argv[3:]
    sys.path.insert(0, str(out / "py"))

    failures: list[str] = []
    details: list[str] = []
    n = dict(ts=0, py=0, values=0, rejected=0)
    for entity in entities(root):
        schema = read_json(entity.schema_path)
        decimals, others = decimal_fields(schema)
        # A name that is a decimal in one place and an integer in another would
        # make the by-name checks below ambiguous; say so rather than guess.
        for name in sorted(decimals & others):
            failures.append(f"{entity.rel}: property {name!r} is a decimal in one place and an integer in another")
        decimals -= others

        n["ts"] += check_ts(out / "ts" / "types" / f"{entity.name}.schema.d.ts", decimals, failures, details)
        n["py"] += check_py(out / "py" / "cf_models" / f"{entity.name}.py", decimals, failures, details)

        module = importlib.import_module(f"cf_models.{entity.name}")
        model = getattr(module, re.sub(r"\W", "", schema.get("title", "")), None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            failures.append(f"cf_models/{entity.name}.py has no model named after {schema.get('title')!r}")
            continue
        for example in entity.examples():
            text = example.read_text(encoding="utf-8")
            name = f"schemas/examples/{entity.name}/{example.name}"
            try:
                parsed = model.model_validate_json(text).model_dump(mode="python", exclude_none=True, warnings=False)
            except ValidationError as e:
                failures.append(f"{name}: does not parse: {e.errors(include_url=False)[0]['msg']}")
                continue
            floats: list[str] = []
            floats_in(parsed, name + "#", floats)
            failures.extend(f"Python: {f} is a float" for f in floats)
            values: list[tuple[str, Any]] = []
            decimal_strings(parsed, decimals, name + "#", values)
            for where, value in values:
                n["values"] += 1
                if not isinstance(value, str):
                    failures.append(f"Python: {where} = {value!r} is a {type(value).__name__}, not a str")
            doc = json.loads(text)
            if first_amount_as_number(doc):
                try:
                    model.model_validate_json(json.dumps(doc))
                    failures.append(f"Python: {name} with its first amount as the JSON number 12.5 is accepted")
                except ValidationError:
                    n["rejected"] += 1

    if n["ts"] == 0 or n["py"] == 0 or n["values"] == 0:
        failures.append(f"found no decimal to check (TypeScript {n['ts']}, Python {n['py']}, values {n['values']})")
    status = "FAIL" if failures else "ok"
    print(
        f"amounts as strings: {status}: {n['ts']} decimal properties in the .d.ts are string, "
        f"{n['py']} decimal fields in the pydantic models are str, {n['values']} decimals parsed "
        f"from the examples are str, {n['rejected']} examples with a JSON-number amount rejected"
    )
    for line in failures:
        print(f"  {line}")
    if verbose:
        for line in details:
            print(f"  {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
