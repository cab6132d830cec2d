"""The JSON Schema (issue 25, part 4): built from the loader's own table of keys, shipped in the
package, printed by `reflectcoach schema`; every built-in is valid under it and every
structurally bad fixture is not (and the validator refuses each too)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.script import keys, loader, schema
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import builtin_dir, script_files

BAD = sorted((Path(__file__).parent / "bad_scripts").glob("*.yaml"))
GOOD = [
    *script_files(builtin_dir()),
    Path(__file__).parents[1] / "engine" / "every_type.yaml",
    Path(__file__).parents[1] / "script" / "fixtures" / "example.yaml",
]


def as_json(path: Path) -> object:
    """The file as an editor's YAML support hands it to the schema."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    built = schema.schema()
    jsonschema.Draft202012Validator.check_schema(built)
    return jsonschema.Draft202012Validator(built)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_builtin_is_valid(path: Path, validator) -> None:
    assert load_file(path).errors == []
    assert [e.message for e in validator.iter_errors(as_json(path))] == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_every_structurally_bad_fixture_is_invalid_and_refused(path: Path, validator) -> None:
    assert load_file(path).errors, "the validator refuses it too"
    assert list(validator.iter_errors(as_json(path)))


def test_the_shipped_schema_is_the_one_built_and_reflectcoach_schema_prints_it() -> None:
    shipped = (builtin_dir() / schema.FILE_NAME).read_text(encoding="utf-8")
    assert shipped == schema.text(), "regenerate: reflectcoach schema > .../script.schema.json"
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == shipped


def test_the_loader_and_the_schema_read_one_table_of_keys() -> None:
    built = schema.schema()
    assert loader.TOP_KEYS == tuple(built["properties"]) == keys.names(keys.TOP)
    assert tuple(built["$defs"]["step"]["properties"]) == loader.STEP_KEYS
    assert tuple(built["required"]) == loader.TOP_REQUIRED
