#!/usr/bin/env python3
"""Writes the input progenitor is measured on: Dixa's spec with the two changes progenitor needs.

    python3 benches/progenitor_input.py spec/dixa-api.yaml target/bench-compile/progenitor.json

progenitor 0.15 cannot generate a client from the spec as published, for two reasons:

* it has no multipart/form-data request bodies, so the one multipart operation
  (`POST /beta/knowledge/articles/attachments`) is dropped;
* it wants one error type per operation, while every Dixa operation declares a schema per error
  status (`BadRequest`, `NotFound1`, `ServerError`, ...) that all have the same `{message}` shape,
  so every non-2xx response is pointed at one `{message}` schema.

Everything else is left as it is. The output is JSON under target/, so the spec's content is never
committed. Prints how many operations remain and how many error responses were redirected.
"""

import json
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ERROR_SCHEMA = "ProgenitorBenchError"


class Loader(yaml.SafeLoader):
    """A safe loader that keeps date-like scalars (in examples) as the strings they are in the
    file, since JSON has no date type and `json.dump` would fail on them."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def is_multipart(operation):
    content = (operation.get("requestBody") or {}).get("content") or {}
    return any(media.startswith("multipart/") for media in content)


def main(source, target):
    with open(source, encoding="utf-8") as f:
        spec = yaml.load(f, Loader=Loader)

    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    if ERROR_SCHEMA in schemas:
        sys.exit(f"{source} already has a schema named {ERROR_SCHEMA}")
    schemas[ERROR_SCHEMA] = {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    }

    operations = dropped = redirected = 0
    for path in sorted(spec.get("paths", {})):
        item = spec["paths"][path]
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if is_multipart(operation):
                del item[method]
                dropped += 1
                continue
            operations += 1
            responses = operation.get("responses") or {}
            for status in responses:
                # YAML reads unquoted status codes as integers; both spellings are statuses.
                if str(status).startswith("2"):
                    continue
                description = responses[status].get("description", "An error.")
                responses[status] = {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
                        }
                    },
                }
                redirected += 1

    with open(target, "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    print(f"{operations} operations ({dropped} multipart dropped), {redirected} error responses -> {{message}}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: progenitor_input.py SPEC.yaml OUTPUT.json")
    main(sys.argv[1], sys.argv[2])
