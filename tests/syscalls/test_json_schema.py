import json

import jsonschema
from bkport.cli import cli
from click.testing import CliRunner


def test_list_json_validates_against_documented_schema(repo):
    schema = json.loads((repo / "docs" / "schemas" / "syscalls-1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(CliRunner().invoke(cli, ["syscalls", "list", "--format", "json"]).output)
    jsonschema.validate(data, schema)
    # And the schema really constrains: a call with 7 parameters is rejected.
    data["calls"][0]["params"] = [data["calls"][11]["params"][0]] * 7
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("schema accepted a call with seven parameters")


def test_show_json_is_one_call():
    out = CliRunner().invoke(cli, ["syscalls", "show", "Read", "--format", "json"]).output
    call = json.loads(out)
    assert call["number"] == 13 and call["name"] == "read"
    assert call["params"][1]["direction"] == "out" and call["params"][1]["length"] == "count"
